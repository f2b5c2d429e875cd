"use client";

import { cn } from "./cn";

/** An on/off switch (role="switch"), operable with the keyboard like a button. */
export function Switch({
  checked,
  onChange,
  disabled,
  label,
  describedBy,
  busy,
}: {
  checked: boolean;
  onChange: (next: boolean) => void;
  disabled?: boolean;
  /** Accessible name, e.g. "Auto Reported License for LIC-…" */
  label: string;
  describedBy?: string;
  busy?: boolean;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      aria-describedby={describedBy}
      aria-busy={busy || undefined}
      // aria-disabled rather than disabled: the switch stays in the tab order, so keyboard and
      // screen-reader users reach it and hear why it cannot change.
      aria-disabled={disabled || busy || undefined}
      onClick={() => {
        if (!disabled && !busy) onChange(!checked);
      }}
      className={cn(
        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors",
        checked ? "bg-brand-700" : "bg-slate-300",
        (disabled || busy) && "cursor-not-allowed opacity-60",
      )}
    >
      <span
        aria-hidden
        className={cn("inline-block h-5 w-5 rounded-full bg-white shadow transition-transform", checked ? "translate-x-5" : "translate-x-0")}
      />
    </button>
  );
}
