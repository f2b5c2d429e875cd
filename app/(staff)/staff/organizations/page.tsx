import type { Metadata } from "next";
import { ContractsTable } from "@/components/shell/contracts-table";
import { ContractActions, NewContractForm } from "@/components/staff/contract-forms";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { LocalDate } from "@/components/ui/local-date";
import { Pagination } from "@/components/ui/pagination";
import { requireStaff, staffContext } from "@/lib/auth/current-user";
import type { ReportingHealth } from "@/lib/schemas/organizations";
import { listOrganizations } from "@/lib/server/organizations";

export const metadata: Metadata = { title: "Organizations" };

function HealthSummary({ health }: { health: ReportingHealth }) {
  if (health.periods === 0) return <p className="text-sm text-slate-600">No ended reporting period yet.</p>;
  const clean = health.late.length === 0 && health.missing.length === 0;
  return (
    <div className="space-y-1 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        {health.suspended ? (
          <Badge tone="red">Suspended: license management blocked</Badge>
        ) : health.atRisk ? (
          <Badge tone="amber">At risk of suspension: one more late or missing report</Badge>
        ) : clean ? (
          <Badge tone="green">Every report on time</Badge>
        ) : (
          <Badge tone="amber">Reports late or missing</Badge>
        )}
        <span className="text-slate-600">{health.periods} ended period(s) since the first contract.</span>
      </p>
      <dl className="grid grid-cols-[8rem_1fr] gap-y-1">
        <dt className="text-slate-600">Missing</dt>
        <dd className="font-mono">{health.missing.length ? health.missing.join(", ") : "none"}</dd>
        <dt className="text-slate-600">Late</dt>
        <dd className="font-mono">{health.late.length ? health.late.join(", ") : "none"}</dd>
        {health.open.length > 0 && (
          <>
            <dt className="text-slate-600">Due, not late yet</dt>
            <dd className="font-mono">{health.open.join(", ")}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

export default async function OrganizationsPage({ searchParams }: PageProps<"/staff/organizations">) {
  const user = await requireStaff();
  const page = Math.max(1, Number((await searchParams).page) || 1);
  const result = await listOrganizations(await staffContext(user), page);
  return (
    <>
      <PageHeader
        title="Organizations"
        description={`${result.total} service provider organization(s), with their contracts, automatic-reporting state and reporting health; those at risk of suspension first.`}
      />
      {result.items.length === 0 && <EmptyState title="No organizations on this page." />}
      <div className="space-y-6">
        {result.items.map((org) => (
          <Card
            key={org.id}
            title={org.name}
            actions={<Badge tone={org.autoReportingEnabled ? "green" : "neutral"}>{org.autoReportingEnabled ? "Automatic reporting on" : "Automatic reporting off"}</Badge>}
          >
            <div className="grid gap-4 md:grid-cols-2">
              <section aria-label={`Automatic reporting of ${org.name}`} className="text-sm">
                <h3 className="mb-1 font-semibold text-slate-800">Automatic license reporting</h3>
                <p className="text-slate-700">
                  {org.autoReportingEnabled ? "Enabled" : "Not enabled"}
                  {org.autoReportingChangedAt && (
                    <>
                      {org.autoReportingEnabled ? " since " : ", last changed "}
                      <LocalDate value={org.autoReportingChangedAt} withTime />
                      {org.autoReportingChangedBy ? ` by ${org.autoReportingChangedBy}` : ""}
                    </>
                  )}
                  .
                </p>
              </section>
              <section aria-label={`Reporting health of ${org.name}`}>
                <h3 className="mb-1 text-sm font-semibold text-slate-800">Reporting health</h3>
                <HealthSummary health={org.health} />
              </section>
            </div>
            {org.openPeriods.length > 0 && (
              <section aria-label={`Open periods of ${org.name}`} className="mt-4 text-sm">
                <h3 className="mb-1 font-semibold text-slate-800">Checks before Submit of the open periods</h3>
                <ul className="space-y-2">
                  {org.openPeriods.map((p) => (
                    <li key={p.period}>
                      <span className="font-mono">{p.period}</span>:{" "}
                      {p.checks.length === 0 ? (
                        <span className="text-slate-600">nothing to look at.</span>
                      ) : (
                        <ul className="ml-5 list-disc">
                          {p.checks.map((c, i) => (
                            <li key={i}>{c.message}</li>
                          ))}
                        </ul>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            <h3 className="mb-2 mt-4 text-sm font-semibold text-slate-800">Contracts</h3>
            <ContractsTable contracts={org.contracts} caption={`Contracts of ${org.name}`} actions={(c) => <ContractActions number={c.number} state={c.state} />} />
            <NewContractForm organizationId={org.id} organizationName={org.name} />
          </Card>
        ))}
      </div>
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} noun="organizations" href={(p) => (p > 1 ? `?page=${p}` : "?")} />
    </>
  );
}
