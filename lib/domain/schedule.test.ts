import { describe, expect, it } from "vitest";
import { nextAction, nextCheckAt, retryPeriodEnd, type AgentState } from "./schedule";

const at = new Date("2026-11-01T08:00:00Z");

describe("nextCheckAt", () => {
  it("is a week later far from expiration", () => {
    expect(nextCheckAt("NotRequired", "2027-02-08", at).toISOString()).toBe("2026-11-08T08:00:00.000Z");
    expect(nextCheckAt("Success", "2027-02-08", at).toISOString()).toBe("2026-11-08T08:00:00.000Z");
  });
  it("switches to daily from 7 days before expiration, without skipping past the window's start", () => {
    // expires 2026-11-12: the daily window starts 2026-11-05 00:00 UTC, before a week is up
    expect(nextCheckAt("NotRequired", "2026-11-12", at).toISOString()).toBe("2026-11-05T00:00:00.000Z");
    expect(nextCheckAt("NotRequired", "2026-11-08", at).toISOString()).toBe("2026-11-02T08:00:00.000Z");
    // after expiration (during the retry period) still daily
    expect(nextCheckAt("NotRequired", "2026-10-20", at).toISOString()).toBe("2026-11-02T08:00:00.000Z");
  });
  it("retries in 60 minutes after a connection failure or invalid answer, 24 hours after GenerationFailed", () => {
    expect(nextCheckAt("ConnectionFailed", "2027-02-08", at).toISOString()).toBe("2026-11-01T09:00:00.000Z");
    expect(nextCheckAt("InvalidAnswer", "2027-02-08", at).toISOString()).toBe("2026-11-01T09:00:00.000Z");
    expect(nextCheckAt("GenerationFailed", "2027-02-08", at).toISOString()).toBe("2026-11-02T08:00:00.000Z");
  });
});

describe("retryPeriodEnd", () => {
  it("is as many days after the earlier expiration as that month has", () => {
    expect(retryPeriodEnd("2027-01-15", "2027-01-15").toISOString()).toBe("2027-02-15T23:59:59.999Z"); // January: 31 days
    expect(retryPeriodEnd("2027-04-10", "2027-05-01").toISOString()).toBe("2027-05-10T23:59:59.999Z"); // April: 30 days
    expect(retryPeriodEnd("2028-02-10", "2028-03-01").toISOString()).toBe("2028-03-10T23:59:59.999Z"); // leap February: 29
  });
  it("takes the length of the month of the license expiration, even when the support expiration is earlier", () => {
    // License 2027-03-01 (March: 31 days), support 2027-02-10: 2027-02-10 + 31 days.
    expect(retryPeriodEnd("2027-03-01", "2027-02-10").toISOString()).toBe("2027-03-13T23:59:59.999Z");
    // License in April (30 days), support earlier in March.
    expect(retryPeriodEnd("2027-04-05", "2027-03-31").toISOString()).toBe("2027-04-30T23:59:59.999Z");
  });
});

describe("nextAction", () => {
  const base: AgentState = { autoUpdate: true, supportId: "03110042", edition: "Enterprise", expirationDate: "2027-02-08", supportExpirationDate: "2027-02-08", last: null };
  it("checks at once the first time, then by the schedule", () => {
    expect(nextAction(base, at)).toEqual({ type: "check", at });
    expect(nextAction({ ...base, last: { outcome: "NotRequired", at } }, at)).toEqual({ type: "check", at: new Date("2026-11-08T08:00:00Z") });
  });
  it("turns automatic update off on ContractTerminated, and when the retry period is over", () => {
    expect(nextAction({ ...base, last: { outcome: "ContractTerminated", at } }, at).type).toBe("disable");
    const late = new Date("2027-03-12T00:00:00Z"); // February has 28 days: the retry period ended 2027-03-08
    expect(nextAction({ ...base, last: { outcome: "ConnectionFailed", at: late } }, late).type).toBe("disable");
    const inRetry = new Date("2027-03-08T12:00:00Z");
    expect(nextAction({ ...base, last: { outcome: "ConnectionFailed", at: inRetry } }, inRetry).type).toBe("check");
  });
  it("turns off exactly at the end of the retry period, and never schedules a check past it", () => {
    const end = retryPeriodEnd(base.expirationDate, base.supportExpirationDate); // 2027-03-08T23:59:59.999Z
    expect(nextAction(base, new Date(end.getTime() - 1)).type).toBe("check");
    expect(nextAction(base, end)).toMatchObject({ type: "disable", at: end });
    // A GenerationFailed 12 hours before the end: the 24-hour retry would fall after it.
    const before = new Date(end.getTime() - 12 * 3_600_000);
    expect(nextAction({ ...base, last: { outcome: "GenerationFailed", at: before } }, before)).toEqual({ type: "disable", reason: expect.any(String), at: end });
    // Whatever the last outcome and time, the next action never lies past the end.
    for (const outcome of ["NotRequired", "Success", "ConnectionFailed", "InvalidAnswer", "GenerationFailed"] as const) {
      for (let h = 0; h < 24 * 40; h += 7) {
        const t = new Date(Date.parse("2027-02-01T00:00:00Z") + h * 3_600_000);
        if (t.getTime() >= end.getTime()) break;
        const next = nextAction({ ...base, last: { outcome, at: t } }, t);
        expect("at" in next && next.at.getTime()).toBeLessThanOrEqual(end.getTime());
      }
    }
  });
  it("is not available for Community edition or without a real contract number", () => {
    expect(nextAction({ ...base, edition: "Community" }, at).type).toBe("disable");
    expect(nextAction({ ...base, supportId: null }, at).type).toBe("disable");
    expect(nextAction({ ...base, autoUpdate: false }, at).type).toBe("stopped");
  });
});
