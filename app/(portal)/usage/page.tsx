import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireProvider } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Monthly Usages" };

export default async function MonthlyUsagesPage() {
  await requireProvider();
  return (
    <>
      <PageHeader title="Monthly Usages" description="My Actions: the periods that need your report, Current Month Usage from your product servers, and Submit Usage." />
      <EmptyState title="Monthly usage reporting is not in the portal yet">The periods to submit, reported usage, manual rows and Submit Usage come with the monthly usage feature; until then nothing can be submitted here.</EmptyState>
    </>
  );
}
