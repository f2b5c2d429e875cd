"use client";

import Link from "next/link";
import { useState } from "react";
import type { ReportView } from "@/lib/schemas/usage";
import { Badge } from "../ui/badge";
import { Button, buttonClass } from "../ui/button";
import { PageHeader } from "../ui/card";
import { LocalDate } from "../ui/local-date";
import { cn } from "../ui/cn";
import { countOf } from "../ui/format";
import { Table, Th } from "../ui/table";
import { LicenseRows } from "./auto-rows";
import { useReport } from "./hooks";
import { AddManualRow, CopyPreviousRows, Hints, ManualRows } from "./manual-rows";
import { periodLabel } from "./period-label";
import { CompanyBreakdown } from "./company-breakdown";
import { Totals } from "./totals";

/** One period's report: auto-reported rows, manual rows, hints, totals and Submit Usage. */
export function ReportScreen({ initial }: { initial: ReportView }) {
  const [page, setPage] = useState(1);
  const query = useReport(initial.period, page, initial);
  const report = query.data ?? initial;
  const label = periodLabel(report.period);
  const pages = Math.max(1, Math.ceil(report.licenses.total / report.licenses.pageSize));
  const manualFirst = report.licenses.total === 0;
  const manualAndTotals = (
    <div className="mb-8 grid gap-6 lg:grid-cols-3">
      <section aria-labelledby="manual-rows" className="min-w-0 lg:col-span-2">
        <h2 id="manual-rows" className="mb-1 text-lg font-semibold">Manual rows</h2>
        <p className="mb-3 text-sm text-slate-600">
          For installations whose licenses are not auto-reported: the product, the workload type and the number of workloads
          {report.editable ? ", one row for each workload type." : "."}
        </p>
        <ManualRows report={report} />
        <CopyPreviousRows report={report} />
        {report.editable && <AddManualRow report={report} />}
        {report.hints.length > 0 && <Hints report={report} />}
      </section>
      <Totals report={report} />
    </div>
  );
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/usage" className="text-brand-800 underline-offset-2 hover:underline">
          ← Monthly Usages
        </Link>
      </p>
      <PageHeader
        title={report.kind === "CURRENT" ? `Current Month Usage: ${label}` : `Usage report: ${label}`}
        description={<StatusLine report={report} />}
        actions={
          <a className={buttonClass("secondary")} href={`/api/portal/usage/${report.period}/export`} download>
            Export CSV
          </a>
        }
      />

      {/* An organization that reports by hand sees its manual rows first; an empty auto-reported table comes after. */}
      {manualFirst && manualAndTotals}
      <CompanyBreakdown report={report} />
      <section aria-labelledby="auto-rows" className="mb-8">
        <h2 id="auto-rows" className="mb-1 text-lg font-semibold">Auto-reported licenses</h2>
        {report.licenses.total === 0 ? (
          <p className="text-sm text-slate-600" data-testid="no-auto-rows">
            No auto-reported license takes part in this month.{report.editable ? " Its usage is the manual rows above." : ""}
          </p>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">
              Current Month Usage is what your product servers reported: per installation its monthly report, else its highest weekly count.
              {report.editable && " Adjust a count where it is wrong; lowering it needs a reason."}
            </p>
            <Table caption={`Auto-reported licenses of ${label}`}>
              <thead>
                <tr>
                  <Th>License</Th>
                  <Th>Workload type</Th>
                  <Th className="text-right">Current Month Usage</Th>
                  <Th className="text-right">Count</Th>
                  <Th className="text-right">Points</Th>
                  <Th>{report.kind === "SUBMITTED" ? "Extended" : "On submit"}</Th>
                </tr>
              </thead>
              <tbody className={cn("divide-y divide-slate-100 transition-opacity", query.isPlaceholderData && "opacity-50")} aria-busy={query.isFetching}>
                {report.licenses.items.map((l) => (
                  <LicenseRows key={l.licenseId} license={l} report={report} />
                ))}
              </tbody>
            </Table>
          </>
        )}
        {pages > 1 && (
          <nav aria-label="Auto-reported license pages" className="mt-3 flex items-center justify-between text-sm text-slate-700">
            <span>
              Page {page} of {pages} ({countOf(report.licenses.total, "license")})
            </span>
            <span className="flex gap-2">
              <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>Previous</Button>
              <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>Next</Button>
            </span>
          </nav>
        )}
      </section>
      {!manualFirst && manualAndTotals}
    </>
  );
}

function StatusLine({ report }: { report: ReportView }) {
  if (report.kind === "SUBMITTED") {
    return (
      <span>
        Submitted <LocalDate value={report.submittedAt!} withTime /> by {report.submittedBy ?? "—"}{" "}
        {report.onTime ? <Badge tone="green">On time</Badge> : <Badge tone="amber">Late</Badge>} · read-only
      </span>
    );
  }
  if (report.kind === "CURRENT") {
    return <span>The month is not over: figures fill in as your product servers report. It can be submitted from the first day of next month.</span>;
  }
  return (
    <span>
      Due <LocalDate value={report.dueAt} deadline /> <Badge tone={report.health === "MISSING" ? "red" : "amber"}>{report.dueLabel}</Badge>
    </span>
  );
}
