import { describe, expect, it } from "vitest";
import { reportVerdict, updateDecision, usageReportRefusals } from "./product-api";

describe("updateDecision", () => {
  const base = { type: "RENTAL" as const, supportId: "03110042", contract: { status: "ACTIVE" as const, endDate: null }, currentVersion: 2, presentedVersion: 2, today: "2026-11-25" };
  it("is NotRequired for the newest key and Success for an older one", () => {
    expect(updateDecision(base)).toBe("NotRequired");
    expect(updateDecision({ ...base, presentedVersion: 1 })).toBe("Success");
  });
  it("is UnsupportedLicenseType for NFR, evaluation, or no real contract number, before anything else", () => {
    expect(updateDecision({ ...base, type: "NFR", presentedVersion: 1 })).toBe("UnsupportedLicenseType");
    expect(updateDecision({ ...base, type: "EVALUATION" })).toBe("UnsupportedLicenseType");
    expect(updateDecision({ ...base, supportId: null, contract: null })).toBe("UnsupportedLicenseType");
    expect(updateDecision({ ...base, supportId: "NFR-1", contract: { status: "TERMINATED", endDate: null } })).toBe("UnsupportedLicenseType");
  });
  it("is ContractTerminated for a terminated or ended contract, before Success", () => {
    expect(updateDecision({ ...base, presentedVersion: 1, contract: { status: "TERMINATED", endDate: null } })).toBe("ContractTerminated");
    expect(updateDecision({ ...base, contract: { status: "ACTIVE", endDate: "2026-11-24" } })).toBe("ContractTerminated");
    expect(updateDecision({ ...base, contract: { status: "ACTIVE", endDate: "2026-11-25" } })).toBe("NotRequired");
  });
});

describe("usageReportRefusals", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  const ok = { period: "2026-11", licenseCreatedPeriod: "2026-03", collectedAt: new Date("2026-11-24T03:00:00Z"), workloads: [{ type: "VBR_VM", count: 120, newCount: 3 }] };
  it("accepts a report of this or an earlier period", () => {
    expect(usageReportRefusals(ok, "VBR_ENT", now)).toEqual([]);
    expect(usageReportRefusals({ ...ok, period: "2026-10" }, "VBR_ENT", now)).toEqual([]);
  });
  it("refuses a future period and a collectedAt outside the allowed range, naming the field", () => {
    expect(usageReportRefusals({ ...ok, period: "2026-12", collectedAt: new Date("2026-11-25T12:00:00Z") }, "VBR_ENT", now).map((e) => e.path)).toEqual(["period", "collectedAt"]);
    expect(usageReportRefusals({ ...ok, collectedAt: new Date("2026-10-31T23:59:59Z") }, "VBR_ENT", now).map((e) => e.path)).toEqual(["collectedAt"]);
    expect(usageReportRefusals({ ...ok, collectedAt: new Date("2026-11-25T12:10:00Z") }, "VBR_ENT", now)).toEqual([]);
    expect(usageReportRefusals({ ...ok, collectedAt: new Date("2026-11-25T12:10:01Z") }, "VBR_ENT", now).map((e) => e.path)).toEqual(["collectedAt"]);
  });
  it("refuses a period before the license existed, and accepts the month it was created in", () => {
    expect(usageReportRefusals({ ...ok, period: "2026-02", collectedAt: new Date("2026-03-01T00:00:00Z") }, "VBR_ENT", now)).toEqual([
      { path: "period", message: "The period is before the license existed (it was created in 2026-03)." },
    ]);
    expect(usageReportRefusals({ ...ok, period: "1900-01" }, "VBR_ENT", now).map((e) => e.path)).toEqual(["period"]);
    expect(usageReportRefusals({ ...ok, period: "2026-03" }, "VBR_ENT", now)).toEqual([]);
  });
  it("refuses a type the product lacks, a type twice, and newCount above count", () => {
    const paths = usageReportRefusals(
      { ...ok, workloads: [{ type: "VB365_User", count: 1 }, { type: "VBR_VM", count: 5, newCount: 6 }, { type: "VBR_VM", count: 1 }] },
      "VBR_ENT",
      now,
    ).map((e) => e.path);
    expect(paths).toEqual(["workloads.0.type", "workloads.1.newCount", "workloads.2.type"]);
  });
});

describe("reportVerdict", () => {
  const fresh = { contentHash: "h1", refused: false, periodSubmitted: false };
  it("stores a new report of an open period", () => {
    expect(reportVerdict(fresh, undefined)).toBe("created");
  });
  it("answers a stored id by its content before anything else: the same is a retry, other content a conflict", () => {
    expect(reportVerdict(fresh, { contentHash: "h1" })).toBe("duplicate");
    expect(reportVerdict(fresh, { contentHash: "h2" })).toBe("conflict");
    expect(reportVerdict({ ...fresh, refused: true, periodSubmitted: true }, { contentHash: "h1" })).toBe("duplicate");
    expect(reportVerdict({ ...fresh, refused: true, periodSubmitted: true }, { contentHash: "h2" })).toBe("conflict");
  });
  it("refuses by the 422 rules before it looks at the period", () => {
    expect(reportVerdict({ ...fresh, refused: true }, undefined)).toBe("refused");
    expect(reportVerdict({ ...fresh, refused: true, periodSubmitted: true }, undefined)).toBe("refused");
    expect(reportVerdict({ ...fresh, periodSubmitted: true }, undefined)).toBe("submitted");
  });
});
