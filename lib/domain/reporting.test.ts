import { describe, expect, it } from "vitest";
import { activeDuring, isOnTime, periodDueAt, periodHealth, reportDueAt, reportingHealth, reportingPeriods, suspension, type ContractTerms } from "./reporting";

const contract = (over: Partial<ContractTerms> = {}): ContractTerms => ({ startDate: "2026-01-01", endDate: null, terminatedAt: null, dueDay: 10, ...over });

describe("the deadline of a period", () => {
  it("is 23:59:59 UTC of the due day in the month after, for due days 1 and 28 and across the year end", () => {
    const table: [string, number, string][] = [
      ["2026-10", 10, "2026-11-10T23:59:59.000Z"],
      ["2026-12", 1, "2027-01-01T23:59:59.000Z"],
      ["2027-01", 28, "2027-02-28T23:59:59.000Z"],
      ["2028-01", 28, "2028-02-28T23:59:59.000Z"],
    ];
    for (const [p, day, at] of table) expect(reportDueAt(p, day).toISOString()).toBe(at);
  });
  it("is on time through 23:59:59 of the due day, late from 00:00:00 the day after", () => {
    expect(isOnTime(new Date("2026-11-10T23:59:59.999Z"), "2026-10", 10)).toBe(true);
    expect(isOnTime(new Date("2026-11-11T00:00:00.000Z"), "2026-10", 10)).toBe(false);
  });
});

describe("contracts active during a period", () => {
  it("counts a contract that was active at any moment of the month", () => {
    const table: [Partial<ContractTerms>, string, boolean][] = [
      [{ startDate: "2026-10-31" }, "2026-10", true],
      [{ startDate: "2026-11-01" }, "2026-10", false],
      [{ endDate: "2026-10-01" }, "2026-10", true],
      [{ endDate: "2026-09-30" }, "2026-10", false],
      [{ terminatedAt: new Date("2026-10-01T00:00:00Z") }, "2026-10", true],
      [{ terminatedAt: new Date("2026-09-30T23:59:59Z") }, "2026-10", false],
      [{ startDate: "2028-02-29" }, "2028-02", true],
    ];
    for (const [over, p, active] of table) expect(activeDuring(contract(over), p), JSON.stringify(over)).toBe(active);
  });
  it("takes the earliest due day among the contracts active during P only: terminated, expired and future ones do not count", () => {
    // A terminated contract with due day 6 and an active one with due day 10: due day 10.
    const contracts = [
      contract({ dueDay: 6, terminatedAt: new Date("2026-08-15T00:00:00Z") }),
      contract({ dueDay: 10 }),
      contract({ dueDay: 1, startDate: "2027-01-01" }), // starts later
      contract({ dueDay: 2, endDate: "2026-05-31" }), // ended before
    ];
    expect(periodDueAt(contracts, "2026-10")?.toISOString()).toBe("2026-11-10T23:59:59.000Z");
    // While the terminated one was still active (August), its earlier day counts.
    expect(periodDueAt(contracts, "2026-08")?.toISOString()).toBe("2026-09-06T23:59:59.000Z");
    expect(periodDueAt(contracts, "2027-01")?.toISOString()).toBe("2027-02-01T23:59:59.000Z");
    expect(periodDueAt([contract({ startDate: "2027-01-01" })], "2026-10")).toBeNull();
  });
  it("a contract with an earlier due day added later does not move past deadlines", () => {
    const before = [contract({ dueDay: 10 })];
    const after = [...before, contract({ dueDay: 6, startDate: "2026-11-15" })];
    expect(periodDueAt(after, "2026-10")).toEqual(periodDueAt(before, "2026-10"));
    expect(periodDueAt(after, "2026-11")?.toISOString()).toBe("2026-12-06T23:59:59.000Z");
  });
});

describe("reportingPeriods", () => {
  it("runs from the first contract's month to the last ended month", () => {
    const periods = reportingPeriods([contract({ startDate: "2026-08-20" })], new Date("2026-11-03T00:00:00Z"));
    expect(periods.map((p) => p.period)).toEqual(["2026-08", "2026-09", "2026-10"]);
  });
  it("stops with the month in which the last contract ended: no missing periods after it", () => {
    const periods = reportingPeriods([contract({ startDate: "2025-03-01", endDate: "2025-06-15" })], new Date("2027-03-10T00:00:00Z"));
    expect(periods.map((p) => p.period)).toEqual(["2025-03", "2025-04", "2025-05", "2025-06"]);
    const terminated = reportingPeriods([contract({ startDate: "2025-03-01", terminatedAt: new Date("2025-04-02T10:00:00Z") })], new Date("2027-03-10T00:00:00Z"));
    expect(terminated.map((p) => p.period)).toEqual(["2025-03", "2025-04"]);
  });
  it("skips months in which no contract was active", () => {
    const periods = reportingPeriods([contract({ startDate: "2026-01-01", endDate: "2026-02-10" }), contract({ startDate: "2026-05-01" })], new Date("2026-06-02T00:00:00Z"));
    expect(periods.map((p) => p.period)).toEqual(["2026-01", "2026-02", "2026-05"]);
  });
});

describe("periodHealth", () => {
  const due = reportDueAt("2026-10", 10);
  it("uses the onTime stored at submission, and the deadline second for unsubmitted periods", () => {
    expect(periodHealth(null, due, new Date("2026-11-10T23:59:59.999Z"))).toBe("OPEN");
    expect(periodHealth(null, due, new Date("2026-11-11T00:00:00Z"))).toBe("MISSING");
    expect(periodHealth({ onTime: true }, due, new Date("2027-01-01T00:00:00Z"))).toBe("ON_TIME");
    expect(periodHealth({ onTime: false }, due, new Date("2027-01-01T00:00:00Z"))).toBe("LATE");
  });
});

describe("suspension", () => {
  const periodsOf = (...ps: string[]) => ps.map((period) => ({ period, dueAt: reportDueAt(period, 10) }));
  const periods = periodsOf("2026-08", "2026-09", "2026-10");
  const sub = (at: string, onTime = true) => ({ submittedAt: new Date(at), onTime });
  const onTime = (p: string) => sub(`${p}-28T00:00:00Z`);
  it("is not suspended when every period is on time", () => {
    const subs = new Map(periods.map((p) => [p.period, onTime(p.period)]));
    expect(suspension(periods, subs, new Date("2026-11-25T00:00:00Z")).suspended).toBe(false);
  });
  it("is suspended after two consecutive missing periods, and says which to submit", () => {
    const subs = new Map([["2026-08", onTime("2026-08")]]);
    expect(suspension(periods, subs, new Date("2026-11-25T00:00:00Z"))).toEqual({ suspended: true, unsubmitted: ["2026-09", "2026-10"] });
  });
  it("is not suspended while the second period is not yet overdue", () => {
    const subs = new Map([["2026-08", onTime("2026-08")]]);
    expect(suspension(periods, subs, new Date("2026-11-10T23:59:59Z")).suspended).toBe(false);
    expect(suspension(periods, subs, new Date("2026-11-11T00:00:00Z")).suspended).toBe(true);
  });
  it("counts a late period (stored onTime false) followed by a missing one", () => {
    const subs = new Map([["2026-08", onTime("2026-08")], ["2026-09", sub("2026-10-15T00:00:00Z", false)]]);
    expect(suspension(periods, subs, new Date("2026-11-25T00:00:00Z")).suspended).toBe(true);
  });
  it("stays until every ended period is submitted: August and September submitted on 5 November, October ended and not yet due", () => {
    const all = periodsOf("2026-07", "2026-08", "2026-09", "2026-10");
    const subs = new Map([
      ["2026-07", onTime("2026-07")],
      ["2026-08", sub("2026-11-05T09:00:00Z", false)],
      ["2026-09", sub("2026-11-05T09:00:00Z", false)],
    ]);
    expect(suspension(all, subs, new Date("2026-11-06T00:00:00Z"))).toEqual({ suspended: true, unsubmitted: ["2026-10"] });
    // October submitted (on time): every ended period is in, the suspension lifts.
    subs.set("2026-10", sub("2026-11-08T00:00:00Z"));
    expect(suspension(all, subs, new Date("2026-11-09T00:00:00Z"))).toEqual({ suspended: false, unsubmitted: [] });
  });
  it("does not suspend again for an old lapse that was cleared, when a new period ends", () => {
    const all = periodsOf("2026-08", "2026-09", "2026-10", "2026-11");
    const subs = new Map([
      ["2026-08", sub("2026-09-20T00:00:00Z", false)],
      ["2026-09", sub("2026-10-20T00:00:00Z", false)],
      ["2026-10", sub("2026-11-05T00:00:00Z")],
    ]);
    expect(suspension(all, subs, new Date("2026-12-02T00:00:00Z"))).toEqual({ suspended: false, unsubmitted: ["2026-11"] });
  });
  it("reads lateness from what was stored, not from today's contracts", () => {
    // Submitted on the 8th under a due day of 10: stored on time. A due day of 6 added later changes nothing.
    const ps = [{ period: "2026-09", dueAt: reportDueAt("2026-09", 6) }, { period: "2026-10", dueAt: reportDueAt("2026-10", 6) }];
    const subs = new Map([["2026-09", sub("2026-10-08T00:00:00Z", true)], ["2026-10", sub("2026-11-08T00:00:00Z", true)]]);
    expect(suspension(ps, subs, new Date("2026-11-20T00:00:00Z")).suspended).toBe(false);
  });
});

describe("reportingHealth", () => {
  const periods = ["2026-08", "2026-09", "2026-10"].map((period) => ({ period, dueAt: reportDueAt(period, 10) }));
  const sub = (onTime: boolean) => ({ submittedAt: new Date("2026-11-01T00:00:00Z"), onTime });
  it("is at risk one bad report before suspension, and not when the last reports were on time", () => {
    const now = new Date("2026-11-05T00:00:00Z"); // October open, not yet late
    expect(reportingHealth(periods, new Map([["2026-08", sub(true)], ["2026-09", sub(false)]]), now)).toMatchObject({ late: ["2026-09"], open: ["2026-10"], suspended: false, atRisk: true });
    expect(reportingHealth(periods, new Map([["2026-08", sub(true)], ["2026-09", sub(true)]]), now)).toMatchObject({ suspended: false, atRisk: false });
    expect(reportingHealth(periods, new Map([["2026-08", sub(true)]]), new Date("2026-11-20T00:00:00Z"))).toMatchObject({ missing: ["2026-09", "2026-10"], suspended: true, atRisk: true });
  });
});
