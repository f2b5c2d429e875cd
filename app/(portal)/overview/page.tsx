import type { Metadata } from "next";
import Link from "next/link";
import { AutoReportingStatus } from "@/components/shell/auto-reporting-status";
import { ContractsTable } from "@/components/shell/contracts-table";
import { periodLabel } from "@/components/usage/period-label";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { formatNumber } from "@/components/ui/format";
import { HealthStrip } from "@/components/ui/health-strip";
import { LocalDate } from "@/components/ui/local-date";
import { relativeDays } from "@/components/ui/relative-days";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { toDateString } from "@/lib/domain/dates";
import { EXPIRING_WITHIN_DAYS } from "@/lib/domain/licenses";
import { licenseListQuery } from "@/lib/schemas/licenses";
import { licenseHealth, listLicenses } from "@/lib/server/license-list";
import { periodDue } from "@/lib/server/monthly-reports";
import { getOwnOrganization } from "@/lib/server/organizations";
import { countOpenCases } from "@/lib/server/support-cases";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requireProvider();
  const ctx = await providerContext(user);
  const today = toDateString(ctx.now);
  const canSubmit = can(user.role, "usage:submit");
  const [org, due, openCases, expiring, health] = await Promise.all([
    getOwnOrganization(ctx),
    periodDue(ctx),
    countOpenCases(ctx),
    listLicenses(ctx, licenseListQuery.parse({ state: "EXPIRING", sort: "expirationDate", dir: "asc", pageSize: 5 })),
    licenseHealth(ctx),
  ]);
  return (
    <>
      <PageHeader title="Overview" description={`${org.name} at a glance: is a report due, are your keys safe?`} />
      <HealthStrip
        tiles={[
          { label: "Expired keys", count: health.expired, href: "/licenses?state=EXPIRED", tone: "red", none: "No key has expired." },
          { label: `Expiring within ${EXPIRING_WITHIN_DAYS} days`, count: health.expiring, href: "/licenses?state=EXPIRING", tone: "amber", none: "None expires this week." },
          {
            label: "New keys not collected",
            count: health.awaitingCollection,
            href: "/licenses?collected=no",
            tone: "amber",
            none: "Every renewed key was collected.",
            hint: "renewed since any server last checked",
          },
          { label: "Months due", count: due?.count ?? 0, href: "/usage", tone: due?.health === "MISSING" ? "red" : "amber", none: "Nothing to report." },
        ]}
      />
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Usage report due">
          {due ? (
            <div className="space-y-2 text-sm text-slate-700">
              <p>
                <strong>{periodLabel(due.period)}</strong>, due <LocalDate value={due.dueAt} deadline />{" "}
                <Badge tone={due.health === "MISSING" ? "red" : "amber"}>{due.dueLabel}</Badge>
              </p>
              {due.count > 1 && <p>{due.count} months are waiting for your report.</p>}
              {canSubmit ? (
                <ButtonLink href={`/usage/${due.period}`}>Review and submit</ButtonLink>
              ) : (
                <>
                  <ButtonLink variant="secondary" href={`/usage/${due.period}`}>View report</ButtonLink>
                  <p className="text-xs text-slate-600">Only an administrator of your organization can submit it: ask one to.</p>
                </>
              )}
            </div>
          ) : (
            <p className="text-sm text-slate-700">Nothing is due: every ended month is submitted.</p>
          )}
        </Card>
        <Card title={`Keys expiring within ${EXPIRING_WITHIN_DAYS} days`}>
          {expiring.total === 0 ? (
            <p className="text-sm text-slate-700">No license key expires within {EXPIRING_WITHIN_DAYS} days.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {expiring.items.map((l) => (
                <li key={l.licenseId} className="flex justify-between gap-2">
                  <Link className="font-medium text-brand-800 underline-offset-2 hover:underline" href={`/licenses/${encodeURIComponent(l.licenseId)}`}>
                    {l.licenseId}
                  </Link>
                  <span className="text-slate-700">
                    <LocalDate value={l.expirationDate} /> <Badge tone={l.expirationDate === today ? "red" : "amber"}>{relativeDays(l.expirationDate, today)}</Badge>
                  </span>
                </li>
              ))}
              {expiring.total > expiring.items.length && (
                <li>
                  <Link className="text-brand-800 underline-offset-2 hover:underline" href="/licenses?state=EXPIRING">
                    All {formatNumber(expiring.total)} expiring keys
                  </Link>
                </li>
              )}
            </ul>
          )}
        </Card>
        <Card title="Automatic license reporting">
          <AutoReportingStatus enabled={org.autoReportingEnabled} changedAt={org.autoReportingChangedAt} changedBy={org.autoReportingChangedBy} />
        </Card>
        <Card title="Support cases">
          <p className="text-sm text-slate-700">
            {openCases === 0 ? "No open support case." : `${openCases} open support case${openCases === 1 ? "" : "s"}.`}{" "}
            <Link className="text-brand-800 underline underline-offset-2" href="/support">
              Support cases
            </Link>
          </p>
        </Card>
      </div>
      <h2 className="mb-3 mt-8 text-lg font-semibold">Contracts</h2>
      <ContractsTable contracts={org.contracts} caption="Your rental contracts" />
    </>
  );
}
