import { describe, expect, it } from "vitest";
import { checkKeyVersion, checkLicense, checkTerminatedServer, expectedSuspension, INVARIANTS, newLicense, reportArrived, type SimOrg } from "./model";
import { parseOutage } from "./command";
import { profileFor } from "./world";
import { timelineSvg } from "./svg";

const org = (dueDay = 10): SimOrg => ({
  index: 0, id: "org", adminId: "u", adminEmail: "a@x", profile: "on-time",
  contract: { number: "20000001", startDate: "2027-01-04", endDate: null, terminatedAt: null, dueDay }, submissions: new Map(),
});
const T = (s: string) => new Date(s);

describe("the model", () => {
  it("a new auto-reported license expires 75 days after its creation; an on-time report extends it one calendar month, once per period", () => {
    const l = newLicense("r", "LIC-1", org(), "auto-update", T("2027-01-04T00:00:00Z"));
    expect(l.expected).toBe("2027-03-20");
    reportArrived(l, "2027-01", T("2027-02-01T00:00:00Z"));
    expect(l.expected).toBe("2027-04-20");
    reportArrived(l, "2027-01", T("2027-02-03T09:00:00Z")); // the provider's submission of the same period
    expect(l.expected).toBe("2027-04-20");
    expect([...l.extendedFor]).toEqual(["2027-01"]);
  });
  it("a late report extends nothing; no report for two periods: the license expires on its date", () => {
    const l = newLicense("r", "LIC-1", org(10), "manual", T("2027-01-04T00:00:00Z"));
    reportArrived(l, "2027-01", T("2027-02-11T00:00:00Z")); // due 2027-02-10 23:59:59
    expect(l.expected).toBe("2027-03-20");
    expect(checkLicense(l, { expirationDate: "2027-03-20", extensions: 0 }, T("2027-03-21T00:00:00Z"))).toBeNull();
    expect(checkLicense(l, { expirationDate: "2027-04-20", extensions: 1 }, T("2027-03-21T00:00:00Z"))?.invariant).toBe(INVARIANTS.extendedOncePerPeriod);
    expect(checkLicense(l, { expirationDate: "2027-04-20", extensions: 0 }, T("2027-03-21T00:00:00Z"))?.invariant).toBe(INVARIANTS.expiresOnRuleDay);
  });
  it("a license whose reports all arrived on time and expired anyway is the first invariant", () => {
    const l = newLicense("r", "LIC-1", org(10), "auto-update", T("2027-01-04T00:00:00Z"));
    reportArrived(l, "2027-01", T("2027-02-01T00:00:00Z"));
    reportArrived(l, "2027-02", T("2027-03-01T00:00:00Z"));
    expect(checkLicense(l, { expirationDate: "2027-03-20", extensions: 2 }, T("2027-03-21T00:00:00Z"))?.invariant).toBe(INVARIANTS.onTimeNeverExpires);
  });
  it("key versions: never shorter except by a toggle-on", () => {
    const l = newLicense("r", "LIC-1", org(), "auto-update", T("2027-01-04T00:00:00Z"));
    expect(checkKeyVersion(l, { version: 2, expirationDate: "2027-04-20", reason: "EXTENDED" }, T("2027-02-01T00:00:00Z"))).toBeNull();
    expect(checkKeyVersion(l, { version: 3, expirationDate: "2027-03-01", reason: "AUTO_REPORTED_ON" }, T("2027-02-02T00:00:00Z"))).toBeNull();
    expect(checkKeyVersion(l, { version: 4, expirationDate: "2027-02-20", reason: "WORKLOADS_CHANGED" }, T("2027-02-03T00:00:00Z"))?.invariant).toBe(INVARIANTS.neverShorter);
  });
  it("a terminated contract's server must turn off at its first check", () => {
    expect(checkTerminatedServer("LIC-1", { checksAfterTermination: 0 }, false, T("2027-04-20T00:00:00Z"))).toBeNull();
    expect(checkTerminatedServer("LIC-1", { checksAfterTermination: 0 }, true, T("2027-04-20T00:00:00Z"))?.invariant).toBe(INVARIANTS.terminatedOffInOneCheck);
    expect(checkTerminatedServer("LIC-1", { checksAfterTermination: 1 }, false, T("2027-04-21T00:00:00Z"))?.invariant).toBe(INVARIANTS.terminatedOffInOneCheck);
  });
  it("suspension by the rules from the simulation's own submissions", () => {
    const o = org(10);
    expect(expectedSuspension(o, T("2027-03-11T00:00:00Z"))).toBe(true); // January and February missing
    o.submissions.set("2027-01", { submittedAt: T("2027-02-05T09:00:00Z"), onTime: true });
    expect(expectedSuspension(o, T("2027-03-11T00:00:00Z"))).toBe(false);
  });
});

describe("options and the picture", () => {
  it("outages, profiles", () => {
    expect(parseOutage("2027-03-01..2027-03-03")).toEqual({ from: T("2027-03-01T00:00:00Z"), to: T("2027-03-03T00:00:00Z") });
    expect(() => parseOutage("2027-03-03..2027-03-01")).toThrow(/TO after FROM/);
    expect(profileFor(0.05, { autoSubmitRate: 0.1, missRate: 0.1, lateRate: 0.1 })).toBe("auto");
    expect(profileFor(0.15, { autoSubmitRate: 0.1, missRate: 0.1, lateRate: 0.1 })).toBe("never");
    expect(profileFor(0.25, { autoSubmitRate: 0.1, missRate: 0.1, lateRate: 0.1 })).toBe("late");
    expect(profileFor(0.35, { autoSubmitRate: 0.1, missRate: 0.1, lateRate: 0.1 })).toBe("on-time");
  });
  it("draws one band per group with licenses, with checks and expirations", () => {
    const svg = timelineSvg(
      [{ day: "2027-01-31", groups: { a: { expired: 0, checks: 3, failed: 1 }, b: { expired: 0, checks: 0, failed: 0 } } }, { day: "2027-02-01", groups: { a: { expired: 2, checks: 1, failed: 0 }, b: { expired: 0, checks: 0, failed: 0 } } }],
      ["a", "b"], { a: 4, b: 0 }, [], "t <1>",
    );
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain("t &lt;1&gt;");
    expect(svg).toContain("2 expired at the end");
    expect(svg).not.toContain(">b<");
  });
});
