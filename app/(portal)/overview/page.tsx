import type { Metadata } from "next";
import { AutoReportingStatus } from "@/components/shell/auto-reporting-status";
import { ContractsTable } from "@/components/shell/contracts-table";
import { Card, PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { getOwnOrganization } from "@/lib/server/organizations";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requireProvider();
  const org = await getOwnOrganization(await providerContext(user));
  return (
    <>
      <PageHeader title="Overview" description={`${org.name} at a glance.`} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Automatic license reporting">
          <AutoReportingStatus enabled={org.autoReportingEnabled} changedAt={org.autoReportingChangedAt} changedBy={org.autoReportingChangedBy} />
        </Card>
        <Card title="Keys and usage" className="lg:col-span-2">
          <p className="text-sm text-slate-600">
            Keys expiring within 7 days, the period due and its deadline, and open support cases will be listed here once license keys,
            monthly usage and support cases are in the portal.
          </p>
        </Card>
      </div>
      <h2 className="mb-3 mt-8 text-lg font-semibold">Contracts</h2>
      <ContractsTable contracts={org.contracts} caption="Your rental contracts" />
    </>
  );
}
