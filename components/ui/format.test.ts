import { describe, expect, it } from "vitest";
import { countOf, formatDate, formatDateTime, formatDeadline, formatMonthShort, formatNumber, formatUtc } from "./format";

describe("the one formatter", () => {
  it("shows a calendar date as the same day in every zone", () => {
    expect(formatDate("2027-06-03", "en-US")).toBe("Jun 3, 2027");
    expect(formatDate("2027-06-03", "de-DE")).toBe("03.06.2027");
  });
  it("names the zone of an instant", () => {
    expect(formatDateTime("2026-12-10T23:59:59Z", "en-US", "America/New_York")).toBe("Dec 10, 2026, 6:59 PM EST");
    expect(formatDateTime("2026-12-10T23:59:59Z", "en-US", "UTC")).toBe("Dec 10, 2026, 11:59 PM UTC");
  });
  it("puts UTC beside a deadline when the viewer's zone is another, and only then", () => {
    expect(formatDeadline("2026-12-10T23:59:59Z", "en-US", "America/New_York")).toBe("Dec 10, 2026, 6:59 PM EST (Dec 10, 2026, 23:59 UTC)");
    expect(formatDeadline("2026-12-10T23:59:59Z", "en-US", "UTC")).toBe("Dec 10, 2026, 11:59 PM UTC");
    expect(formatUtc("2026-12-10T23:59:59Z", "en-US")).toBe("Dec 10, 2026, 23:59 UTC");
  });
  it("labels months on chart axes with words, not 26/12", () => {
    expect(formatMonthShort("2026-12", "en-US")).toBe("Dec 2026");
  });
  it("groups numbers and agrees singular and plural", () => {
    expect(formatNumber(3407)).toBe("3,407");
    expect(countOf(1, "license")).toBe("1 license");
    expect(countOf(3407, "point")).toBe("3,407 points");
    expect(countOf(0, "key version")).toBe("0 key versions");
  });
});
