import { describe, expect, it } from "vitest";
import {
  addDays, daysBetween, daysInMonth, endOfDate, isDateString, isPeriod, periodOf, periodRange, shiftPeriod, toDateString,
} from "./dates";
import { isOnTime, reportDueAt } from "./reporting";

describe("dates", () => {
  it("formats instants as UTC calendar dates", () => {
    expect(toDateString(new Date("2026-12-31T23:59:59.999Z"))).toBe("2026-12-31");
    expect(toDateString(new Date("2027-01-01T00:00:00Z"))).toBe("2027-01-01");
    expect(periodOf(new Date("2028-02-29T12:00:00Z"))).toBe("2028-02");
  });

  it("adds days across month ends, year ends and leap days", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-11-25", 75)).toBe("2027-02-08");
    expect(daysBetween("2026-11-25", "2027-02-08")).toBe(75);
    expect(daysBetween("2027-02-08", "2026-11-25")).toBe(-75);
  });

  it("treats an expiration date as valid through its last millisecond", () => {
    expect(endOfDate("2026-11-30").toISOString()).toBe("2026-11-30T23:59:59.999Z");
  });

  it("validates dates and periods", () => {
    expect(isDateString("2028-02-29")).toBe(true);
    expect(isDateString("2027-02-29")).toBe(false);
    expect(isDateString("2026-13-01")).toBe(false);
    expect(isPeriod("2026-12")).toBe(true);
    expect(isPeriod("2026-00")).toBe(false);
    expect(isPeriod("2026-1")).toBe(false);
  });

  it("shifts and ranges periods across years", () => {
    expect(shiftPeriod("2026-12", 1)).toBe("2027-01");
    expect(shiftPeriod("2027-01", -1)).toBe("2026-12");
    expect(shiftPeriod("2026-05", -17)).toBe("2024-12");
    expect(periodRange("2026-11", "2027-02")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(periodRange("2027-02", "2026-11")).toEqual([]);
    expect(daysInMonth("2028-02")).toBe(29);
    expect(daysInMonth("2027-02")).toBe(28);
    expect(daysInMonth("2027-04")).toBe(30);
    expect(daysInMonth("2027-01")).toBe(31);
  });
});

describe("reportDueAt", () => {
  it("is 23:59:59 UTC of the due day in the month after the period, for every due day", () => {
    for (let day = 1; day <= 28; day++) {
      expect(reportDueAt("2026-12", day).toISOString()).toBe(`2027-01-${String(day).padStart(2, "0")}T23:59:59.000Z`);
      expect(reportDueAt("2027-01", day).toISOString()).toBe(`2027-02-${String(day).padStart(2, "0")}T23:59:59.000Z`);
    }
  });

  it("refuses due days outside 1 to 28", () => {
    expect(() => reportDueAt("2026-12", 0)).toThrow();
    expect(() => reportDueAt("2026-12", 29)).toThrow();
  });

  it("is on time at 23:59:59 and late one second later", () => {
    expect(isOnTime(new Date("2027-01-10T23:59:59.000Z"), "2026-12", 10)).toBe(true);
    expect(isOnTime(new Date("2027-01-10T23:59:59.999Z"), "2026-12", 10)).toBe(true);
    expect(isOnTime(new Date("2027-01-11T00:00:00.000Z"), "2026-12", 10)).toBe(false);
  });
});
