import { shiftPeriod, type Period } from "./dates";

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
