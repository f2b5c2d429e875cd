// POST /api/v1/usage/reports: every row of the answer table, idempotency under concurrency,
// submitted periods, tenant isolation, and the Current Month Usage service.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { dbKind, getDb, pgPool } from "@/lib/db";
import { periodOf, shiftPeriod } from "@/lib/domain/dates";
import type { UsageReportRequest } from "@/lib/schemas/product-api";
import { periodLockKey } from "@/lib/server/store/locks";
import { pendingReport, usageForPeriod } from "@/lib/server/usage-reports";
import { storeReportBatch } from "@/lib/server/store/usage-reports";
import { keyHolder, keyOf, newReportId, postReport, productContext, productRowCounts, reportBody } from "../product";

const now = () => new Date();
const current = () => periodOf(now());

/** A report as the batch writer takes it (after validation), for the tests that write a batch directly. */
const reportRequest = async (licenseId: string) => (await reportBody(licenseId)) as unknown as UsageReportRequest;

describe("accepting reports", () => {
  it("201 accepted the first time; 200 duplicate with the first receivedAt on a retry, also with a newer key", async () => {
    const body = await reportBody("LIC-GLBX1-00001");
    const first = await postReport(body);
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ status: "accepted", reportId: body.reportId, receivedAt: expect.any(String) });
    const stored = await getDb().usageReport.findFirstOrThrow({ where: { reportId: body.reportId as string }, include: { workloads: true } });
    expect(stored).toMatchObject({ kind: "weekly", period: current(), installationId: "vbr-test-install-01" });
    expect(stored.workloads).toEqual([expect.objectContaining({ type: "VBR_VM", count: 120, newCount: 3 })]);

    await new Promise((r) => setTimeout(r, 5));
    const retry = await postReport(body);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ status: "duplicate", reportId: body.reportId, receivedAt: first.json.receivedAt });
    const olderKey = await postReport({ ...body, licenseKey: await keyOf("LIC-GLBX1-00001", 1) });
    expect(olderKey.status).toBe(200);
    expect(await getDb().usageReport.count({ where: { reportId: body.reportId as string } })).toBe(1);
  });

  it("stores a report replayed by 20 concurrent requests once; every request gets 201 or 200, one of them 201", async () => {
    const body = await reportBody("LIC-GLBX1-00001");
    const before = await productRowCounts();
    const answers = await Promise.all(Array.from({ length: 20 }, () => postReport(body)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 200)).toBe(true);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json.receivedAt)).size).toBe(1);
    const after = await productRowCounts();
    expect(after.usageReports).toBe(before.usageReports + 1);
    expect(after.workloads).toBe(before.workloads + 1);
  });

  it("concurrent reports are stored together: 30 new ones all 201; one id sent with two contents at once is stored once, the other 409", async () => {
    const before = await productRowCounts();
    const bodies = await Promise.all(Array.from({ length: 30 }, (_, i) => reportBody("LIC-GLBX1-00001", { installationId: `vbr-many-${i}` })));
    const answers = await Promise.all(bodies.map((b) => postReport(b)));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));
    const after = await productRowCounts();
    expect(after.usageReports).toBe(before.usageReports + 30);
    expect(after.auditEvents).toBe(before.auditEvents + 30);

    const a = await reportBody("LIC-GLBX1-00001");
    const b = { ...a, workloads: [{ type: "VBR_VM", count: 999, newCount: 0 }] };
    const sent = [a, b, a];
    const raced = await Promise.all(sent.map((x) => postReport(x)));
    expect(raced.filter((r) => r.status === 201)).toHaveLength(1);
    // Whichever content was stored first wins; the same content again is a retry, the other 409.
    const winner = sent[raced.findIndex((r) => r.status === 201)];
    raced.forEach((r, i) => expect(r.status).toBe(sent[i] === winner ? (r.status === 201 ? 201 : 200) : 409));
    const stored = await getDb().usageReport.findMany({ where: { reportId: a.reportId as string }, include: { workloads: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0].workloads[0].count).toBe(winner.workloads[0].count);
  });

  it("one batch decides every item in order and writes only the new ones: a repeat of a new id is a retry or a conflict, a refused or submitted-period item writes nothing", async () => {
    // The batch writer directly, as the group commit calls it with requests that arrived together
    // (on PostgreSQL the choice of rows to insert is made by the statement itself).
    const caller = (await keyHolder(await keyOf("LIC-GLBX1-00001")))!;
    const stored = await reportRequest("LIC-GLBX1-00001");
    expect((await postReport(stored)).status).toBe(201);
    const a = await reportRequest("LIC-GLBX1-00001");
    const b = { ...a, workloads: [{ type: "VBR_VM", count: 999, newCount: 0 }] };
    const refused = { ...(await reportRequest("LIC-GLBX1-00001")), workloads: [{ type: "NO_SUCH_TYPE", count: 1, newCount: 0 }] };
    const submittedPeriod = shiftPeriod(current(), -2); // the demo data submitted it
    const late = { ...(await reportRequest("LIC-GLBX1-00001")), period: submittedPeriod, collectedAt: `${submittedPeriod}-15T00:00:00Z` };
    const storedRetry = { ...stored, workloads: [{ type: "NO_SUCH_TYPE", count: 1, newCount: 0 }] }; // refused content, but its id is stored: a conflict
    // An id whose first item is refused, or for a submitted period, is created by its first valid item.
    const c = await reportRequest("LIC-GLBX1-00001");
    const cBad = { ...c, workloads: [{ type: "NO_SUCH_TYPE", count: 1, newCount: 0 }] };
    const d = await reportRequest("LIC-GLBX1-00001");
    const dLate = { ...d, period: submittedPeriod, collectedAt: `${submittedPeriod}-15T00:00:00Z` };
    const firstReceived = (await getDb().usageReport.findFirstOrThrow({ where: { reportId: stored.reportId } })).receivedAt;
    const before = await productRowCounts();
    const t = now();
    const out = await storeReportBatch(
      [a, b, a, refused, refused, late, stored, storedRetry, cBad, c, c, dLate, d, d, dLate].map((r) => pendingReport(productContext(caller, t), r)),
    );
    expect(out.map((o) => o.kind)).toEqual([
      "created", "conflict", "duplicate", "refused", "refused", "submitted", "duplicate", "conflict",
      "refused", "created", "duplicate", "submitted", "created", "duplicate", "conflict",
    ]);
    expect(out[2]).toEqual({ kind: "duplicate", receivedAt: t });
    expect(out[6]).toEqual({ kind: "duplicate", receivedAt: firstReceived });
    const after = await productRowCounts();
    expect(after.usageReports).toBe(before.usageReports + 3);
    expect(after.workloads).toBe(before.workloads + 3);
    expect(after.auditEvents).toBe(before.auditEvents + 3);
    const written = await getDb().usageReport.findMany({
      where: { reportId: { in: [a.reportId, refused.reportId, late.reportId, c.reportId, d.reportId] } },
      include: { workloads: true },
      orderBy: { reportId: "asc" },
    });
    expect(written.map((w) => [w.reportId, w.period, w.workloads.map((x) => x.type)])).toEqual(
      [[a.reportId, current(), ["VBR_VM"]], [c.reportId, current(), ["VBR_VM"]], [d.reportId, current(), ["VBR_VM"]]].sort((x, y) => (x[0] < y[0] ? -1 : 1)),
    );
  });

  it("in one batch, a period submitted by one organization refuses only that organization's reports", async () => {
    const period = current(); // open for both organizations in the demo data
    const globex = (await keyHolder(await keyOf("LIC-GLBX1-00001")))!;
    const acme = (await keyHolder(await keyOf("LIC-ACME1-00001")))!;
    const open = { where: { organizationId_period: { organizationId: acme.organizationId, period } } };
    const existing = await getDb().monthlyReport.findUnique(open);
    await getDb().monthlyReport.upsert({
      ...open,
      create: { organizationId: acme.organizationId, period, status: "SUBMITTED", dueAt: now(), submittedAt: now() },
      update: { status: "SUBMITTED" },
    });
    try {
      const forGlobex = await reportRequest("LIC-GLBX1-00001");
      const forAcme = await reportRequest("LIC-ACME1-00001");
      const t = now();
      const out = await storeReportBatch([pendingReport(productContext(acme, t), forAcme), pendingReport(productContext(globex, t), forGlobex)]);
      expect(out.map((o) => o.kind)).toEqual(["submitted", "created"]);
      expect(await getDb().usageReport.count({ where: { reportId: { in: [forGlobex.reportId, forAcme.reportId] } } })).toBe(1);
    } finally {
      if (existing) await getDb().monthlyReport.update({ ...open, data: { status: existing.status } });
      else await getDb().monthlyReport.delete(open);
    }
  });

  it("a report id with a lone UTF-16 surrogate is stored (as U+FFFD); its retry is a duplicate, other content a conflict", async () => {
    const body = await reportBody("LIC-GLBX1-00001", { reportId: `rep-\ud800-${newReportId()}` });
    const first = await postReport(body);
    expect(first.status).toBe(201);
    const retry = await postReport(body);
    expect(retry.status).toBe(200);
    expect(retry.json.receivedAt).toBe(first.json.receivedAt);
    expect((await postReport({ ...body, workloads: [{ type: "VBR_VM", count: 7 }] })).status).toBe(409);
    expect(await getDb().usageReport.count({ where: { reportId: (body.reportId as string).toWellFormed() } })).toBe(1);
  });

  it("a report that cannot be stored fails alone: the others of its batch are stored, nothing of it is, and later reports are stored", async () => {
    const db = getDb();
    if (dbKind() === "sqlite") {
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_workload BEFORE INSERT ON "UsageReportWorkload" WHEN NEW."count" = 999 BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;`);
    } else {
      await db.$executeRawUnsafe(`CREATE FUNCTION fail_workload() RETURNS trigger AS $$ BEGIN IF NEW."count" = 999 THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db.$executeRawUnsafe(`CREATE TRIGGER fail_workload BEFORE INSERT ON "UsageReportWorkload" FOR EACH ROW EXECUTE FUNCTION fail_workload()`);
    }
    try {
      const before = await productRowCounts();
      const bodies = await Promise.all(Array.from({ length: 12 }, (_, i) => reportBody("LIC-GLBX1-00001", { workloads: [{ type: "VBR_VM", count: i === 5 ? 999 : 10 + i, newCount: 0 }] })));
      const answers = await Promise.all(bodies.map((b) => postReport(b)));
      expect(answers.map((a) => a.status)).toEqual(bodies.map((_, i) => (i === 5 ? 500 : 201)));
      const after = await productRowCounts();
      expect(after.usageReports).toBe(before.usageReports + 11);
      expect(after.auditEvents).toBe(before.auditEvents + 11);
      expect(await db.usageReport.count({ where: { reportId: bodies[5].reportId as string } })).toBe(0);
      // The failed transactions were rolled back: their connections serve the next ones.
      const later = await Promise.all(Array.from({ length: 12 }, async () => postReport(await reportBody("LIC-GLBX1-00001"))));
      expect(later.map((a) => a.status)).toEqual(Array(12).fill(201));
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER fail_workload${dbKind() === "sqlite" ? "" : ` ON "UsageReportWorkload"`}`);
      if (dbKind() !== "sqlite") await db.$executeRawUnsafe(`DROP FUNCTION fail_workload()`);
    }
  });

  it("a report id that another instance stores while this one writes it: a retry (200, that instance's receivedAt) or a conflict (409)", async () => {
    const caller = (await keyHolder(await keyOf("LIC-GLBX1-00001")))!;
    const same = await reportBody("LIC-GLBX1-00001");
    const other = await reportBody("LIC-GLBX1-00001");
    const theirs = [pendingReport(productContext(caller, now()), same as unknown as UsageReportRequest), pendingReport(productContext(caller, now()), { ...other, workloads: [{ type: "VBR_VM", count: 1 }] } as unknown as UsageReportRequest)];
    const receivedAt = new Date(Date.now() - 5_000);
    const rows = theirs.map((p) => [randomUUID(), caller.organizationId, caller.licenseRef, p.report.installationId, p.report.reportId, p.report.kind, p.report.period, new Date(p.report.collectedAt), receivedAt, p.hash, caller.versionPresented]);
    let answers: Awaited<ReturnType<typeof postReport>>[];
    if (dbKind() === "postgresql") {
      // The other instance's transaction holds both rows uncommitted: this instance's insert waits
      // on the unique index and, once they commit, fails with a unique violation.
      const otherInstance = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await otherInstance.connect();
      try {
        await otherInstance.query("BEGIN");
        for (const row of rows) {
          await otherInstance.query(
            `INSERT INTO "UsageReport" ("id", "organizationId", "licenseId", "installationId", "reportId", "kind", "period", "collectedAt", "receivedAt", "contentHash", "versionPresented") VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz AT TIME ZONE 'UTC', $9::timestamptz AT TIME ZONE 'UTC', $10, $11)`,
            row.map((v) => (v instanceof Date ? v.toISOString() : v)),
          );
        }
        const pending = Promise.all([postReport(same), postReport(other)]);
        const settled = await Promise.race([pending.then(() => "answered"), new Promise((r) => setTimeout(() => r("waiting"), 300))]);
        expect(settled).toBe("waiting");
        await otherInstance.query("COMMIT");
        answers = await pending;
      } finally {
        await otherInstance.end();
      }
    } else {
      // SQLite: one writer at a time, so the other instance's rows are committed before this
      // instance's transaction reads.
      const db = getDb();
      for (const r of rows) {
        const [id, organizationId, licenseId, installationId, reportId, kind, period, collectedAt, at, contentHash, versionPresented] = r;
        await db.usageReport.create({ data: { id, organizationId, licenseId, installationId, reportId, kind, period, collectedAt, receivedAt: at, contentHash, versionPresented } as never });
      }
      answers = await Promise.all([postReport(same), postReport(other)]);
    }
    expect(answers.map((a) => a.status)).toEqual([200, 409]);
    expect(answers[0].json).toEqual({ status: "duplicate", reportId: same.reportId, receivedAt: receivedAt.toISOString() });
    expect(await getDb().usageReport.count({ where: { reportId: { in: [same.reportId, other.reportId] as string[] } } })).toBe(2);
  });

  it("a connection lost during a report's transaction fails that report alone, and the next one is stored", async () => {
    if (dbKind() !== "postgresql") {
      // SQLite has no connection to lose: the database is a file in the server's own process.
      expect(pgPool()).toBeNull();
      return;
    }
    const caller = (await keyHolder(await keyOf("LIC-GLBX1-00001")))!;
    // Another session holds the period's lock exclusive (as a submission does), so the report's
    // transaction waits in its BEGIN; that backend is then terminated.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtext($1))", [periodLockKey(caller.organizationId, current())]);
      const body = await reportBody("LIC-GLBX1-00001");
      const pending = postReport(body);
      let waiting: { pid: number }[] = [];
      for (let i = 0; i < 50 && waiting.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        waiting = (await holder.query("SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_advisory_xact_lock_shared%' AND pid <> pg_backend_pid()")).rows;
      }
      expect(waiting).toHaveLength(1);
      await holder.query("SELECT pg_terminate_backend($1)", [waiting[0].pid]);
      // A connection lost is the database out of reach for this request: 503 with Retry-After,
      // so that the product retries (lib/errors.ts isDatabaseUnavailable).
      const answer = await pending;
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await getDb().usageReport.count({ where: { reportId: body.reportId as string } })).toBe(0);
    } finally {
      await holder.end();
    }
    expect((await postReport(await reportBody("LIC-GLBX1-00001"))).status).toBe(201);
  });

  it("409 for a report id reused with other content, and nothing changes", async () => {
    const body = await reportBody("LIC-GLBX1-00001");
    expect((await postReport(body)).status).toBe(201);
    const before = await productRowCounts();
    const res = await postReport({ ...body, workloads: [{ type: "VBR_VM", count: 121 }] });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await productRowCounts()).toEqual(before);
    const stored = await getDb().usageReport.findFirstOrThrow({ where: { reportId: body.reportId as string }, include: { workloads: true } });
    expect(stored.workloads[0].count).toBe(120);
  });

  it("409 for a new report of a submitted period; a retry of a report stored before the submission is still 200", async () => {
    const submittedPeriod = shiftPeriod(current(), -2); // the demo data submitted it
    const res = await postReport(await reportBody("LIC-GLBX1-00001", { period: submittedPeriod, collectedAt: `${submittedPeriod}-15T00:00:00Z` }));
    expect(res.status).toBe(409);
    expect(res.json.detail).toMatch(/already submitted/);

    const open = shiftPeriod(current(), -1);
    const body = await reportBody("LIC-GLBX1-00002", { period: open, collectedAt: `${open}-20T00:00:00Z`, workloads: [{ type: "CC_VM_Backup", count: 80 }] });
    expect((await postReport(body)).status).toBe(201);
    const org = await getDb().organization.findUniqueOrThrow({ where: { name: "Globex Hosting" } });
    await getDb().monthlyReport.create({ data: { organizationId: org.id, period: open, status: "SUBMITTED", dueAt: new Date(), submittedAt: new Date(), onTime: true } });
    expect((await postReport(body)).status).toBe(200);
    const fresh = await postReport({ ...body, reportId: newReportId() });
    expect(fresh.status).toBe(409);
  });
});

describe("refusals", () => {
  it("422 naming the field for a future period, collectedAt out of range, a foreign type, a type twice, newCount above count; nothing stored", async () => {
    const before = await productRowCounts();
    const next = shiftPeriod(current(), 1);
    const cases: [Record<string, unknown>, string][] = [
      [{ period: next }, "period"],
      [{ collectedAt: `${shiftPeriod(current(), -1)}-28T00:00:00Z` }, "collectedAt"],
      [{ collectedAt: new Date(now().getTime() + 11 * 60_000).toISOString() }, "collectedAt"],
      [{ workloads: [{ type: "VB365_User", count: 1 }] }, "workloads.0.type"],
      [{ workloads: [{ type: "VBR_VM", count: 1 }, { type: "VBR_VM", count: 2 }] }, "workloads.1.type"],
      [{ workloads: [{ type: "VBR_VM", count: 1, newCount: 2 }] }, "workloads.0.newCount"],
    ];
    for (const [override, path] of cases) {
      const res = await postReport(await reportBody("LIC-GLBX1-00001", override));
      expect(res.status, path).toBe(422);
      expect((res.json.errors as { path: string }[]).map((e) => e.path), path).toContain(path);
    }
    expect(await productRowCounts()).toEqual(before);
  });

  it("400 for malformed reports, 401 for an invalid key, 413 for a large body; nothing stored", async () => {
    const before = await productRowCounts();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: "daily" }, "kind"],
      [{ period: "2026-13" }, "period"],
      [{ reportId: "short" }, "reportId"],
      [{ collectedAt: "yesterday" }, "collectedAt"],
      [{ workloads: [] }, "workloads"],
      [{ workloads: Array.from({ length: 51 }, (_, i) => ({ type: `T${i}`, count: 1 })) }, "workloads"],
      [{ workloads: [{ type: "VBR_VM", count: -1 }] }, "workloads.0.count"],
      [{ workloads: [{ type: "VBR_VM", count: 1.5 }] }, "workloads.0.count"],
      [{ workloads: [{ type: "VBR_VM", count: 10_000_001 }] }, "workloads.0.count"],
      // PostgreSQL text cannot hold NUL: refused before it can fail a batch of other reports.
      [{ reportId: `rep-\u0000-${newReportId()}` }, "reportId"],
      [{ installationId: "vbr-\u0000-install" }, "installationId"],
      [{ workloads: [{ type: "VBR\u0000VM", count: 1 }] }, "workloads.0.type"],
    ];
    for (const [override, path] of cases) {
      const res = await postReport(await reportBody("LIC-GLBX1-00001", override));
      expect(res.status, path).toBe(400);
      expect((res.json.errors as { path: string }[]).map((e) => e.path), path).toContain(path);
    }
    expect((await postReport(await reportBody("LIC-GLBX1-00001", { licenseKey: "nope" }))).status).toBe(401);
    expect((await postReport(await reportBody("LIC-GLBX1-00001", { installationId: "x".repeat(70_000) }))).status).toBe(413);
    expect(await productRowCounts()).toEqual(before);
  });

  it("401 for every key of a revoked license, and nothing stored", async () => {
    const body = await reportBody("LIC-GLBX1-00003", { workloads: [{ type: "VB365_User", count: 5 }] });
    await getDb().license.update({ where: { licenseId: "LIC-GLBX1-00003" }, data: { revokedAt: new Date() } });
    const before = await productRowCounts();
    const res = await postReport(body);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await productRowCounts()).toEqual(before);
  });

  it("a key of organization A writes only to A", async () => {
    const acmeOrg = await getDb().organization.findUniqueOrThrow({ where: { name: "Acme Cloud Services" } });
    const body = await reportBody("LIC-ACME1-00001");
    expect((await postReport(body)).status).toBe(201);
    const stored = await getDb().usageReport.findFirstOrThrow({ where: { reportId: body.reportId as string }, include: { license: true } });
    expect(stored.organizationId).toBe(acmeOrg.id);
    expect(stored.license.licenseId).toBe("LIC-ACME1-00001");
    const globex = await getDb().user.findUniqueOrThrow({ where: { email: "bob@globex.test" } });
    const usage = await usageForPeriod({ actor: { type: "user", userId: globex.id, email: globex.email, role: globex.role, organizationId: globex.organizationId! }, now: now() }, current());
    expect(usage.map((u) => u.licenseId)).not.toContain("LIC-ACME1-00001");
  });
});

describe("Current Month Usage service", () => {
  it("sums over installations the highest weekly count of each (the demo month of Globex)", async () => {
    const bob = await getDb().user.findUniqueOrThrow({ where: { email: "bob@globex.test" } });
    const ctx = { actor: { type: "user" as const, userId: bob.id, email: bob.email, role: bob.role, organizationId: bob.organizationId! }, now: now() };
    const usage = await usageForPeriod(ctx, shiftPeriod(current(), -1));
    const cluster = usage.find((u) => u.licenseId === "LIC-GLBX1-00001");
    expect(cluster?.usage.VBR_VM).toEqual({
      count: 301 + 41,
      sources: [
        { installationId: "vbr-globex-ams-01", kind: "weekly", count: 301 },
        { installationId: "vbr-globex-fra-02", kind: "weekly", count: 41 },
      ],
    });
    expect(usage.find((u) => u.licenseId === "LIC-GLBX1-00003")?.usage.VB365_User.count).toBe(502);
  });
});
