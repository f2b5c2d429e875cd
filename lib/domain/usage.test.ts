import { describe, expect, it } from "vitest";
import { currentMonthUsage, type ReportedUsage } from "./usage";

const r = (installationId: string, kind: "weekly" | "monthly", day: number, workloads: Record<string, number>): ReportedUsage => ({
  installationId,
  kind,
  collectedAt: new Date(Date.UTC(2026, 10, day)),
  workloads: Object.entries(workloads).map(([type, count]) => ({ type, count })),
});

describe("currentMonthUsage", () => {
  it("takes the highest weekly count per installation and sums installations", () => {
    const usage = currentMonthUsage([
      r("inst-a", "weekly", 3, { VBR_VM: 100, VBR_Server_Agent: 5 }),
      r("inst-a", "weekly", 10, { VBR_VM: 120 }),
      r("inst-a", "weekly", 17, { VBR_VM: 110, VBR_Server_Agent: 7 }),
      r("inst-b", "weekly", 3, { VBR_VM: 30 }),
    ]);
    expect(usage.get("VBR_VM")).toEqual({
      count: 150,
      sources: [
        { installationId: "inst-a", kind: "weekly", count: 120 },
        { installationId: "inst-b", kind: "weekly", count: 30 },
      ],
    });
    expect(usage.get("VBR_Server_Agent")?.count).toBe(7);
  });

  it("uses an installation's monthly report instead of its weeklies, even when lower", () => {
    const usage = currentMonthUsage([
      r("inst-a", "weekly", 3, { VBR_VM: 140 }),
      r("inst-a", "monthly", 30, { VBR_VM: 90 }),
      r("inst-b", "weekly", 3, { VBR_VM: 30 }),
    ]);
    expect(usage.get("VBR_VM")?.count).toBe(120);
    expect(usage.get("VBR_VM")?.sources[0]).toEqual({ installationId: "inst-a", kind: "monthly", count: 90 });
  });

  it("uses the latest monthly report when an installation sent two", () => {
    const usage = currentMonthUsage([r("inst-a", "monthly", 29, { VBR_VM: 80 }), r("inst-a", "monthly", 30, { VBR_VM: 85 })]);
    expect(usage.get("VBR_VM")?.count).toBe(85);
  });

  it("is empty without reports", () => {
    expect(currentMonthUsage([]).size).toBe(0);
  });
});
