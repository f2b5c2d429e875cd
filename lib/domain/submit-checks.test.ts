import { describe, expect, it } from "vitest";
import { submitChecks, type CheckFacts } from "./submit-checks";

const base: CheckFacts = { period: "2026-11", licenses: [], contracts: [] };
const inst = (installationId: string, weekly: [string, number][], monthly: [string, number][] | null = null) => ({
  installationId, weekly: new Map(weekly), monthly: monthly ? new Map(monthly) : null,
});

describe("checks before Submit", () => {
  it("flags a monthly figure more than 20% from the highest weekly count, and not one within 20%", () => {
    const licenses = [{ licenseId: "L1", reportedBefore: [], installations: [inst("a", [["VBR_VM", 100]], [["VBR_VM", 121]]), inst("b", [["VBR_VM", 100]], [["VBR_VM", 120]]), inst("c", [["VBR_VM", 100]], [["VBR_VM", 79]])] }];
    const checks = submitChecks({ ...base, licenses });
    expect(checks.map((c) => [c.kind, c.message.match(/installation (\w)/)?.[1]])).toEqual([["MONTHLY_DIFFERS", "a"], ["MONTHLY_DIFFERS", "c"]]);
  });
  it("names an installation that reported the month before but not in P", () => {
    const checks = submitChecks({ ...base, licenses: [{ licenseId: "L1", reportedBefore: ["vbr-old", "a"], installations: [inst("a", [["VBR_VM", 1]])] }] });
    expect(checks).toEqual([{ kind: "SILENT_INSTALLATION", licenseId: "L1", message: expect.stringContaining("installation vbr-old reported last month but not in 2026-11") }]);
  });
  it("flags an auto-reported license without any usage in P", () => {
    expect(submitChecks({ ...base, licenses: [{ licenseId: "L2", reportedBefore: [], installations: [] }] }).map((c) => c.kind)).toEqual(["NO_USAGE"]);
  });
  it("flags a contract whose points are above its limit, not one at it or without one", () => {
    const contracts = [{ number: "01", points: 5001, pointsLimit: 5000 }, { number: "02", points: 5000, pointsLimit: 5000 }, { number: "03", points: 9e6, pointsLimit: null }];
    expect(submitChecks({ ...base, contracts }).map((c) => c.message)).toEqual(["Contract 01: 5001 points, above its limit of 5000."]);
  });
});
