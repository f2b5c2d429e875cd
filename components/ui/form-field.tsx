import type { ReactNode } from "react";

/** A labelled field with its hint and error next to it, wired for screen readers. */
export function FormField({ id, label, error, hint, children }: { id: string; label: string; error?: string | null; hint?: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-700/30 aria-[invalid=true]:border-red-600 disabled:bg-slate-100 disabled:text-slate-600";

/** The aria attributes that tie an input to the hint or error FormField shows next to it. */
export function fieldAria(id: string, error: string | null | undefined, hint?: string) {
  return {
    "aria-invalid": !!error,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

/** The first message per field of a failed zod parse (a path-less issue goes to "form"), for a form to show at each field. */
export function fieldErrors<K extends string>(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Partial<Record<K | "form", string>> {
  const out: Partial<Record<K | "form", string>> = {};
  for (const issue of issues) {
    const key = (issue.path[0] as K | undefined) ?? "form";
    out[key] ??= issue.message;
  }
  return out;
}
