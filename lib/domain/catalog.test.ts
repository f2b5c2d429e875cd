import { describe, expect, it } from "vitest";
import { findProduct, findWorkloadType, PRODUCTS, productLabel } from "./catalog";
import { pointsFor } from "./points";

describe("catalog", () => {
  it("has unique product ids and unique workload type ids per product", () => {
    const ids = PRODUCTS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of PRODUCTS) {
      const types = p.workloadTypes.map((t) => t.id);
      expect(new Set(types).size, p.id).toBe(types.length);
      expect(types.length, p.id).toBeGreaterThan(0);
      for (const t of p.workloadTypes) expect(t.weight, `${p.id}/${t.id}`).toBeGreaterThan(0);
    }
  });

  it("lists the products and vendor-style workload types of DOMAIN-RULES.md", () => {
    expect(PRODUCTS.map(productLabel)).toEqual(
      expect.arrayContaining([
        "Veeam Backup & Replication Standard",
        "Veeam Backup & Replication Enterprise",
        "Veeam Backup & Replication Enterprise Plus",
        "Veeam ONE",
        "Veeam Backup for Microsoft 365",
        "Veeam Cloud Connect",
        "Veeam Service Provider Console agents",
        "Veeam Backup Agents",
      ]),
    );
    const all = PRODUCTS.flatMap((p) => p.workloadTypes.map((t) => t.id));
    for (const id of [
      "VBR_VM", "VBR_Server_Agent", "VBR_Workstation_Agent", "VBR_Cloud_VM", "VBR_NAS_Backup", "VB365_User",
      "VONE_VM", "CC_VM_Backup", "CC_VM_Replica", "CC_Server_Backup", "CC_Workstation_Backup",
      "VAC_Server_Agent", "VAC_Workstation_Agent",
    ]) {
      expect(all).toContain(id);
    }
  });

  it("finds products and types by id and nothing for unknown ids", () => {
    expect(findProduct("VBR_ENT")?.edition).toBe("Enterprise");
    expect(findProduct("nope")).toBeUndefined();
    expect(findWorkloadType("VB365", "VB365_User")?.weight).toBe(1.5);
    expect(findWorkloadType("VB365", "VBR_VM")).toBeUndefined();
  });
});

describe("pointsFor", () => {
  it("is the ceiling of sum(count x weight)", () => {
    expect(pointsFor("VBR_ENT", [{ type: "VBR_VM", count: 10 }])).toBe(50);
    // 3 users x 1.5 = 4.5 -> 5
    expect(pointsFor("VB365", [{ type: "VB365_User", count: 3 }])).toBe(5);
    // 1 x 0.25 -> 1; 4 x 0.25 -> 1 exactly; 5 x 0.25 -> 2
    expect(pointsFor("VSPC", [{ type: "VAC_Workstation_Agent", count: 1 }])).toBe(1);
    expect(pointsFor("VSPC", [{ type: "VAC_Workstation_Agent", count: 4 }])).toBe(1);
    expect(pointsFor("VSPC", [{ type: "VAC_Workstation_Agent", count: 5 }])).toBe(2);
    // rounding happens once, on the sum: 1 x 0.25 + 1 x 1 = 1.25 -> 2 (not 1 + 1)
    expect(
      pointsFor("VSPC", [
        { type: "VAC_Workstation_Agent", count: 1 },
        { type: "VAC_Server_Agent", count: 1 },
      ]),
    ).toBe(2);
  });

  it("is 0 for no workloads or zero counts", () => {
    expect(pointsFor("VBR_STD", [])).toBe(0);
    expect(pointsFor("VBR_STD", [{ type: "VBR_VM", count: 0 }])).toBe(0);
  });

  it("stays exact for large counts of fractional weights", () => {
    // 0.1 + 0.2 style float error must not add a point: 10,000,000 x 0.25 = 2,500,000 exactly
    expect(pointsFor("VSPC", [{ type: "VAC_Workstation_Agent", count: 10_000_000 }])).toBe(2_500_000);
  });

  it("refuses unknown types, negative and fractional counts", () => {
    expect(() => pointsFor("VB365", [{ type: "VBR_VM", count: 1 }])).toThrow(/no workload type/);
    expect(() => pointsFor("VBR_STD", [{ type: "VBR_VM", count: -1 }])).toThrow(/whole number/);
    expect(() => pointsFor("VBR_STD", [{ type: "VBR_VM", count: 1.5 }])).toThrow(/whole number/);
  });
});
