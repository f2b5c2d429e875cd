// insertRows (lib/server/store/rows.ts) writes what Prisma would have written: the same dates,
// booleans, enums, nulls and text read back through Prisma, upserts with ON CONFLICT, thousands
// of rows in one statement, and a row missing a column refused before anything is written.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { insertRows, tableRows } from "@/lib/server/store/rows";

const AUDIT_COLUMNS = ["id", "at", "organizationId", "actorType", "actorUserId", "actorLabel", "action", "targetType", "targetId", "before", "after"] as const;

function auditRow(organizationId: string, over: Partial<{ id: string; at: Date; actorLabel: string; after: string | null }> = {}) {
  return {
    id: randomUUID(), at: new Date(), organizationId, actorType: "INSTALLATION" as const, actorUserId: null, actorLabel: "x",
    action: "test.bulk", targetType: "License", targetId: "LIC-X", before: null, after: null, ...over,
  };
}

describe("insertRows", () => {
  it("stores values that read back through Prisma as written", async () => {
    const db = getDb();
    const org = await db.organization.findFirstOrThrow({ select: { id: true } });
    const at = new Date("2026-03-31T23:59:59.123Z");
    const id = randomUUID();
    const text = `quotes " and ' , a backslash \\, a newline\n, ünïcödé 🚀 and SQL: '); DROP TABLE "AuditEvent"; --`;
    await db.$transaction((tx) => insertRows(tx, tableRows("AuditEvent", AUDIT_COLUMNS, [auditRow(org.id, { id, at, actorLabel: text, after: JSON.stringify({ a: [1, 2] }) })])));
    const row = await db.auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ at, organizationId: org.id, actorType: "INSTALLATION", actorUserId: null, actorLabel: text, before: null, after: '{"a":[1,2]}' });
    expect(await db.auditEvent.count()).toBeGreaterThan(1); // the table is still there
  });

  it("stores a lone UTF-16 surrogate as U+FFFD, instead of failing the batch (PostgreSQL) or storing invalid UTF-8 (SQLite)", async () => {
    const db = getDb();
    const org = await db.organization.findFirstOrThrow({ select: { id: true } });
    const id = randomUUID();
    await db.$transaction((tx) => insertRows(tx, tableRows("AuditEvent", AUDIT_COLUMNS, [auditRow(org.id, { id, actorLabel: "vbr-\ud800-0001" })])));
    const row = await db.auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row.actorLabel).toBe("vbr-\ufffd-0001");
  });

  it("writes booleans and integers as Prisma does", async () => {
    const db = getDb();
    const license = await db.license.findFirstOrThrow({ select: { id: true, currentVersion: true } });
    const id = randomUUID();
    const version = license.currentVersion + 100;
    await db.$transaction((tx) =>
      insertRows(tx, tableRows(
        "KeyVersion",
        ["id", "licenseId", "version", "jws", "kid", "reason", "expirationDate", "autoReported", "points", "issuedAt", "issuedById"],
        [{ id, licenseId: license.id, version, jws: "a.b.c", kid: "kid-1", reason: "EXTENDED", expirationDate: "2027-01-31", autoReported: true, points: 0, issuedAt: new Date("2026-11-25T10:00:00Z"), issuedById: null }],
      )),
    );
    const kv = await db.keyVersion.findUniqueOrThrow({ where: { id } });
    expect(kv).toMatchObject({ version, reason: "EXTENDED", expirationDate: "2027-01-31", autoReported: true, points: 0, issuedAt: new Date("2026-11-25T10:00:00Z"), issuedById: null });
    expect(await db.keyVersion.count({ where: { id, autoReported: true } })).toBe(1); // a boolean filter finds it
    await db.keyVersion.delete({ where: { id } });
  });

  it("upserts with an ON CONFLICT clause, and writes 3,000 rows in one call", async () => {
    const db = getDb();
    const license = await db.license.findFirstOrThrow({ select: { id: true, organizationId: true } });
    const t1 = new Date("2026-11-01T00:00:00Z");
    const t2 = new Date("2026-11-02T00:00:00Z");
    const onConflict = `ON CONFLICT ("licenseId", "installationId") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt", "productVersion" = excluded."productVersion"`;
    const rows = (at: Date, version: string, n: number) =>
      tableRows(
        "Installation",
        ["id", "organizationId", "licenseId", "installationId", "productVersion", "firstSeenAt", "lastSeenAt"],
        Array.from({ length: n }, (_, i) => ({ id: randomUUID(), organizationId: license.organizationId, licenseId: license.id, installationId: `bulk-${i}`, productVersion: version, firstSeenAt: at, lastSeenAt: at })),
        { onConflict },
      );
    await db.$transaction((tx) => insertRows(tx, rows(t1, "1.0", 3000)));
    expect(await db.installation.count({ where: { licenseId: license.id, installationId: { startsWith: "bulk-" } } })).toBe(3000);
    await db.$transaction((tx) => insertRows(tx, rows(t2, "2.0", 10)));
    const updated = await db.installation.findFirstOrThrow({ where: { licenseId: license.id, installationId: "bulk-3" } });
    expect(updated).toMatchObject({ productVersion: "2.0", firstSeenAt: t1, lastSeenAt: t2 });
    expect(await db.installation.count({ where: { licenseId: license.id, installationId: { startsWith: "bulk-" }, productVersion: "2.0" } })).toBe(10);
  });

  it("refuses a row without a value for one of its columns before writing any", async () => {
    const db = getDb();
    const org = await db.organization.findFirstOrThrow({ select: { id: true } });
    const before = await db.auditEvent.count();
    const bad = { ...auditRow(org.id), action: undefined } as unknown as ReturnType<typeof auditRow>;
    await expect(db.$transaction((tx) => insertRows(tx, tableRows("AuditEvent", AUDIT_COLUMNS, [auditRow(org.id), bad])))).rejects.toThrow(/no value for action/);
    expect(await db.auditEvent.count()).toBe(before);
  });
});
