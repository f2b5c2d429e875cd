import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireProvider } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Support" };

export default async function SupportPage() {
  await requireProvider();
  return (
    <>
      <PageHeader title="Support" description="Open a case and follow your organization's cases." />
      <EmptyState title="Support cases are not in the portal yet">Opening a case and the case threads come with the support feature.</EmptyState>
    </>
  );
}
