import { describe, expect, it } from "vitest";
import {
  adjustmentRefusals, autoRowsOf, describeSources, dueLabel, licenseInPeriod, manualRowRefusals, firstReportingPeriod,
  periodsNeedingAction, reportCsv, submitRefusal,
} from "./monthly-report";
import { reportDueAt } from "./reporting";

describe("firstReportingPeriod", () => {
  it("counts from the first contract's month", () => {
    expect(firstReportingPeriod([{ startDate: "2026-03-15" }, { startDate: "2025-11-02" }])).toBe("2025-11");
    expect(firstReportingPeriod([])).toBeNull();
  });
});

describe("which periods can be submitted", () => {
  it("from the first day of the month after the period, never before the first contract", () => {
    expect(submitRefusal("2026-10", "2026-01", new Date("2026-10-31T23:59:59.999Z"))).toMatch(/from 2026-11-01/);
    expect(submitRefusal("2026-10", "2026-01", new Date("2026-11-01T00:00:00Z"))).toBeNull();
    expect(submitRefusal("2026-12", "2026-01", new Date("2026-11-01T00:00:00Z"))).toMatch(/not ended/);
    expect(submitRefusal("2025-12", "2026-01", new Date("2026-11-01T00:00:00Z"))).toMatch(/before your first contract/);
    expect(submitRefusal("2026-12", "2026-01", new Date("2027-01-01T00:00:00Z"))).toBeNull(); // across the year end
  });

  it("lists the ended, unsubmitted periods with their deadlines, due or overdue", () => {
    const now = new Date("2026-11-07T12:00:00Z");
    const periods = ["2026-08", "2026-09", "2026-10"].map((period) => ({ period, dueAt: reportDueAt(period, 10) }));
    const actions = periodsNeedingAction(periods, new Set(["2026-08"]), now);
    expect(actions.map((a) => [a.period, a.health, a.dueLabel])).toEqual([
      ["2026-09", "MISSING", "overdue by 28 days"],
      ["2026-10", "OPEN", "due in 3 days"],
    ]);
    expect(actions[1].dueAt).toEqual(reportDueAt("2026-10", 10));
  });

  it("says due today on the due day up to 23:59:59 and overdue one second later", () => {
    const due = reportDueAt("2026-10", 10);
    expect(dueLabel(due, new Date("2026-11-10T00:00:00Z"))).toBe("due today");
    expect(dueLabel(due, new Date("2026-11-10T23:59:59Z"))).toBe("due today");
    expect(dueLabel(due, new Date("2026-11-11T00:00:00Z"))).toBe("overdue by 1 day");
    expect(dueLabel(due, new Date("2026-11-09T08:00:00Z"))).toBe("due in 1 day");
  });

  it("includes a license in a period when it existed before the period ended", () => {
    expect(licenseInPeriod(new Date("2026-10-31T23:59:59Z"), "2026-10")).toBe(true);
    expect(licenseInPeriod(new Date("2026-11-01T00:00:00Z"), "2026-10")).toBe(false);
  });
});

describe("auto-filled rows", () => {
  const usage = new Map([
    ["VBR_VM", { count: 342, sources: [{ installationId: "a", kind: "weekly" as const, count: 301 }, { installationId: "b", kind: "weekly" as const, count: 41 }] }],
  ]);
  it("one row per workload type of the key or reported, in catalog order, with points", () => {
    const rows = autoRowsOf("VBR_ENTPLUS", ["VBR_Server_Agent", "VBR_VM"], usage, new Map());
    expect(rows.map((r) => [r.workloadType, r.reportedCount, r.count, r.points])).toEqual([
      ["VBR_VM", 342, 342, 2394],
      ["VBR_Server_Agent", 0, 0, 0],
    ]);
  });
  it("an adjustment replaces the count and keeps the reason; the reported figure stays visible", () => {
    const rows = autoRowsOf("VBR_ENTPLUS", ["VBR_VM"], usage, new Map([["VBR_VM", { count: 300, reason: "lab VMs" }]]));
    expect(rows[0]).toMatchObject({ reportedCount: 342, count: 300, points: 2100, adjustmentReason: "lab VMs" });
  });
  it("describes where a figure came from", () => {
    expect(describeSources(usage.get("VBR_VM")!.sources)).toBe("2 installations, weekly high watermark (a: 301, b: 41)");
    expect(describeSources([])).toBe("No usage reported");
  });
});

describe("refusals", () => {
  it("manual rows: known product, its workload type, a whole number from 1", () => {
    expect(manualRowRefusals({ productId: "VBR_ENT", workloadType: "VBR_VM", count: 5 })).toEqual([]);
    expect(manualRowRefusals({ productId: "X", workloadType: "VBR_VM", count: 5 }).map((e) => e.path)).toEqual(["productId"]);
    expect(manualRowRefusals({ productId: "VB365", workloadType: "VBR_VM", count: 5 }).map((e) => e.path)).toEqual(["workloadType"]);
    for (const count of [0, -1, 1.5, Number.NaN, "3", 1_000_001]) {
      expect(manualRowRefusals({ productId: "VBR_ENT", workloadType: "VBR_VM", count }).map((e) => e.path)).toEqual(["count"]);
    }
  });
  it("adjustments: lowering needs a reason; raising or keeping does not; 0 is allowed", () => {
    expect(adjustmentRefusals(100, 90, "")).toEqual([{ path: "reason", message: expect.stringMatching(/100/) }]);
    expect(adjustmentRefusals(100, 90, "   ")).toHaveLength(1);
    expect(adjustmentRefusals(100, 90, "moved to another provider")).toEqual([]);
    expect(adjustmentRefusals(100, 100, null)).toEqual([]);
    expect(adjustmentRefusals(100, 120, undefined)).toEqual([]);
    expect(adjustmentRefusals(0, 0, null)).toEqual([]);
    expect(adjustmentRefusals(100, -1, "x").map((e) => e.path)).toEqual(["count"]);
    expect(adjustmentRefusals(100, 2.5, "x").map((e) => e.path)).toEqual(["count"]);
  });
});

describe("reportCsv", () => {
  it("a header and one line per row, quoted where needed, formulas neutralised", () => {
    const csv = reportCsv("2026-10", [
      { licenseId: "LIC-1", productId: "VBR_ENT", workloadType: "VBR_VM", reportedCount: 10, count: 8, points: 40, source: "AUTO", adjustmentReason: 'two "lab" VMs, off', company: "Initech", usageType: "INTERNAL" },
      { licenseId: null, productId: "VB365", workloadType: "VB365_User", reportedCount: null, count: 3, points: 3, source: "MANUAL", adjustmentReason: "=HYPERLINK()" },
    ]);
    expect(csv.split("\r\n")).toEqual([
      "period,license_id,product,workload_type,reported_count,count,points,source,adjustment_reason,company,usage_type",
      '2026-10,LIC-1,VBR_ENT,VBR_VM,10,8,40,AUTO,"two ""lab"" VMs, off",Initech,INTERNAL',
      "2026-10,,VB365,VB365_User,,3,3,MANUAL,'=HYPERLINK(),Unassigned,",
      "",
    ]);
  });
});
