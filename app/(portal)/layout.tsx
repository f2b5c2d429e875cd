import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { PROVIDER_NAV } from "@/components/shell/nav";
import { requireProvider } from "@/lib/auth/current-user";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireProvider();
  return (
    <AppShell user={user} context={user.organization.name} nav={PROVIDER_NAV}>
      {children}
    </AppShell>
  );
}
