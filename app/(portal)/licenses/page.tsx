import type { Metadata } from "next";
import { Suspense } from "react";
import { LicensesTable } from "@/components/licenses/licenses-table";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { toDateString } from "@/lib/domain/dates";

export const metadata: Metadata = { title: "Manage Licenses" };

export default async function LicensesPage() {
  const user = await requireProvider();
  const ctx = await providerContext(user);
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
        />
      </Suspense>
    </>
  );
}
