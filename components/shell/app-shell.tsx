import Link from "next/link";
import type { ReactNode } from "react";
import type { NavItem } from "./nav";
import { Badge } from "../ui/badge";
import { MobileMenu } from "./mobile-menu";
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
            <MobileMenu nav={nav} />
            <div className="min-w-0">
              <p className="flex items-center gap-2 text-sm font-semibold text-slate-900">
                <span className="truncate" data-testid="shell-context">
                  {context}
                </span>
                {user.role === "PROVIDER_VIEWER" && (
                  <span title="You can see everything but change nothing" data-testid="read-only-badge">
                    <Badge tone="blue">Read-only</Badge>
                  </span>
                )}
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
