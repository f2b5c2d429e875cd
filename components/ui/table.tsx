import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/**
 * A table. Below the medium breakpoint its rows stack into cards (globals.css, `table.stack`),
 * each cell led by its `label`; it still scrolls sideways if a cell is too wide.
 */
export function Table({ caption, children, className }: { caption: string; children: ReactNode; className?: string }) {
  return (
    <div className={cn("overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm", className)}>
      <table className="stack min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ className, ...props }: ComponentProps<"th">) {
  return <th scope="col" className={cn("bg-slate-50 px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600", className)} {...props} />;
}

/**
 * A cell; it does not wrap unless its className says how (whitespace-normal), since classes do not
 * override one another. `label` is its column's name, shown above it when rows stack on a phone.
 */
export function Td({ className, label, children, ...props }: ComponentProps<"td"> & { label?: string }) {
  return (
    <td data-label={label} className={cn(!className?.includes("whitespace-") && "whitespace-nowrap", "px-3 py-2.5 text-slate-800", className)} {...props}>
      {label ? <div className="stack-value">{children}</div> : children}
    </td>
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-4 py-8 text-center text-sm text-slate-600">
        {children}
      </td>
    </tr>
  );
}
