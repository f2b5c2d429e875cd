// insertMany (lib/server/bulk-insert.ts) writes what Prisma would have written: the same dates,
// booleans, enums, nulls and text read back through Prisma, upserts with ON CONFLICT, thousands
// of rows in one statement, and a malformed row refused before anything is written.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { insertMany } from "@/lib/server/bulk-insert";

const AUDIT_COLUMNS = ["id", "at", "organizationId", "actorType", "actorUserId", "actorLabel", "action", "targetType", "targetId", "before", "after"];

describe("insertMany", () => {
  it("stores values that read back through Prisma as written", async () => {
    const db = getDb();
    const org = await db.organization.findFirstOrThrow({ select: { id: true } });
    const at = new Date("2026-03-31T23:59:59.123Z");
    const id = randomUUID();
    const text = `quotes " and ' , a backslash \\, a newline\n, ünïcödé 🚀 and SQL: '); DROP TABLE "AuditEvent"; --`;
    await db.$transaction((tx) =>
      insertMany(tx, "AuditEvent", AUDIT_COLUMNS, [[id, at, org.id, "INSTALLATION", null, text, "test.bulk", "License", "LIC-X", null, JSON.stringify({ a: [1, 2] })]]),
    );
    const row = await db.auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ at, organizationId: org.id, actorType: "INSTALLATION", actorUserId: null, actorLabel: text, before: null, after: '{"a":[1,2]}' });
    expect(await db.auditEvent.count()).toBeGreaterThan(1); // the table is still there
  });

  it("stores a lone UTF-16 surrogate as U+FFFD, instead of failing the batch (PostgreSQL) or storing invalid UTF-8 (SQLite)", async () => {
    const db = getDb();
    const org = await db.organization.findFirstOrThrow({ select: { id: true } });
    const id = randomUUID();
    const broken = "vbr-\ud800-0001";
    await db.$transaction((tx) =>
      insertMany(tx, "AuditEvent", AUDIT_COLUMNS, [[id, new Date(), org.id, "INSTALLATION", null, broken, "test.bulk", "License", "LIC-X", null, null]]),
    );
    const row = await db.auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row.actorLabel).toBe("vbr-\ufffd-0001");
  });

  it("writes booleans and integers as Prisma does", async () => {
    const db = getDb();
    const license = await db.license.findFirstOrThrow({ select: { id: true, currentVersion: true } });
    const id = randomUUID();
    const version = license.currentVersion + 100;
    await db.$transaction((tx) =>
      insertMany(
        tx, "KeyVersion",
        ["id", "licenseId", "version", "jws", "kid", "reason", "expirationDate", "autoReported", "points", "issuedAt", "issuedById"],
        [[id, license.id, version, "a.b.c", "kid-1", "EXTENDED", "2027-01-31", true, 0, new Date("2026-11-25T10:00:00Z"), null]],
      ),
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
    const columns = ["id", "organizationId", "licenseId", "installationId", "productVersion", "firstSeenAt", "lastSeenAt"];
    const rows = (at: Date, version: string) =>
      Array.from({ length: 3000 }, (_, i) => [randomUUID(), license.organizationId, license.id, `bulk-${i}`, version, at, at]);
    await db.$transaction((tx) => insertMany(tx, "Installation", columns, rows(t1, "1.0"), { onConflict }));
    expect(await db.installation.count({ where: { licenseId: license.id, installationId: { startsWith: "bulk-" } } })).toBe(3000);
    await db.$transaction((tx) => insertMany(tx, "Installation", columns, rows(t2, "2.0").slice(0, 10), { onConflict }));
    const updated = await db.installation.findFirstOrThrow({ where: { licenseId: license.id, installationId: "bulk-3" } });
    expect(updated).toMatchObject({ productVersion: "2.0", firstSeenAt: t1, lastSeenAt: t2 });
    expect(await db.installation.count({ where: { licenseId: license.id, installationId: { startsWith: "bulk-" }, productVersion: "2.0" } })).toBe(10);
  });

  it("refuses a row with the wrong number of values before writing any", async () => {
    const db = getDb();
    const org = await db.organization.findFirstOrThrow({ select: { id: true } });
    const before = await db.auditEvent.count();
    const good = [randomUUID(), new Date(), org.id, "SYSTEM", null, null, "test.bulk", "License", "x", null, null];
    await expect(db.$transaction((tx) => insertMany(tx, "AuditEvent", AUDIT_COLUMNS, [good, good.slice(1)]))).rejects.toThrow(/10 values for 11 columns/);
    expect(await db.auditEvent.count()).toBe(before);
  });
});
