import "server-only";
import type { Tx } from "../db";
import { organizationReporting } from "../domain/monthly-report";
import { endedPeriodsSince, suspension, type Suspension } from "../domain/reporting";

/**
 * Whether an organization is suspended (two consecutive periods late or missing, not all
 * submitted). Periods count from its first contract's start; the deadline uses the earliest
 * due day among its contracts.
 */
export async function organizationSuspension(tx: Tx, organizationId: string, now: Date): Promise<Suspension> {
  const contracts = await tx.contract.findMany({ where: { organizationId }, select: { startDate: true, dueDay: true } });
  const reporting = organizationReporting(contracts);
  if (!reporting) return { suspended: false, unsubmitted: [] };
  const periods = endedPeriodsSince(`${reporting.firstPeriod}-01`, now);
  const reports = await tx.monthlyReport.findMany({
    where: { organizationId, status: "SUBMITTED", period: { in: periods } },
    select: { period: true, submittedAt: true },
  });
  const submitted = new Map(reports.filter((r) => r.submittedAt).map((r) => [r.period, r.submittedAt as Date]));
  return suspension(periods, submitted, reporting.dueDay, now);
}
