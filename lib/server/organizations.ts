import "server-only";
import { getDb } from "../db";
import { contractState } from "../domain/contracts";
import { toDateString, type Period } from "../domain/dates";
import { endedPeriodsSince, periodHealth, suspension } from "../domain/reporting";
import { AppError } from "../errors";
import type { ContractView, ReportingHealth, StaffOrganizationPage } from "../schemas/organizations";
import type { ProviderContext, StaffContext } from "./context";

const contractSelect = {
  number: true,
  type: true,
  status: true,
  startDate: true,
  endDate: true,
  pointsLimit: true,
  dueDay: true,
} as const;

function withState<T extends { status: "ACTIVE" | "TERMINATED"; endDate: string | null }>(c: T, now: Date): T & Pick<ContractView, "state"> {
  return { ...c, state: contractState(c, toDateString(now)) };
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
 * An organization's reporting health: which ended periods were reported late or are missing
 * (past their deadline and not submitted), which are still open, and whether it is suspended.
 * Periods count from its first contract's start; the deadline uses the earliest due day.
 */
export function reportingHealth(contracts: { startDate: string; dueDay: number }[], submitted: ReadonlyMap<Period, Date>, now: Date): ReportingHealth {
  if (contracts.length === 0) return { periods: 0, late: [], missing: [], open: [], suspended: false };
  const first = contracts.reduce((a, c) => (c.startDate < a ? c.startDate : a), contracts[0].startDate);
  const dueDay = Math.min(...contracts.map((c) => c.dueDay));
  const periods = endedPeriodsSince(first, now);
  const health = periods.map((p) => [p, periodHealth(p, submitted.get(p) ?? null, dueDay, now)] as const);
  return {
    periods: periods.length,
    late: health.filter(([, h]) => h === "LATE").map(([p]) => p),
    missing: health.filter(([, h]) => h === "MISSING").map(([p]) => p),
    open: health.filter(([, h]) => h === "OPEN").map(([p]) => p),
    suspended: suspension(periods, submitted, dueDay, now).suspended,
  };
}

/** For support staff: every organization with its contracts, automatic-reporting state and reporting health. */
export async function listOrganizations(ctx: StaffContext, page = 1): Promise<StaffOrganizationPage> {
  const db = getDb();
  const skip = (Math.max(1, page) - 1) * STAFF_ORGANIZATIONS_PAGE_SIZE;
  const [total, items] = await Promise.all([
    db.organization.count(),
    db.organization.findMany({
      orderBy: { name: "asc" },
      skip,
      take: STAFF_ORGANIZATIONS_PAGE_SIZE,
      select: {
        id: true,
        name: true,
        autoReportingEnabled: true,
        autoReportingChangedAt: true,
        autoReportingChangedBy: { select: { name: true } },
        contracts: { select: contractSelect, orderBy: { number: "asc" } },
      },
    }),
  ]);
  const reports = await db.monthlyReport.findMany({
    where: { organizationId: { in: items.map((o) => o.id) }, status: "SUBMITTED" },
    select: { organizationId: true, period: true, submittedAt: true },
  });
  const submittedOf = (orgId: string) =>
    new Map(reports.filter((r) => r.organizationId === orgId && r.submittedAt).map((r) => [r.period, r.submittedAt as Date]));
  return {
    items: items.map((o) => ({
      ...o,
      autoReportingChangedAt: o.autoReportingChangedAt?.toISOString() ?? null,
      autoReportingChangedBy: o.autoReportingChangedBy?.name ?? null,
      contracts: o.contracts.map((c) => withState(c, ctx.now)),
      health: reportingHealth(o.contracts, submittedOf(o.id), ctx.now),
    })),
    total,
    page: Math.max(1, page),
    pageSize: STAFF_ORGANIZATIONS_PAGE_SIZE,
  };
}
