"use client";

import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../ui/cn";
import type { NavItem } from "./nav";

/** While a link's page loads, a spinner beside it says so (the page in view stays until then). */
function Pending() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span role="status" className="ml-auto inline-flex items-center" data-testid="nav-pending">
      <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-brand-700/30 border-t-brand-700" />
      <span className="sr-only">Loading…</span>
    </span>
  ) : null;
}

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-1">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium",
                active ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
              )}
            >
              {item.label}
              <Pending />
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
