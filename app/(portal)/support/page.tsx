import type { Metadata } from "next";
import { CaseTable } from "@/components/support/case-table";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { listHref, Pagination } from "@/components/ui/pagination";
import { UrlFilters } from "@/components/ui/url-filters";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { CASE_STATE_LABEL, CASE_STATES } from "@/lib/domain/support-cases";
import { caseListQuery } from "@/lib/schemas/support";
import { listOwnCases } from "@/lib/server/support-cases";
import { searchRecord } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Support" };

export default async function SupportPage({ searchParams }: PageProps<"/support">) {
  const user = await requireProvider();
  const raw = searchRecord(await searchParams);
  const parsed = caseListQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : caseListQuery.parse({});
  const result = await listOwnCases(await providerContext(user), q);
  const canOpen = can(user.role, "case:open");
  return (
    <>
      <PageHeader
        title="Support"
        description="Your organization's support cases, most recently updated first."
        actions={canOpen ? <ButtonLink href="/support/new">Open a case</ButtonLink> : undefined}
      />
      {!canOpen && <p className="mb-4 text-sm text-slate-600">You have read-only access: you can read the cases but not open or comment on them.</p>}
      <UrlFilters filters={[{ name: "state", label: "State", allLabel: "All states", options: CASE_STATES.map((s) => [s, CASE_STATE_LABEL[s]] as const) }]} />
      <CaseTable
        items={result.items}
        hrefBase="/support"
        caption="Support cases"
        empty={q.state ? "No case in this state." : canOpen ? "No support cases yet. Open one when you need help." : "No support cases yet."}
      />
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} noun="cases" href={(p) => listHref("/support", { state: q.state }, { page: p })} />
    </>
  );
}
