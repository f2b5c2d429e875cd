import "server-only";
import type { Tx } from "../db";
import type { Period } from "../domain/dates";
import { firstReportingPeriod } from "../domain/monthly-report";
import { reportingPeriods, suspension, type ContractTerms, type Suspension } from "../domain/reporting";

/** Who submitted a period the portal submitted by itself (the audit's actor label too). */
export const AUTOMATIC_SUBMISSION = "system (automatic submission)";

/** What the reporting rules read of a contract (lib/domain/reporting.ts ContractTerms). */
export const contractTermsSelect = { startDate: true, endDate: true, terminatedAt: true, dueDay: true } as const;

export interface OrganizationReporting {
  /** The month of the first contract's start; null without any contract. */
  firstPeriod: Period | null;
  contracts: ContractTerms[];
  /** The ended periods that count, oldest first, with their deadlines. */
  periods: { period: Period; dueAt: Date }[];
  /** The submitted periods: when, and whether on time as decided at the submission. */
  submissions: Map<Period, { submittedAt: Date; onTime: boolean }>;
}

/** An organization's contracts, reporting periods and submissions, read once for the reporting rules. */
export async function organizationReporting(client: Tx, organizationId: string, now: Date): Promise<OrganizationReporting> {
  const contracts = await client.contract.findMany({ where: { organizationId }, select: contractTermsSelect });
  const reports = await client.monthlyReport.findMany({
    where: { organizationId, status: "SUBMITTED" },
    select: { period: true, submittedAt: true, onTime: true },
  });
  return {
    firstPeriod: firstReportingPeriod(contracts),
    contracts,
    periods: reportingPeriods(contracts, now),
    submissions: submissionsOf(reports),
  };
}

/** Submitted reports as the rules take them. */
export function submissionsOf(reports: readonly { period: string; submittedAt: Date | null; onTime: boolean | null }[]): Map<Period, { submittedAt: Date; onTime: boolean }> {
  return new Map(reports.filter((r) => r.submittedAt).map((r) => [r.period, { submittedAt: r.submittedAt as Date, onTime: !!r.onTime }]));
}

/** Whether an organization is suspended (two consecutive periods late or missing, until every ended period is submitted). */
export async function organizationSuspension(tx: Tx, organizationId: string, now: Date): Promise<Suspension> {
  const r = await organizationReporting(tx, organizationId, now);
  return suspension(r.periods, r.submissions, now);
}
