import { describe, expect, it } from "vitest";
import { archiveRefusal, assignmentRefusal, companyBreakdown, UNASSIGNED } from "./companies";

describe("assignmentRefusal", () => {
  it("needs a usage type with a company and none without", () => {
    expect(assignmentRefusal({ companyId: "c1", usageType: "INTERNAL" })).toBeNull();
    expect(assignmentRefusal({ companyId: null, usageType: null })).toBeNull();
    expect(assignmentRefusal({ companyId: "c1", usageType: null })).toMatch(/usage type/);
    expect(assignmentRefusal({ companyId: null, usageType: "SINGLE_CUSTOMER" })).toMatch(/unassigned/);
  });
});

describe("archiveRefusal", () => {
  it("refuses while licenses are assigned", () => {
    expect(archiveRefusal(0)).toBeNull();
    expect(archiveRefusal(1)).toMatch(/1 license:/);
    expect(archiveRefusal(3)).toMatch(/3 licenses/);
  });
});

describe("companyBreakdown", () => {
  it("groups per company, unassigned last, and sums to the totals", () => {
    const rows = [
      { companyId: "b", companyName: "Beta", licenseId: "L1", usage: 3, points: 30 },
      { companyId: "b", companyName: "Beta", licenseId: "L1", usage: 2, points: 4 },
      { companyId: null, companyName: null, licenseId: null, usage: 5, points: 50 },
      { companyId: "a", companyName: "Alpha", licenseId: "L2", usage: 1, points: 10 },
      { companyId: null, companyName: null, licenseId: "L3", usage: 1, points: 7 },
    ];
    const out = companyBreakdown(rows);
    expect(out).toEqual([
      { companyId: "a", name: "Alpha", licenses: 1, usage: 1, points: 10 },
      { companyId: "b", name: "Beta", licenses: 1, usage: 5, points: 34 },
      { companyId: null, name: UNASSIGNED, licenses: 1, usage: 6, points: 57 },
    ]);
    expect(out.reduce((s, g) => s + g.points, 0)).toBe(rows.reduce((s, r) => s + r.points, 0));
  });
  it("is empty for an empty report", () => {
    expect(companyBreakdown([])).toEqual([]);
  });
});
