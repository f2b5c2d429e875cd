import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { PROVIDER_NAV } from "@/components/shell/nav";
import { NoticeBanner } from "@/components/support/notice-banner";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { pendingNotices } from "@/lib/server/notices";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireProvider();
  const notices = await pendingNotices(await providerContext(user));
  return (
    <AppShell user={user} context={user.organization.name} nav={PROVIDER_NAV}>
      <NoticeBanner notices={notices} />
      {children}
    </AppShell>
  );
}
