import type { Metadata } from "next";
import { CompaniesSettings } from "@/components/companies/companies-settings";
import { PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { listCompanies } from "@/lib/server/companies";

export const metadata: Metadata = { title: "Companies" };

export default async function CompaniesPage() {
  const user = await requireProvider();
  const { items } = await listCompanies(await providerContext(user));
  return (
    <>
      <PageHeader
        title="Companies"
        description="Your own customers: assign each license key to one (on the license's page) and the monthly report and its CSV break usage and points down per company."
      />
      <CompaniesSettings items={items} canManage={can(user.role, "company:manage")} />
    </>
  );
}
