// The rules behind issue 21's pages: a key awaiting collection, the list's live-first order, one
// manual row per product and type, and last month's rows.
import { describe, expect, it } from "vitest";
import { awaitingCollection, liveFirst } from "./licenses";
import { changeAgainstLastMonth, duplicateManualRow, manualRowsToCopy } from "./monthly-report";

const today = "2026-12-03";
const issued = new Date("2026-11-05T09:30:00Z");

describe("awaitingCollection", () => {
  const key = { autoReported: true, revoked: false, expirationDate: "2027-01-15", keyIssuedAt: issued, lastCheckAt: null as Date | null };
  it("flags a renewed auto-reported key no server has checked since", () => {
    expect(awaitingCollection(key, today)).toBe(true);
    expect(awaitingCollection({ ...key, lastCheckAt: new Date("2026-11-05T09:29:59Z") }, today)).toBe(true);
  });
  it("clears once a check comes after the renewal", () => {
    expect(awaitingCollection({ ...key, lastCheckAt: issued }, today)).toBe(false);
    expect(awaitingCollection({ ...key, lastCheckAt: new Date("2026-11-06T00:00:00Z") }, today)).toBe(false);
  });
  it("never flags manual, revoked or expired keys", () => {
    expect(awaitingCollection({ ...key, autoReported: false }, today)).toBe(false);
    expect(awaitingCollection({ ...key, revoked: true }, today)).toBe(false);
    expect(awaitingCollection({ ...key, expirationDate: "2026-12-02" }, today)).toBe(false);
    expect(awaitingCollection({ ...key, expirationDate: today }, today)).toBe(true);
  });
});

describe("liveFirst", () => {
  it("puts live keys first by expiration, then expired and revoked ones, the most recent first", () => {
    const keys = [
      { id: "expired-long-ago", expirationDate: "2026-01-01", revoked: false },
      { id: "later", expirationDate: "2027-06-03", revoked: false },
      { id: "revoked", expirationDate: "2027-01-01", revoked: true },
      { id: "today", expirationDate: today, revoked: false },
      { id: "expired-yesterday", expirationDate: "2026-12-02", revoked: false },
    ];
    expect([...keys].sort((a, b) => liveFirst(a, b, today)).map((k) => k.id)).toEqual(["today", "later", "revoked", "expired-yesterday", "expired-long-ago"]);
  });
});

describe("manual rows against last month", () => {
  const vm = { productId: "VBR_ENT", workloadType: "VBR_VM" };
  const agent = { productId: "VBR_ENT", workloadType: "VBR_Server_Agent" };
  it("refuses a second row for the same product and type", () => {
    expect(duplicateManualRow([vm], { ...vm })).toBe(true);
    expect(duplicateManualRow([vm], agent)).toBe(false);
    expect(duplicateManualRow([vm], { productId: "VBR_ENTPLUS", workloadType: "VBR_VM" })).toBe(false);
  });
  it("copies only the pairs this month lacks, once each", () => {
    const previous = [{ ...vm, count: 10 }, { ...agent, count: 4 }, { ...agent, count: 5 }];
    expect(manualRowsToCopy(previous, [vm])).toEqual([{ ...agent, count: 4 }]);
    expect(manualRowsToCopy(previous, [vm, agent])).toEqual([]);
  });
  it("says each row's change, or null when last month had no such row", () => {
    expect(changeAgainstLastMonth({ ...vm, count: 12 }, [{ ...vm, count: 10 }])).toBe(2);
    expect(changeAgainstLastMonth({ ...vm, count: 8 }, [{ ...vm, count: 10 }])).toBe(-2);
    expect(changeAgainstLastMonth({ ...agent, count: 8 }, [{ ...vm, count: 10 }])).toBeNull();
  });
});
