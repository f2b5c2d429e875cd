// The one formatter for dates and numbers on every page, toast and chart.
//
// Dates: the viewer's locale. A calendar date (YYYY-MM-DD: expirations, contract ends) is a
// UTC day and is shown as that day everywhere; an instant (a check, a submission, a deadline) is
// shown in the viewer's time zone with the zone named, and a deadline also in UTC beside it.
// `locale` and `timeZone` are parameters so that the server can render the UTC text first and
// the tests can pin them; pages pass nothing and get the browser's.
//
// Numbers: grouped the same way on the server and in the browser ("3,407"), so that the server's
// HTML and the browser's render agree.

type Instant = string | Date;

/** A YYYY-MM-DD calendar date or an ISO instant as a Date. */
export function toDate(value: Instant): Date {
  if (value instanceof Date) return value;
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}

/** "Jun 3, 2027" (a calendar date, the same day in every time zone). */
export function formatDate(value: Instant, locale?: string): string {
  return toDate(value).toLocaleDateString(locale, { dateStyle: "medium", timeZone: "UTC" });
}

/** "Dec 10, 2026, 6:59 PM EST": an instant in the viewer's (or the given) zone, the zone named. */
export function formatDateTime(value: Instant, locale?: string, timeZone?: string): string {
  return toDate(value).toLocaleString(locale, {
    year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short", timeZone,
  });
}

/** "Dec 10, 2026, 23:59 UTC". */
export function formatUtc(value: Instant, locale?: string): string {
  return toDate(value).toLocaleString(locale, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC", timeZoneName: "short",
  });
}

/** True when the zone shows the instant at the same wall-clock time as UTC (then UTC need not be repeated). */
export function sameAsUtc(value: Instant, timeZone?: string): boolean {
  const d = toDate(value);
  const wall = (tz: string | undefined) => d.toLocaleString("en-US", { hourCycle: "h23", timeZone: tz });
  return wall(timeZone) === wall("UTC");
}

/** A deadline: in the viewer's zone, and in UTC beside it when the zones differ. */
export function formatDeadline(value: Instant, locale?: string, timeZone?: string): string {
  const local = formatDateTime(value, locale, timeZone);
  return sameAsUtc(value, timeZone) ? local : `${local} (${formatUtc(value, locale)})`;
}

/** "Dec 2026": a reporting period (YYYY-MM) on a chart axis. */
export function formatMonthShort(period: string, locale?: string): string {
  return toDate(`${period}-01`).toLocaleDateString(locale, { month: "short", year: "numeric", timeZone: "UTC" });
}

/** "3,407". */
export function formatNumber(value: number): string {
  return value.toLocaleString("en-US");
}

/** "1 license", "3,407 points": a count with its noun, singular or plural. */
export function countOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(value)} ${value === 1 ? singular : plural}`;
}
