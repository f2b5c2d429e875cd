import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { STAFF_NAV } from "@/components/shell/nav";
import { requireStaff } from "@/lib/auth/current-user";

export default async function StaffLayout({ children }: { children: ReactNode }) {
  const user = await requireStaff();
  return (
    <AppShell user={user} context="Vendor support" nav={STAFF_NAV}>
      {children}
    </AppShell>
  );
}
