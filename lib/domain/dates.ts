// Calendar dates ("YYYY-MM-DD") and periods ("YYYY-MM") in UTC. date-fns works in local time
// (UTC needs an extra package and still returns Date objects); the portal stores dates as
// strings, so these few conversions are plain UTC arithmetic on those strings.

export type DateString = string; // YYYY-MM-DD
export type Period = string; // YYYY-MM

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_RE = /^(\d{4})-(\d{2})$/;

export function isDateString(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return toDateString(d) === s;
}

export function isPeriod(s: string): boolean {
  const m = PERIOD_RE.exec(s);
  return !!m && +m[2] >= 1 && +m[2] <= 12;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The UTC calendar date of an instant. */
export function toDateString(d: Date): DateString {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Midnight UTC at the start of a calendar date. */
export function startOfDate(s: DateString): Date {
  const m = DATE_RE.exec(s);
  if (!m) throw new RangeError(`not a date: ${s}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
}

/** The last millisecond of a calendar date: an expiration date is valid through it. */
export function endOfDate(s: DateString): Date {
  return new Date(startOfDate(s).getTime() + 86_400_000 - 1);
}

export function addDays(s: DateString, days: number): DateString {
  return toDateString(new Date(startOfDate(s).getTime() + days * 86_400_000));
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: DateString, b: DateString): number {
  return Math.round((startOfDate(b).getTime() - startOfDate(a).getTime()) / 86_400_000);
}

export function periodOf(d: Date): Period {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`;
}

export function periodOfDate(s: DateString): Period {
  return s.slice(0, 7);
}

export function shiftPeriod(p: Period, months: number): Period {
  const m = PERIOD_RE.exec(p);
  if (!m) throw new RangeError(`not a period: ${p}`);
  const index = +m[1] * 12 + (+m[2] - 1) + months;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** Periods from `first` to `last`, both included, in order (empty when last < first). */
export function periodRange(first: Period, last: Period): Period[] {
  const out: Period[] = [];
  for (let p = first; p <= last; p = shiftPeriod(p, 1)) out.push(p);
  return out;
}

export function daysInMonth(p: Period): number {
  const m = PERIOD_RE.exec(p);
  if (!m) throw new RangeError(`not a period: ${p}`);
  return new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate();
}

/** First calendar date of a period. */
export function firstDateOf(p: Period): DateString {
  return `${p}-01`;
}

/**
 * The same day `months` later; a day that month lacks becomes its last day
 * (2028-02-29 + 12 months = 2029-02-28; 2026-01-31 + 1 month = 2026-02-28).
 */
export function addMonths(s: DateString, months: number): DateString {
  const [y, m, d] = s.split("-").map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = daysInMonth(`${pad(year, 4)}-${pad(month)}`);
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, last))}`;
}

export function minDate(a: DateString, b: DateString): DateString {
  return a <= b ? a : b;
}
