// The agent's plan around every boundary of the seed "Updating License Automatically"
// (000_adc6e3bf418d6b5e): weekly checks, daily from exactly 7 days before expiration, retries every
// 60 minutes or 24 hours, the retry period (31 days for a January expiration, 30 for April), the
// earlier of license and support expiration, turning off exactly at the end; and the reports.
import { describe, expect, it } from "vitest";
import type { CheckOutcome } from "@/lib/domain/schedule";
import type { KeyClaims } from "./claims";
import { afterCheck, afterReport, dueActions, initialRunState, nextDueAt, observe, type RunState } from "./plan";

const claims = (expirationDate: string, supportExpirationDate = expirationDate, supportId: string | null = "03110042", edition: string | null = "Enterprise"): KeyClaims => ({
  iss: "vcsp-pulse", sub: "LIC-TEST1-00001", jti: "j", ver: 1,
  lic: {
    licenseId: "LIC-TEST1-00001", organization: { id: "o", name: "Org" }, supportId, type: "RENTAL",
    product: { id: "VBR_ENT", name: "Veeam Backup & Replication", edition }, workloads: [{ type: "VBR_VM", count: 10 }], points: 50,
    autoReported: true, expirationDate, supportExpirationDate,
  },
});
const T = (iso: string) => new Date(iso);

/** A state whose last check was `outcome` at `at`, with reports up to date (only checks matter). */
function after(outcome: CheckOutcome, at: string, enabledAt = "2026-01-01T00:00:00Z"): RunState {
  const s = { ...initialRunState("vbr-test-0001", T(enabledAt)), lastWeeklyReportAt: "2100-01-01T00:00:00Z", monthlyReported: "2100-01" };
  return afterCheck(s, outcome, T(at));
}
const checks = (s: RunState, c: KeyClaims, at: string) => dueActions(s, c, T(at)).filter((a) => a.type === "check" || a.type === "disable");

describe("update checks by the seed's schedule", () => {
  const c = claims("2027-02-15");
  it("checks at once when enabled, then once a week", () => {
    expect(checks(after("NotRequired", "2027-01-01T10:00:00Z"), c, "2027-01-08T09:59:59.999Z")).toEqual([]);
    expect(checks(after("NotRequired", "2027-01-01T10:00:00Z"), c, "2027-01-08T10:00:00Z")).toEqual([{ type: "check" }]);
    const fresh = { ...initialRunState("vbr-test-0001", T("2027-01-01T00:00:00Z")), lastWeeklyReportAt: "2100-01-01T00:00:00Z" };
    expect(checks(fresh, c, "2027-01-01T00:00:00Z")).toEqual([{ type: "check" }]);
  });
  it("from exactly 7 days before expiration (00:00 UTC), once a day", () => {
    // Expires 2027-02-15: the daily window starts 2027-02-08T00:00Z. A weekly check on 2027-02-03 comes back on the 8th at 00:00, not the 10th.
    const s = after("NotRequired", "2027-02-03T10:00:00Z");
    expect(checks(s, c, "2027-02-07T23:59:59.999Z")).toEqual([]);
    expect(checks(s, c, "2027-02-08T00:00:00Z")).toEqual([{ type: "check" }]);
    const inWindow = after("NotRequired", "2027-02-08T00:00:00Z");
    expect(checks(inWindow, c, "2027-02-08T23:59:59.999Z")).toEqual([]);
    expect(checks(inWindow, c, "2027-02-09T00:00:00Z")).toEqual([{ type: "check" }]);
  });
  it("retries 60 minutes after a connection failure or an invalid answer, 24 hours after GenerationFailed", () => {
    for (const o of ["ConnectionFailed", "InvalidAnswer"] as const) {
      expect(checks(after(o, "2027-01-05T10:00:00Z"), c, "2027-01-05T10:59:59.999Z")).toEqual([]);
      expect(checks(after(o, "2027-01-05T10:00:00Z"), c, "2027-01-05T11:00:00Z")).toEqual([{ type: "check" }]);
    }
    expect(checks(after("GenerationFailed", "2027-01-05T10:00:00Z"), c, "2027-01-06T09:59:59.999Z")).toEqual([]);
    expect(checks(after("GenerationFailed", "2027-01-05T10:00:00Z"), c, "2027-01-06T10:00:00Z")).toEqual([{ type: "check" }]);
  });
  it("the retry period: 31 days after a January expiration, 30 after April, then automatic update turns off exactly at its end", () => {
    const jan = claims("2027-01-20");
    expect(checks(after("ConnectionFailed", "2027-02-20T22:00:00Z"), jan, "2027-02-20T23:00:00Z")).toEqual([{ type: "check" }]);
    // 2027-01-20 + 31 days = 2027-02-20: the period ends with that day.
    expect(checks(after("ConnectionFailed", "2027-02-20T23:00:00Z"), jan, "2027-02-20T23:59:59.998Z")).toEqual([]);
    expect(checks(after("ConnectionFailed", "2027-02-20T23:00:00Z"), jan, "2027-02-20T23:59:59.999Z")).toEqual([{ type: "disable", reason: expect.stringMatching(/retry period/) }]);
    const apr = claims("2027-04-20");
    expect(checks(after("ConnectionFailed", "2027-05-20T23:30:00Z"), apr, "2027-05-20T23:59:59.999Z")[0].type).toBe("disable");
    expect(checks(after("ConnectionFailed", "2027-05-19T23:30:00Z"), apr, "2027-05-20T00:30:00Z")).toEqual([{ type: "check" }]);
  });
  it("the retry period counts from the earlier of license and support expiration", () => {
    // License 2027-04-20 (April: 30 days), support 2027-03-10: the period ends 2027-04-09.
    const c2 = claims("2027-04-20", "2027-03-10");
    expect(checks(after("NotRequired", "2027-04-09T12:00:00Z"), c2, "2027-04-09T23:59:59.999Z")[0].type).toBe("disable");
    expect(checks(after("NotRequired", "2027-04-01T12:00:00Z"), c2, "2027-04-08T12:00:00Z")).toEqual([{ type: "check" }]);
    // The next weekly check (the 15th) would fall past the end: nothing is due until the end, then off.
    expect(checks(after("NotRequired", "2027-04-08T12:00:00Z"), c2, "2027-04-09T23:59:59.998Z")).toEqual([]);
  });
  it("ContractTerminated and UnsupportedLicenseType turn automatic update off at once; off means nothing is due", () => {
    const s = afterCheck(after("NotRequired", "2027-01-01T00:00:00Z"), "ContractTerminated", T("2027-01-08T00:00:00Z"));
    expect(s.autoUpdate).toBe(false);
    expect(dueActions(s, c, T("2027-03-01T00:00:00Z"))).toEqual([]);
    expect(nextDueAt(s, c, T("2027-03-01T00:00:00Z"))).toBeNull();
    expect(afterCheck(after("NotRequired", "2027-01-01T00:00:00Z"), "UnsupportedLicenseType", T("2027-01-08T00:00:00Z")).autoUpdate).toBe(false);
  });
  it("not available for the Community edition nor without a real contract number", () => {
    expect(checks(after("NotRequired", "2027-01-01T00:00:00Z"), claims("2027-02-15", "2027-02-15", null), "2027-01-02T00:00:00Z")[0].type).toBe("disable");
    expect(checks(after("NotRequired", "2027-01-01T00:00:00Z"), claims("2027-02-15", "2027-02-15", "03110042", "Community"), "2027-01-02T00:00:00Z")[0].type).toBe("disable");
  });
});

describe("usage reports", () => {
  const c = claims("2027-03-15");
  const base = afterCheck(initialRunState("vbr-test-0001", T("2027-01-10T08:00:00Z")), "NotRequired", T("2027-01-10T08:00:00Z"));
  it("a weekly report when enabled and every 7 days; the monthly report of the ended month at 00:00 UTC on the 1st, not for months ended before enabling", () => {
    expect(dueActions(base, c, T("2027-01-10T08:00:00Z"))).toEqual([{ type: "weekly-report", period: "2027-01" }]);
    const s = afterReport(base, { installationId: "x", reportId: "r1", kind: "weekly", period: "2027-01", collectedAt: "2027-01-10T08:00:00Z", workloads: [] }, "stored", T("2027-01-10T08:00:00Z"));
    expect(dueActions(s, c, T("2027-01-17T07:59:59Z"))).toEqual([]);
    expect(dueActions(s, c, T("2027-01-17T08:00:00Z"))).toEqual([{ type: "weekly-report", period: "2027-01" }, { type: "check" }]);
    expect(dueActions(s, c, T("2027-01-31T23:59:59.999Z")).map((a) => a.type)).not.toContain("monthly-report");
    expect(dueActions(s, c, T("2027-02-01T00:00:00Z"))[0]).toEqual({ type: "monthly-report", period: "2027-01" });
    const m = afterReport(s, { installationId: "x", reportId: "r2", kind: "monthly", period: "2027-01", collectedAt: "2027-01-31T23:59:59Z", workloads: [] }, "stored", T("2027-02-01T00:00:00Z"));
    expect(dueActions(m, c, T("2027-02-01T00:00:01Z")).map((a) => a.type)).not.toContain("monthly-report");
  });
  it("a report that met a connection failure is retried with the same body (report id) 60 minutes later, once", () => {
    const body = { installationId: "x", reportId: "rep-same", kind: "monthly" as const, period: "2027-01", collectedAt: "2027-01-31T23:59:59Z", workloads: [] };
    const s = afterReport(base, body, "retry", T("2027-02-01T00:00:00Z"));
    expect(s.monthlyReported).toBe("2027-01");
    expect(s.pending).toEqual([{ body, retryAt: "2027-02-01T01:00:00.000Z" }]);
    expect(dueActions(s, c, T("2027-02-01T00:59:00Z")).map((a) => a.type)).not.toContain("retry-report");
    expect(dueActions(s, c, T("2027-02-01T01:00:00Z"))[0]).toEqual({ type: "retry-report", index: 0 });
    const done = afterReport(s, body, "stored", T("2027-02-01T01:00:00Z"), 0);
    expect(done.pending).toEqual([]);
  });
  it("a clock moved back is not followed backwards", () => {
    const s = observe(base, T("2027-02-01T00:00:00Z")).state;
    expect(observe(s, T("2027-01-01T00:00:00Z")).now.toISOString()).toBe("2027-02-01T00:00:00.000Z");
  });
});
