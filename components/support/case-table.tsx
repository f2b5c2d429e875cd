import Link from "next/link";
import { CASE_TYPE_LABEL, PROBLEM_AREA_LABEL, type CaseState, type CaseType, type ProblemArea } from "@/lib/domain/support-cases";
import type { CaseListItem } from "@/lib/schemas/support";
import { LocalDate } from "../ui/local-date";
import { EmptyRow, Table, Td, Th } from "../ui/table";
import { CaseStateBadge, severityLabel } from "./case-badges";

/** A page of cases: the provider's list (`hrefBase` /support) or the staff queue (/staff/cases, with the organization). */
export function CaseTable({ items, hrefBase, staff, empty, caption }: { items: CaseListItem[]; hrefBase: string; staff?: boolean; empty: string; caption: string }) {
  const cols = staff ? 8 : 7;
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>Case</Th>
          <Th>Summary</Th>
          {staff && <Th>Organization</Th>}
          <Th>State</Th>
          <Th>Type</Th>
          <Th>I have problems with</Th>
          <Th>Severity</Th>
          <Th>{staff ? "Opened" : "Last update"}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {items.length === 0 && <EmptyRow colSpan={cols}>{empty}</EmptyRow>}
        {items.map((c) => (
          <tr key={c.number} data-testid={`case-row-${c.number}`}>
            <Td label="Case" className="font-mono">
              <Link href={`${hrefBase}/${c.number}`} className="font-medium text-brand-800 underline-offset-2 hover:underline">
                #{c.number}
              </Link>
            </Td>
            <Td label="Summary" className="min-w-56 max-w-md whitespace-normal break-words">
              {c.summary}
              {c.comments > 0 && <span className="block text-xs text-slate-600">{c.comments === 1 ? "1 comment" : `${c.comments} comments`}</span>}
            </Td>
            {staff && <Td label="Organization">{c.organizationName}</Td>}
            <Td label="State">
              <CaseStateBadge state={c.state as CaseState} />
            </Td>
            <Td label="Type">{CASE_TYPE_LABEL[c.type as CaseType]}</Td>
            <Td label="I have problems with">{PROBLEM_AREA_LABEL[c.problemArea as ProblemArea]}</Td>
            <Td label="Severity">{severityLabel(c.severity)}</Td>
            <Td label={staff ? "Opened" : "Last update"}>
              <LocalDate value={staff ? c.createdAt : c.updatedAt} withTime />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
