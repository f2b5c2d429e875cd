// Disabling automatic license reporting switches the organization's auto-reported licenses off in one transaction (lifecycle 7).
import { describe, expect, it } from "vitest";
import { POST as autoReportingRoute } from "@/app/api/staff/cases/[number]/auto-reporting/route";
import { getDb } from "@/lib/db";
import { call, DEMO, request } from "../helpers";
import { GLOBEX_AUTO, globex, licenseOf, now } from "../lifecycle";

describe("disabling automatic license reporting", () => {
  async function caseOf(organizationId: string) {
    const bob = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.bob } });
    return getDb().supportCase.create({
      data: { number: 990000 + Math.floor(Math.random() * 9999), organizationId, openedById: bob.id, type: "GENERAL_INQUIRY", problemArea: "VCSP_PULSE", summary: "Please disable", createdAt: now(), updatedAt: now() },
    });
  }

  it("changes nothing when a write of that transaction fails (the audit event here)", async () => {
    const org = await globex();
    const c = await caseOf(org.id);
    const snapshot = async () => ({
      org: await getDb().organization.findUniqueOrThrow({ where: { id: org.id }, select: { autoReportingEnabled: true } }),
      licenses: await getDb().license.findMany({ where: { organizationId: org.id }, select: { licenseId: true, autoReported: true, currentVersion: true }, orderBy: { licenseId: "asc" } }),
      versions: await getDb().keyVersion.count(),
    });
    const before = await snapshot();
    // The audit event's action is limited by a CHECK-like trigger the test adds: the write fails inside the transaction.
    const db = getDb();
    const sqlite = process.env.PULSE_TEST_DB !== "pg";
    if (sqlite) {
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_audit BEFORE INSERT ON "AuditEvent" WHEN NEW."action" = 'organization.auto_reporting_disabled' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`);
    } else {
      await db.$executeRawUnsafe(`CREATE FUNCTION fail_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$ LANGUAGE plpgsql`);
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW WHEN (NEW."action" = 'organization.auto_reporting_disabled') EXECUTE FUNCTION fail_audit()`);
    }
    try {
      const res = await call(autoReportingRoute, await request("POST", `/api/staff/cases/${c.number}/auto-reporting`, { as: DEMO.sam, body: { enabled: false } }), { number: String(c.number) });
      expect(res.status).toBe(500);
      expect(await snapshot()).toEqual(before);
    } finally {
      await db.$executeRawUnsafe(sqlite ? `DROP TRIGGER fail_audit` : `DROP TRIGGER fail_audit ON "AuditEvent"`);
      if (!sqlite) await db.$executeRawUnsafe(`DROP FUNCTION fail_audit()`);
    }
  });

  it("switches every auto-reported license off in the same transaction, a key version each with its date kept, and names them", async () => {
    const org = await globex();
    const c = await caseOf(org.id);
    const before = await Promise.all(GLOBEX_AUTO.map(licenseOf));
    const res = await call(autoReportingRoute, await request("POST", `/api/staff/cases/${c.number}/auto-reporting`, { as: DEMO.sam, body: { enabled: false } }), { number: String(c.number) });
    expect(res.status).toBe(200);
    const after = await getDb().license.findMany({ where: { licenseId: { in: GLOBEX_AUTO } }, select: { licenseId: true, autoReported: true, expirationDate: true, currentVersion: true }, orderBy: { licenseId: "asc" } });
    expect(after.map((l) => l.autoReported)).toEqual([false, false, false]);
    expect(after.map((l) => l.expirationDate)).toEqual(before.map((b) => b.expirationDate));
    expect(after.map((l) => l.currentVersion)).toEqual(before.map((b) => b.currentVersion + 1));
    const comment = await getDb().caseComment.findFirstOrThrow({ where: { caseId: c.id, kind: "SYSTEM" } });
    for (const id of GLOBEX_AUTO) expect(comment.body).toContain(id);
    const notice = await getDb().notice.findFirstOrThrow({ where: { organizationId: org.id, kind: "auto-reporting-disabled" }, orderBy: { createdAt: "desc" } });
    for (const id of GLOBEX_AUTO) expect(notice.message).toContain(id);
  });
});
