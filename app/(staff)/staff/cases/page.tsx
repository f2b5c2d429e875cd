import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireStaff } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Cases" };

export default async function CasesPage() {
  await requireStaff();
  return (
    <>
      <PageHeader title="Cases" description="The support case queue of every organization, newest first." />
      <EmptyState title="The case queue is not in the portal yet">
        Cases, their threads and enabling automatic license reporting come with the support feature.
      </EmptyState>
    </>
  );
}
