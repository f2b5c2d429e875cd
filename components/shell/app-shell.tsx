import Link from "next/link";
import type { ReactNode } from "react";
import type { NavItem } from "./nav";
import { NavLinks } from "./nav-links";
import { NotificationBell } from "../notifications/bell";
import { SignOutButton } from "./sign-out-button";

const ROLE_LABEL = { PROVIDER_ADMIN: "Admin", PROVIDER_VIEWER: "Viewer", SUPPORT_STAFF: "Support staff" } as const;

export interface ShellUser {
  name: string;
  email: string;
  role: keyof typeof ROLE_LABEL;
}

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 text-base font-semibold text-slate-900">
      <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-brand-700 text-xs font-bold text-white">
        P
      </span>
      VCSP Pulse
    </Link>
  );
}

/** The signed-in layout: navigation on the left (a menu on small screens), the organization on top. */
export function AppShell({ user, context, nav, children }: { user: ShellUser; context: string; nav: NavItem[]; children: ReactNode }) {
  return (
    <div className="min-h-screen md:flex">
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white md:block">
        <div className="sticky top-0 p-4">
          <Brand />
          <nav aria-label="Main" className="mt-6">
            <NavLinks items={nav} />
          </nav>
        </div>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 md:px-8">
          <div className="flex min-w-0 items-center gap-3">
            <details className="relative md:hidden">
              <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-medium">Menu</summary>
              <nav aria-label="Main" className="absolute left-0 z-20 mt-2 w-56 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
                <NavLinks items={nav} />
              </nav>
            </details>
            <div className="min-w-0">
              <p className="truncate text-sm font-semibold text-slate-900" data-testid="shell-context">
                {context}
              </p>
              <p className="truncate text-xs text-slate-600">
                {user.name} · {user.email} · {ROLE_LABEL[user.role]}
              </p>
            </div>
          </div>
          <NotificationBell href={user.role === "SUPPORT_STAFF" ? "/staff/notifications" : "/notifications"} />
          <SignOutButton />
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6 md:px-8">{children}</main>
      </div>
    </div>
  );
}
