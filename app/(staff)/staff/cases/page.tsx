import type { Metadata } from "next";
import { CaseTable } from "@/components/support/case-table";
import { PageHeader } from "@/components/ui/card";
import { formatNumber } from "@/components/ui/format";
import { listHref, Pagination } from "@/components/ui/pagination";
import { UrlFilters } from "@/components/ui/url-filters";
import { requireStaff, staffContext } from "@/lib/auth/current-user";
import { CASE_STATE_LABEL, CASE_STATES, CASE_TYPE_LABEL, CASE_TYPES, PROBLEM_AREA_LABEL, PROBLEM_AREAS } from "@/lib/domain/support-cases";
import { searchRecord } from "@/lib/http/search-params";
import { staffCaseListQuery } from "@/lib/schemas/support";
import { listAllCases } from "@/lib/server/support-cases";

export const metadata: Metadata = { title: "Cases" };

export default async function CasesPage({ searchParams }: PageProps<"/staff/cases">) {
  const user = await requireStaff();
  const parsed = staffCaseListQuery.safeParse(searchRecord(await searchParams));
  const q = parsed.success ? parsed.data : staffCaseListQuery.parse({});
  const result = await listAllCases(await staffContext(user), q);
  const filtered = !!(q.state || q.type || q.problemArea);
  return (
    <>
      <PageHeader title="Cases" description="The support case queue of every organization, newest first." />
      <p className="mb-4 text-sm text-slate-800" data-testid="open-count">
        <strong className="text-lg">{formatNumber(result.open)}</strong> open {result.open === 1 ? "case" : "cases"}
        {q.type || q.problemArea ? " matching the type and problem filters" : ""} (open or in progress).
      </p>
      <UrlFilters
        filters={[
          { name: "state", label: "State", allLabel: "All states", options: CASE_STATES.map((s) => [s, CASE_STATE_LABEL[s]] as const) },
          { name: "type", label: "Case type", allLabel: "All types", options: CASE_TYPES.map((t) => [t, CASE_TYPE_LABEL[t]] as const) },
          { name: "problemArea", label: "I have problems with", allLabel: "Anything", options: PROBLEM_AREAS.map((p) => [p, PROBLEM_AREA_LABEL[p]] as const) },
        ]}
      />
      <CaseTable items={result.items} hrefBase="/staff/cases" staff caption="Support cases, newest first" empty={filtered ? "No case matches these filters." : "No support cases yet."} />
      <Pagination
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
        noun="cases"
        href={(p) => listHref("/staff/cases", { state: q.state, type: q.type, problemArea: q.problemArea }, { page: p })}
      />
    </>
  );
}
