import type { Metadata } from "next";
import { AutoReportingStatus } from "@/components/shell/auto-reporting-status";
import { REQUEST_AUTO_REPORTING_HREF } from "@/components/support/request-feature";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { getOwnOrganization } from "@/lib/server/organizations";
import { MONTHLY_EXTENSION_DAYS } from "@/lib/domain/licenses";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireProvider();
  const org = await getOwnOrganization(await providerContext(user));
  return (
    <>
      <PageHeader title="Settings" description="Your organization's portal settings." />
      <Card title="Auto-Reporting" className="max-w-3xl">
        <AutoReportingStatus enabled={org.autoReportingEnabled} changedAt={org.autoReportingChangedAt} changedBy={org.autoReportingChangedBy} />
        {org.autoReportingEnabled ? (
          <p className="mt-3 text-sm text-slate-600">
            Auto-reported keys are renewed by your backup servers and extended by {MONTHLY_EXTENSION_DAYS} days each month you submit usage (a late report still extends a key that has not expired). Turn the feature on or
            off per key in Manage Licenses.
          </p>
        ) : can(user.role, "case:open") ? (
          <div className="mt-3 space-y-2 text-sm text-slate-600">
            <p>Support staff enable automatic license reporting on request. The button opens a support case already filled in.</p>
            <ButtonLink href={REQUEST_AUTO_REPORTING_HREF}>Request automatic license reporting</ButtonLink>
          </div>
        ) : (
          <p className="mt-3 text-sm text-slate-600">An admin of your organization can request it from support.</p>
        )}
      </Card>
    </>
  );
}
