import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireProvider } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage() {
  await requireProvider();
  return (
    <>
      <PageHeader title="Activity" description="Your organization's audit events, newest first." />
      <EmptyState title="The activity log is not shown yet">Events are already recorded as things change; the filterable list comes with the support and audit feature.</EmptyState>
    </>
  );
}
