import type { Metadata } from "next";
import { AutoReportingStatus } from "@/components/shell/auto-reporting-status";
import { Card, PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { getOwnOrganization } from "@/lib/server/organizations";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireProvider();
  const org = await getOwnOrganization(await providerContext(user));
  return (
    <>
      <PageHeader title="Settings" description="Your organization's portal settings." />
      <Card title="Auto-Reporting">
        <AutoReportingStatus enabled={org.autoReportingEnabled} changedAt={org.autoReportingChangedAt} changedBy={org.autoReportingChangedBy} />
        {!org.autoReportingEnabled && (
          <p className="mt-3 text-sm text-slate-600">
            Support staff enable the feature on request through a support case (General Inquiry, VCSP Pulse); the request form comes with
            the support feature.
          </p>
        )}
      </Card>
    </>
  );
}
