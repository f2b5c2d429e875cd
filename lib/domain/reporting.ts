import { daysInMonth, firstDateOf, periodOf, periodOfDate, periodRange, shiftPeriod, startOfDate, type DateString, type Period } from "./dates";

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
  return arrivesBy(submittedAt, reportDueAt(period, dueDay));
}

/** Whether something arriving at `at` meets the deadline `dueAt` (through its last second, 23:59:59.999). */
export function arrivesBy(at: Date, dueAt: Date): boolean {
  return at.getTime() < dueAt.getTime() + 1000;
}

/** What the reporting rules need of a contract. */
export interface ContractTerms {
  startDate: DateString;
  endDate: DateString | null;
  terminatedAt: Date | null;
  dueDay: number;
}

/** Whether a contract was active at some moment of period P (started by its end, not ended or terminated before its start). */
export function activeDuring(c: ContractTerms, period: Period): boolean {
  const first = firstDateOf(period);
  const last = `${period}-${String(daysInMonth(period)).padStart(2, "0")}`;
  if (c.startDate > last) return false;
  if (c.endDate !== null && c.endDate < first) return false;
  return c.terminatedAt === null || c.terminatedAt.getTime() >= startOfDate(first).getTime();
}

/**
 * The deadline of an organization's report for P: the earliest due day among the contracts
 * active during P; null when none was (the period does not count).
 */
export function periodDueAt(contracts: readonly ContractTerms[], period: Period): Date | null {
  const days = contracts.filter((c) => activeDuring(c, period)).map((c) => c.dueDay);
  return days.length ? reportDueAt(period, Math.min(...days)) : null;
}

/**
 * The ended periods an organization reports, with their deadlines: from the month its first
 * contract started to the last ended month, up to the month its last contract ended; a month in
 * which no contract was active does not count.
 */
export function reportingPeriods(contracts: readonly ContractTerms[], now: Date): { period: Period; dueAt: Date }[] {
  if (contracts.length === 0) return [];
  const first = contracts.reduce((a, c) => (c.startDate < a ? c.startDate : a), contracts[0].startDate);
  return periodRange(periodOfDate(first), shiftPeriod(periodOf(now), -1)).flatMap((period) => {
    const dueAt = periodDueAt(contracts, period);
    return dueAt ? [{ period, dueAt }] : [];
  });
}

export type PeriodHealth = "ON_TIME" | "LATE" | "OPEN" | "MISSING";

/**
 * ON_TIME / LATE once submitted, as decided and stored at the submission; OPEN while not
 * submitted and not yet past its deadline; MISSING when not submitted and past it.
 */
export function periodHealth(submission: { onTime: boolean } | null, dueAt: Date, now: Date): PeriodHealth {
  if (submission) return submission.onTime ? "ON_TIME" : "LATE";
  return now.getTime() > dueAt.getTime() + 999 ? "MISSING" : "OPEN";
}

export interface Suspension {
  suspended: boolean;
  /** Ended periods not yet submitted, oldest first: what must be submitted to lift it. */
  unsubmitted: Period[];
}

/**
 * An organization with two consecutive periods reported late or not at all cannot create new
 * license keys until every ended period is submitted. The latest such pair decides: the
 * suspension it started is lifted at the first moment when every period ended by then was
 * submitted (a later lapse suspends again; a lapse cleared that way does not come back).
 * `periods` are the ended reporting periods, oldest first (reportingPeriods).
 */
export function suspension(
  periods: readonly { period: Period; dueAt: Date }[],
  submissions: ReadonlyMap<Period, { submittedAt: Date; onTime: boolean }>,
  now: Date,
): Suspension {
  const unsubmitted = periods.filter((p) => !submissions.has(p.period)).map((p) => p.period);
  const bad = periods.map((p) => {
    const h = periodHealth(submissions.get(p.period) ?? null, p.dueAt, now);
    return h === "LATE" || h === "MISSING";
  });
  let pair = -1;
  for (let i = 1; i < periods.length; i++) if (bad[i] && bad[i - 1]) pair = i;
  if (pair < 0) return { suspended: false, unsubmitted };
  let lastSubmitted = 0;
  for (let k = 0; k < periods.length; k++) {
    const s = submissions.get(periods[k].period);
    if (!s) {
      if (k >= pair) break;
      lastSubmitted = Infinity;
      continue;
    }
    lastSubmitted = Math.max(lastSubmitted, s.submittedAt.getTime());
    // Every period up to k submitted by lastSubmitted, before the next period ended: a clear moment.
    const nextEnds = k + 1 < periods.length ? startOfDate(firstDateOf(shiftPeriod(periods[k + 1].period, 1))).getTime() : Infinity;
    if (k >= pair && lastSubmitted < nextEnds) return { suspended: false, unsubmitted };
  }
  return { suspended: true, unsubmitted };
}

export function suspensionMessage(s: Suspension): string {
  return `License management is suspended: two consecutive monthly usage reports were late or not submitted. Submit the usage report for ${s.unsubmitted.join(", ")} to create new license keys again.`;
}

/** An organization's reporting health, for support staff: its ended periods by health, and whether it is suspended. */
export interface ReportingHealth {
  periods: number;
  late: Period[];
  missing: Period[];
  open: Period[];
  suspended: boolean;
  /** Suspended, or one more late or missing report away from it. */
  atRisk: boolean;
}

export function reportingHealth(
  periods: readonly { period: Period; dueAt: Date }[],
  submissions: ReadonlyMap<Period, { submittedAt: Date; onTime: boolean }>,
  now: Date,
): ReportingHealth {
  const health = periods.map((p) => [p.period, periodHealth(submissions.get(p.period) ?? null, p.dueAt, now)] as const);
  const having = (h: PeriodHealth) => health.filter(([, x]) => x === h).map(([p]) => p);
  const suspended = suspension(periods, submissions, now).suspended;
  const bad = (h: PeriodHealth | undefined) => h === "LATE" || h === "MISSING";
  const [before, last] = [health.at(-2)?.[1], health.at(-1)?.[1]];
  // The last ended period bad, or still open after a bad one: the next miss makes two in a row.
  const atRisk = suspended || bad(last) || (last === "OPEN" && bad(before));
  return { periods: periods.length, late: having("LATE"), missing: having("MISSING"), open: having("OPEN"), suspended, atRisk };
}

/** Automatic submission: at 00:00 UTC of the due day of a period whose deadline is `dueAt`. */
export function autoSubmitAt(dueAt: Date): Date {
  return new Date(Date.UTC(dueAt.getUTCFullYear(), dueAt.getUTCMonth(), dueAt.getUTCDate()));
}
