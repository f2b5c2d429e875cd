import { z } from "zod";

/** How far past the real time the test clock may be moved. */
export const TEST_CLOCK_MAX_YEARS_AHEAD = 2;

/**
 * The test clock's request, given the real time. Its range is 2000-01-01 to two years past the
 * real time: the portal writes dates with four-digit years (a clock near year 9999 made dates it
 * cannot write), and moving the clock runs every job that falls due on the way (one automatic
 * submission per month and organization), so a far future would take minutes; no test needs more.
 */
export function testClockSchema(realNow: Date) {
  const to = new Date(realNow);
  to.setUTCFullYear(to.getUTCFullYear() + TEST_CLOCK_MAX_YEARS_AHEAD);
  const range = `The test clock accepts times from 2000-01-01 to ${to.toISOString().slice(0, 10)} (${TEST_CLOCK_MAX_YEARS_AHEAD} years from now).`;
  return z.object({
    now: z.iso
      .datetime({ offset: true, message: "now must be an ISO 8601 date-time, e.g. 2027-01-15T10:00:00Z" })
      .refine((s) => {
        const t = Date.parse(s);
        // A malformed time is the format check's to report.
        return Number.isNaN(t) || (t >= Date.parse("2000-01-01T00:00:00Z") && t <= to.getTime());
      }, range),
  });
}
