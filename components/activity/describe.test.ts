import { describe, expect, it } from "vitest";
import { actionLabel, changes, targetHref, targetLabel } from "./describe";

describe("the activity log in words", () => {
  it("names fields and values as people say them, without internal ids", () => {
    expect(changes({ autoReported: false, expirationDate: "2027-06-03", version: 2 }, { autoReported: true, expirationDate: "2027-02-16", version: 3 })).toEqual([
      "Auto Reported License: off → on",
      "Expiration: Jun 3, 2027 → Feb 16, 2027",
      "Key version: v2 → v3",
    ]);
    expect(changes(null, { productId: "VBR_ENT", workloadType: "VBR_VM", count: 3407, id: "cmabc123", monthlyReportId: "x" })).toEqual([
      "Product: Veeam Backup & Replication Enterprise",
      "Workload type: Virtual machines",
      "Workloads: 3,407",
    ]);
  });
  it("says why a key version was issued and what a check answered in words", () => {
    expect(changes(null, { reason: "CREATED", result: "NotRequired" })).toEqual(["Reason: new license", "Result: up to date"]);
  });
  it("labels and links each target", () => {
    expect(targetLabel("MonthlyReport", "2026-11")).toBe("Usage of November 2026");
    expect(targetHref("MonthlyReport", "2026-11")).toBe("/usage/2026-11");
    expect(targetHref("License", "LIC-ACME1-00001")).toBe("/licenses/LIC-ACME1-00001");
    expect(targetHref("SupportCase", "100001")).toBe("/support/100001");
    expect(actionLabel("usage.rows_copied")).toBe("Last month's manual rows copied");
  });
});
