import { periodOf, periodOfDate, periodRange, shiftPeriod, type DateString, type Period } from "./dates";

export const DEFAULT_DUE_DAY = 10;

/**
 * The deadline of the usage report for period P under a contract with `dueDay` (1 to 28):
 * 23:59:59 UTC of that day in the month after P. A report is on time when submitted by then.
 */
export function reportDueAt(period: Period, dueDay: number): Date {
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 28) throw new RangeError("due day must be 1 to 28");
  const next = shiftPeriod(period, 1);
  const [y, m] = next.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, dueDay, 23, 59, 59));
}

export function isOnTime(submittedAt: Date, period: Period, dueDay: number): boolean {
  return submittedAt.getTime() < reportDueAt(period, dueDay).getTime() + 1000;
}

export type PeriodHealth = "ON_TIME" | "LATE" | "OPEN" | "MISSING";

/**
 * ON_TIME / LATE once submitted; OPEN while not submitted and not yet past its deadline;
 * MISSING when not submitted and past its deadline.
 */
export function periodHealth(period: Period, submittedAt: Date | null, dueDay: number, now: Date): PeriodHealth {
  if (submittedAt) return isOnTime(submittedAt, period, dueDay) ? "ON_TIME" : "LATE";
  return now.getTime() > reportDueAt(period, dueDay).getTime() + 999 ? "MISSING" : "OPEN";
}

/** The periods that count for an organization: from its first contract's start month to the last ended month. */
export function endedPeriodsSince(firstContractStart: DateString, now: Date): Period[] {
  return periodRange(periodOfDate(firstContractStart), shiftPeriod(periodOf(now), -1));
}

export interface Suspension {
  suspended: boolean;
  /** Ended periods not yet submitted, oldest first: what must be submitted to lift it. */
  unsubmitted: Period[];
}

/**
 * An organization with two consecutive periods reported late or not at all cannot create new
 * license keys until every past period is submitted.
 */
export function suspension(
  periods: readonly Period[],
  submittedAt: ReadonlyMap<Period, Date>,
  dueDay: number,
  now: Date,
): Suspension {
  const health = periods.map((p) => periodHealth(p, submittedAt.get(p) ?? null, dueDay, now));
  const bad = (h: PeriodHealth) => h === "LATE" || h === "MISSING";
  const unsubmitted = periods.filter((p) => !submittedAt.has(p));
  // A suspension starts with two bad periods in a row and ends once every period up to the
  // second of them is submitted; an old, cleared lapse does not suspend again later.
  const suspended = health.some((h, i) => i > 0 && bad(h) && bad(health[i - 1]) && unsubmitted.some((p) => p <= periods[i]));
  return { suspended, unsubmitted };
}

export function suspensionMessage(s: Suspension): string {
  return `License management is suspended: two consecutive monthly usage reports were late or not submitted. Submit the usage report for ${s.unsubmitted.join(", ")} to create new license keys again.`;
}
