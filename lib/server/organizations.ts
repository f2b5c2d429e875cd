import "server-only";
import { getDb } from "../db";
import { contractState } from "../domain/contracts";
import { toDateString } from "../domain/dates";
import { reportingHealth, reportingPeriods } from "../domain/reporting";
import { submissionsOf } from "./reporting";
import { AppError } from "../errors";
import type { ContractView, StaffOrganizationPage, UsageSubmission } from "../schemas/organizations";
import { writeAudit } from "./audit";
import { dropAutoSubmitJobs, writeAutoSubmitJobs } from "./jobs/auto-submit";
import { openPeriodChecks } from "./monthly-reports/checks";
import type { ProviderContext, StaffContext } from "./context";

const contractSelect = {
  number: true,
  type: true,
  status: true,
  startDate: true,
  endDate: true,
  pointsLimit: true,
  dueDay: true,
  terminatedAt: true,
} as const;

function withState<T extends { status: "ACTIVE" | "TERMINATED"; endDate: string | null; terminatedAt: Date | null }>(c: T, now: Date): Omit<T, "terminatedAt"> & Pick<ContractView, "state" | "terminatedAt"> {
  return { ...c, terminatedAt: c.terminatedAt?.toISOString() ?? null, state: contractState(c, toDateString(now)) };
}

/** The caller's organization: its automatic-reporting state and its contracts. */
export async function getOwnOrganization(ctx: ProviderContext) {
  const org = await getDb().organization.findUnique({
    where: { id: ctx.actor.organizationId },
    select: {
      id: true,
      name: true,
      autoReportingEnabled: true,
      autoReportingChangedAt: true,
      autoReportingChangedBy: { select: { name: true, email: true } },
      autoSubmit: true,
      contracts: { select: contractSelect, orderBy: { number: "asc" } },
    },
  });
  if (!org) throw new AppError("NOT_FOUND", "Organization not found.");
  return { ...org, contracts: org.contracts.map((c) => withState(c, ctx.now)) };
}

/** One of the caller's contracts by its number; another organization's is "not found". */
export async function getOwnContract(ctx: ProviderContext, number: string): Promise<ContractView> {
  const contract = await getDb().contract.findFirst({
    where: { number, organizationId: ctx.actor.organizationId },
    select: contractSelect,
  });
  if (!contract) throw new AppError("NOT_FOUND", `Contract ${number} not found.`);
  return withState(contract, ctx.now);
}

export const STAFF_ORGANIZATIONS_PAGE_SIZE = 25;

/**
 * For support staff: every organization with its contracts, automatic-reporting state, reporting
 * health and the checks before Submit of its open periods; organizations at risk of suspension
 * first, then by name.
 */
export async function listOrganizations(ctx: StaffContext, page = 1): Promise<StaffOrganizationPage> {
  const db = getDb();
  const organizations = await db.organization.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      autoReportingEnabled: true,
      autoReportingChangedAt: true,
      autoReportingChangedBy: { select: { name: true } },
      contracts: { select: contractSelect, orderBy: { number: "asc" } },
    },
  });
  const reports = await db.monthlyReport.findMany({
    where: { status: "SUBMITTED" },
    select: { organizationId: true, period: true, submittedAt: true, onTime: true },
  });
  const rated = organizations.map((o) => {
    const periods = reportingPeriods(o.contracts, ctx.now);
    const submissions = submissionsOf(reports.filter((r) => r.organizationId === o.id));
    return { o, periods, submissions, health: reportingHealth(periods, submissions, ctx.now) };
  });
  rated.sort((a, b) => Number(b.health.atRisk) - Number(a.health.atRisk) || a.o.name.localeCompare(b.o.name));
  const current = Math.max(1, page);
  const shown = rated.slice((current - 1) * STAFF_ORGANIZATIONS_PAGE_SIZE, current * STAFF_ORGANIZATIONS_PAGE_SIZE);
  const items = [];
  for (const { o, periods, submissions, health } of shown) {
    items.push({
      ...o,
      autoReportingChangedAt: o.autoReportingChangedAt?.toISOString() ?? null,
      autoReportingChangedBy: o.autoReportingChangedBy?.name ?? null,
      contracts: o.contracts.map((c) => withState(c, ctx.now)),
      health,
      openPeriods: await openPeriodChecks(db, o.id, periods.filter((p) => !submissions.has(p.period)), ctx.now),
    });
  }
  return { items, total: organizations.length, page: current, pageSize: STAFF_ORGANIZATIONS_PAGE_SIZE };
}

/**
 * Settings > Usage submission: "Submit automatically on the due day". Turning it on writes the
 * automatic-submission jobs of the open periods in the same transaction (lib/server/jobs/), and
 * turning it off drops those still pending; a
 * period already past its due day is submitted at the runner's next pass, late. Audited.
 */
export async function setAutoSubmit(ctx: ProviderContext, on: boolean): Promise<UsageSubmission> {
  const organizationId = ctx.actor.organizationId;
  return getDb().$transaction(async (tx) => {
    const changed = await tx.organization.updateMany({ where: { id: organizationId, autoSubmit: !on }, data: { autoSubmit: on } });
    if (changed.count === 1) {
      await writeAudit(tx, ctx, {
        organizationId, action: on ? "organization.auto_submit_on" : "organization.auto_submit_off", targetType: "Organization", targetId: organizationId,
        before: { autoSubmit: !on }, after: { autoSubmit: on },
      });
    }
    if (!on) await dropAutoSubmitJobs(tx, organizationId);
    const scheduled = on ? await writeAutoSubmitJobs(tx, organizationId, ctx.now, true) : 0;
    return { autoSubmit: on, scheduled };
  });
}
