import type { Metadata } from "next";
import Link from "next/link";
import { periodLabel } from "@/components/usage/period-label";
import { PointsChart } from "@/components/usage/points-chart";
import { Badge } from "@/components/ui/badge";
import { ButtonLink, buttonClass } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { countOf, formatNumber } from "@/components/ui/format";
import { LocalDate } from "@/components/ui/local-date";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { suspensionMessage } from "@/lib/domain/reporting";
import { historyQuery } from "@/lib/schemas/usage";
import { usageHistory, usageOverview } from "@/lib/server/monthly-reports";

export const metadata: Metadata = { title: "Monthly Usages" };

export default async function MonthlyUsagesPage({ searchParams }: PageProps<"/usage">) {
  const user = await requireProvider();
  const ctx = await providerContext(user);
  const canSubmit = can(user.role, "usage:submit");
  const sp = await searchParams;
  const q = historyQuery.safeParse({ page: sp.historyPage });
  const { page, pageSize } = q.success ? q.data : { page: 1, pageSize: 12 };
  const [overview, history] = await Promise.all([usageOverview(ctx), usageHistory(ctx, { page, pageSize })]);
  const pages = Math.max(1, Math.ceil(history.total / pageSize));
  return (
    <>
      <PageHeader
        title="Monthly Usages"
        description="My Actions: the months that need your usage report, Current Month Usage from your product servers, and what you submitted before."
      />
      {overview.suspension.suspended && (
        <div role="alert" className="mb-6 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          {suspensionMessage(overview.suspension)}
        </div>
      )}
      <section aria-labelledby="my-actions" className="mb-8">
        <h2 id="my-actions" className="mb-3 text-lg font-semibold">My Actions</h2>
        {!overview.hasContracts ? (
          <EmptyState title="No rental contract yet">Usage is reported per month from the month your first contract starts.</EmptyState>
        ) : overview.actions.length === 0 ? (
          <EmptyState title="Nothing to submit">Every ended month is submitted. The current month can be submitted from the first day of next month.</EmptyState>
        ) : (
          <ul className="space-y-3">
            {overview.actions.map((a) => (
              <li key={a.period} className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                <div>
                  <p className="font-medium text-slate-900">{periodLabel(a.period)}</p>
                  <p className="text-sm text-slate-600">
                    Report due <LocalDate value={a.dueAt} deadline />{" "}
                    <Badge tone={a.health === "MISSING" ? "red" : "amber"}>{a.dueLabel}</Badge>
                  </p>
                </div>
                {canSubmit ? (
                  <ButtonLink href={`/usage/${a.period}`}>Review and submit {periodLabel(a.period)}</ButtonLink>
                ) : (
                  <ButtonLink variant="secondary" href={`/usage/${a.period}`}>View report {periodLabel(a.period)}</ButtonLink>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {overview.hasContracts && (
        <div className="mb-8 grid gap-6 lg:grid-cols-3">
          <Card title={`Current month: ${periodLabel(overview.current.period)}`}>
            <p className="text-sm text-slate-700">
              Current Month Usage so far: <strong>{countOf(overview.current.totalPoints, "point")}</strong> across{" "}
              {countOf(overview.current.autoLicenses, "auto-reported license")}, filling as your product servers report.
              It can be submitted from the first day of next month.
            </p>
            <Link className={buttonClass("secondary", "mt-3")} href={`/usage/${overview.current.period}`}>
              View Current Month Usage
            </Link>
          </Card>
          <Card title="Points per month, last 12 months" className="lg:col-span-2">
            <PointsChart data={overview.chart} />
          </Card>
        </div>
      )}
      <section aria-labelledby="history">
        <h2 id="history" className="mb-3 text-lg font-semibold">Submitted months</h2>
        <Table caption="Submitted monthly usage reports, newest first">
          <thead>
            <tr>
              <Th>Month</Th>
              <Th>Submitted</Th>
              <Th>By</Th>
              <Th>On time</Th>
              <Th className="text-right">Points</Th>
              <Th className="text-right">Keys extended</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {history.items.length === 0 && <EmptyRow colSpan={7}>Nothing submitted yet.</EmptyRow>}
            {history.items.map((h) => (
              <tr key={h.period}>
                <Td label="Month">
                  <Link className="font-medium text-brand-800 underline-offset-2 hover:underline" href={`/usage/${h.period}`}>
                    {periodLabel(h.period)}
                  </Link>
                </Td>
                <Td label="Submitted">
                  <LocalDate value={h.submittedAt} withTime />
                </Td>
                <Td label="By">{h.submittedBy ?? "—"}</Td>
                <Td label="On time">{h.onTime ? <Badge tone="green">On time</Badge> : <Badge tone="amber">Late</Badge>}</Td>
                <Td label="Points" className="text-right tabular-nums">{formatNumber(h.totalPoints)}</Td>
                <Td label="Keys extended" className="text-right tabular-nums">{h.extensions}</Td>
                <Td label="Export">
                  <a className="text-brand-800 underline-offset-2 hover:underline" href={`/api/portal/usage/${h.period}/export`} download>
                    CSV<span className="sr-only"> of {periodLabel(h.period)}</span>
                  </a>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {pages > 1 && (
          <nav aria-label="Submitted months pages" className="mt-3 flex items-center justify-between text-sm text-slate-700">
            <span>
              Page {page} of {pages} ({history.total} months)
            </span>
            <span className="flex gap-2">
              {page > 1 && <ButtonLink variant="secondary" href={`/usage?historyPage=${page - 1}`}>Newer</ButtonLink>}
              {page < pages && <ButtonLink variant="secondary" href={`/usage?historyPage=${page + 1}`}>Older</ButtonLink>}
            </span>
          </nav>
        )}
      </section>
    </>
  );
}
