// A report's usage and points per company ("Unassigned": licenses of no company, and the manual rows).
import type { ReportView } from "@/lib/schemas/usage";
import { EmptyRow, Table, Td, Th } from "../ui/table";
import { n } from "./format";

export function CompanyBreakdown({ report }: { report: ReportView }) {
  return (
    <section aria-labelledby="per-company" className="mb-8">
      <h2 id="per-company" className="mb-1 text-lg font-semibold">Per company</h2>
      <p className="mb-3 text-sm text-slate-600">
        Usage and points by the company each auto-reported license is assigned to; manual rows and licenses of no company are Unassigned.
      </p>
      <Table caption="Usage per company">
        <thead>
          <tr>
            <Th scope="col">Company</Th>
            <Th scope="col" className="text-right">Licenses</Th>
            <Th scope="col" className="text-right">Workloads</Th>
            <Th scope="col" className="text-right">Points</Th>
          </tr>
        </thead>
        <tbody>
          {report.companies.length === 0 && <EmptyRow colSpan={4}>No usage in this report.</EmptyRow>}
          {report.companies.map((c) => (
            <tr key={c.companyId ?? "unassigned"} data-testid={`company-usage-${c.name}`}>
              <Td label="Company" className="font-medium">{c.name}</Td>
              <Td label="Licenses" className="text-right tabular-nums">{n(c.licenses)}</Td>
              <Td label="Workloads" className="text-right tabular-nums">{n(c.usage)}</Td>
              <Td label="Points" className="text-right tabular-nums">{n(c.points)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
