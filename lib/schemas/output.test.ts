// The output schemas: what they accept and refuse (the answers themselves are parsed in
// test/integration/output-schemas.int.test.ts).
import { describe, expect, it } from "vitest";
import { activityItemSchema } from "./activity";
import { dateString, isoDateTime, pageOf, periodString } from "./common";
import { licenseListItemSchema, licenseListPageSchema, type LicenseListItem } from "./licenses";
import { noticeSchema } from "./notices";
import { caseCommentSchema } from "./support";
import { manualRowViewSchema, reportViewSchema } from "./usage";

const license: LicenseListItem = {
  licenseId: "LIC-GLBX1-00001",
  type: "RENTAL",
  supportId: "03110042",
  productId: "VBR_ENT",
  productName: "Veeam Backup & Replication",
  productEdition: "Enterprise",
  description: "",
  autoReported: true,
  expirationDate: "2027-02-08",
  state: "ACTIVE",
  points: 120,
  lastCheckAt: null,
  lastCheckResult: null,
  toggleRefusal: null,
  awaitingCollection: false,
  companyId: "c1",
  companyName: "Northwind Traders",
  usageType: "MULTI_CUSTOMER",
};

describe("the wire forms", () => {
  it("take instants in UTC ISO 8601, dates as YYYY-MM-DD and periods as YYYY-MM", () => {
    expect(isoDateTime.safeParse("2026-11-24T03:00:00.000Z").success).toBe(true);
    expect(isoDateTime.safeParse("2026-11-24 03:00").success).toBe(false);
    expect(dateString.safeParse("2027-02-08").success).toBe(true);
    expect(dateString.safeParse("2027-02-08T00:00:00Z").success).toBe(false);
    expect(periodString.safeParse("2026-11").success).toBe(true);
    expect(periodString.safeParse("2026-13").success).toBe(false);
  });

  it("a page has its items, total, page and pageSize, and nothing else", () => {
    const page = pageOf(manualRowViewSchema);
    expect(page.safeParse({ items: [], total: 0, page: 1, pageSize: 50 }).success).toBe(true);
    expect(page.safeParse({ items: [], total: 0, page: 1, pageSize: 50, more: true }).success).toBe(false);
    expect(page.safeParse({ items: [], total: -1, page: 1, pageSize: 50 }).success).toBe(false);
  });
});

describe("the license list item", () => {
  it("accepts a license and refuses a field too many, one missing or a value out of its set", () => {
    expect(licenseListItemSchema.parse(license)).toEqual(license);
    expect(licenseListPageSchema.safeParse({ items: [license], total: 1, page: 1, pageSize: 50 }).success).toBe(true);
    expect(licenseListItemSchema.safeParse({ ...license, organizationId: "x" }).success).toBe(false);
    const { toggleRefusal, ...rest } = license;
    expect(toggleRefusal).toBeNull();
    expect(licenseListItemSchema.safeParse(rest).success).toBe(false);
    expect(licenseListItemSchema.safeParse({ ...license, state: "GONE" }).success).toBe(false);
    expect(licenseListItemSchema.safeParse({ ...license, lastCheckResult: "Maybe" }).success).toBe(false);
    expect(licenseListItemSchema.safeParse({ ...license, usageType: "SHARED" }).success).toBe(false);
    expect(licenseListItemSchema.safeParse({ ...license, companyId: null, companyName: null, usageType: null }).success).toBe(true);
  });
});

describe("the other answers", () => {
  it("are strict in their nested objects too", () => {
    expect(caseCommentSchema.safeParse({ id: "c", kind: "COMMENT", body: "b", createdAt: "2026-11-24T03:00:00.000Z", author: { name: "Alice", staff: false, email: "a@x" } }).success).toBe(false);
    expect(noticeSchema.safeParse({ id: "n", kind: "k", message: "m", createdAt: "2026-11-24T03:00:00.000Z" }).success).toBe(true);
    expect(activityItemSchema.safeParse({
      id: "a", at: "2026-11-24T03:00:00.000Z", actorType: "USER", actorLabel: "alice@acme.test", action: "license.created", targetType: "License", targetId: "LIC-1", before: null, after: { points: 3 },
    }).success).toBe(true);
    const totals = reportViewSchema.shape.totals;
    expect(totals.safeParse({ autoPoints: 1, manualPoints: 2, totalPoints: 3, autoLicenses: 1 }).success).toBe(true);
    expect(totals.safeParse({ autoPoints: 1, manualPoints: 2, totalPoints: 3, autoLicenses: 1, extra: 0 }).success).toBe(false);
  });
});
