import type { Metadata } from "next";
import { Suspense } from "react";
import { LicensesTable } from "@/components/licenses/licenses-table";
import { RequestAutoReporting } from "@/components/support/request-auto-reporting";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { toDateString } from "@/lib/domain/dates";
import { openAutoReportingRequest } from "@/lib/server/support-cases";

export const metadata: Metadata = { title: "Manage Licenses" };

export default async function LicensesPage() {
  const user = await requireProvider();
  const ctx = await providerContext(user);
  const openRequest = user.organization.autoReportingEnabled ? null : await openAutoReportingRequest(ctx);
  return (
    <>
      <PageHeader
        title="Manage Licenses"
        description="Your license keys. Auto-reported keys are extended every month when you submit usage on time."
        actions={can(user.role, "license:create") ? <ButtonLink href="/licenses/new">New License Key</ButtonLink> : undefined}
      />
      <Suspense>
        <LicensesTable
          canEdit={can(user.role, "license:update")}
          organizationHasFeature={user.organization.autoReportingEnabled}
          today={toDateString(ctx.now)}
          requestLink={<RequestAutoReporting className="mt-1 text-amber-950" canOpenCase={can(user.role, "case:open")} openRequest={openRequest} />}
        />
      </Suspense>
    </>
  );
}
