import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireProvider } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Manage Licenses" };

export default async function ManageLicensesPage() {
  await requireProvider();
  return (
    <>
      <PageHeader title="Manage Licenses" description="Your license keys: search, filter, the Auto Reported License toggle and the New License Key wizard." />
      <EmptyState title="License keys are not in the portal yet">The license key table, the New License Key wizard and key downloads come with the license keys feature; nothing here is live yet.</EmptyState>
    </>
  );
}
