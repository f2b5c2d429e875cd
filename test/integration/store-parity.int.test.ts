// Parity of the fast paths (lib/server/store/) with their plain Prisma reference implementations:
// fast-check generates batches (new, duplicate, conflicting, refused, late, submitted-period,
// out-of-order and cross-organization items), runs both implementations on fresh copies of the
// demo database, and compares the answers and the rows they leave. Runs on SQLite and, with
// PULSE_TEST_DB=pg, on PostgreSQL. A rule changed in lib/domain that a statement does not follow
// fails here.
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { getDb } from "@/lib/db";
import { periodOf, shiftPeriod } from "@/lib/domain/dates";
import type { UpdateResultName, UsageReportRequest } from "@/lib/schemas/product-api";
import type { KeyHolder } from "@/lib/server/context";
import { insertEvents, insertEventsReference } from "@/lib/server/store/events";
import { findKeyVersion, findKeyVersionReference } from "@/lib/server/store/license-keys";
import { VersionConflict, writeKeyVersions, writeKeyVersionsReference, type KeyVersionWrite } from "@/lib/server/store/key-versions";
import { recordChecks, recordChecksReference } from "@/lib/server/store/update-checks";
import { storeReportBatch, storeReportBatchReference, weeklyMaxima, weeklyMaximaReference } from "@/lib/server/store/usage-reports";
import { extendByMonthlyReports, pendingReport } from "@/lib/server/usage-reports";
import { cloneTemplate } from "../databases";
import { productContext } from "../product";

const RUNS = Number(process.env.PULSE_PARITY_RUNS || 15);
// Each run copies the demo database twice (CREATE DATABASE ... TEMPLATE on PostgreSQL).
const TIMEOUT = 300_000;
const NOW = new Date();
const CURRENT = periodOf(NOW);

/** Runs `work` on a fresh copy of the demo database, then drops it; the file's own database is untouched. */
async function onFreshDatabase<T>(work: () => Promise<T>): Promise<T> {
  const own = process.env.DATABASE_URL;
  const db = await cloneTemplate(inject("dbTemplate"));
  process.env.DATABASE_URL = db.url;
  try {
    return await work();
  } finally {
    await getDb().$disconnect();
    process.env.DATABASE_URL = own;
    await db.drop();
  }
}

/** Both implementations, each on its own fresh database: their answers and what each left. */
async function both<T>(fast: () => Promise<T>, reference: () => Promise<T>, rows: () => Promise<unknown>) {
  const a = await onFreshDatabase(async () => ({ answer: await fast(), rows: await rows() }));
  const b = await onFreshDatabase(async () => ({ answer: await reference(), rows: await rows() }));
  return [a, b];
}

/** The demo licenses as their keys prove them (ids are the same in every copy of the template). */
async function holders(): Promise<KeyHolder[]> {
  const licenses = await getDb().license.findMany({
    select: {
      id: true, licenseId: true, organizationId: true, type: true, productId: true, currentVersion: true, expirationDate: true, createdAt: true,
      contract: { select: { number: true, status: true, endDate: true } },
    },
    orderBy: { licenseId: "asc" },
    take: 8,
  });
  return licenses.map((l) => ({
    organizationId: l.organizationId, licenseRef: l.id, licenseId: l.licenseId, versionPresented: l.currentVersion,
    license: {
      type: l.type, productId: l.productId, currentVersion: l.currentVersion, expirationDate: l.expirationDate, createdPeriod: periodOf(l.createdAt),
      supportId: l.contract?.number ?? null, contract: l.contract ? { status: l.contract.status, endDate: l.contract.endDate } : null,
    },
  }));
}

const sorted = <T,>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

/** An item's holder: the license's own, or (cross-organization) with another organization's id. */
const holderArb = (pool: KeyHolder[], all: KeyHolder[] = pool) =>
  fc.record({ n: fc.nat({ max: pool.length - 1 }), foreign: fc.integer({ min: 0, max: 6 }).map((n) => n === 0) }).map(({ n, foreign }) => {
    const h = pool[n];
    const other = all.find((x) => x.organizationId !== h.organizationId);
    return foreign && other ? { ...h, organizationId: other.organizationId } : h;
  });

describe("storeReportBatch and its reference", () => {
  it("give the same answers and rows for any sequence of batches", async () => {
    const all = await holders();
    const item = fc.record({
      holder: holderArb(all),
      reportId: fc.constantFrom("rep-a", "rep-b", "rep-c", "rep-\ud800"),
      kind: fc.constantFrom("weekly" as const, "monthly" as const),
      // The running month, the last ended one, one the demo data submitted, a future one (refused).
      period: fc.constantFrom(CURRENT, shiftPeriod(CURRENT, -1), shiftPeriod(CURRENT, -2), shiftPeriod(CURRENT, 1)),
      workloads: fc.array(
        fc.record({ type: fc.constantFrom("VBR_VM", "VBR_Server_Agent", "NO_SUCH_TYPE"), count: fc.nat({ max: 500 }), newCount: fc.nat({ max: 3 }) }),
        { minLength: 1, maxLength: 2 },
      ),
      // Out of order: a batch's items arrive at times that are not sorted.
      offsetMs: fc.integer({ min: -120_000, max: 0 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(item, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }), async (batches) => {
        const pending = () =>
          batches.map((batch) =>
            batch.map((i) => {
              const at = new Date(NOW.getTime() + i.offsetMs);
              const body: UsageReportRequest = {
                licenseKey: "k", installationId: "vbr-parity", reportId: i.reportId, kind: i.kind, period: i.period,
                collectedAt: new Date(Math.max(at.getTime() - 1000, Date.parse(`${i.period}-01T00:00:00Z`))).toISOString(), workloads: i.workloads,
              };
              return pendingReport(productContext(i.holder, at), body);
            }),
          );
        // With the product's monthly report extending its license, as the product API runs it.
        const run = (store: typeof storeReportBatch) => async () => {
          const out = [];
          for (const b of pending()) out.push(...(await store(b, extendByMonthlyReports)).map((o) => ("receivedAt" in o ? { ...o, receivedAt: o.receivedAt.toISOString() } : o)));
          return out;
        };
        const [fast, reference] = await both(run(storeReportBatch), run(storeReportBatchReference), reportRows);
        expect(fast.answer).toEqual(reference.answer);
        expect(fast.rows).toEqual(reference.rows);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

async function reportRows() {
  const db = getDb();
  const [reports, workloads, audit, extensions, licenses] = await Promise.all([
    db.usageReport.findMany({ omit: { id: true } }),
    db.usageReportWorkload.findMany({ select: { type: true, count: true, newCount: true, usageReport: { select: { licenseId: true, reportId: true } } } }),
    db.auditEvent.findMany({ where: { action: { in: ["usage.report_received", "license.extended"] } }, omit: { id: true } }),
    db.licenseExtension.findMany({ select: { licenseId: true, period: true, fromDate: true, toDate: true, monthlyReportId: true, usageReport: { select: { reportId: true } } } }),
    db.license.findMany({ select: { id: true, expirationDate: true, currentVersion: true } }),
  ]);
  return { reports: sorted(reports), workloads: sorted(workloads), audit: sorted(audit), extensions: sorted(extensions), licenses: sorted(licenses) };
}

describe("recordChecks and its reference", () => {
  it("give the same answers and rows for any sequence of batches, revoked licenses and checks out of order included", async () => {
    const all = await holders();
    const revoked = all[1].licenseRef;
    const check = fc.record({
      // Few licenses and times, so that checks of one license meet at the same time and out of order.
      holder: holderArb(all.slice(0, 3), all),
      installationId: fc.constantFrom("vbr-1", "vbr-2", "vbr-\udc00"),
      productVersion: fc.constantFrom("12.3.0.1", "13.0.1.1071"),
      result: fc.constantFrom<UpdateResultName>("NotRequired", "Success", "ContractTerminated"),
      versionIssued: fc.option(fc.nat({ max: 5 }), { nil: null }),
      offsetMs: fc.integer({ min: -1, max: 1 }).map((n) => n * 60_000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(check, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }), async (batches) => {
        const run = (record: typeof recordChecks) => async () => {
          await getDb().license.update({ where: { id: revoked }, data: { revokedAt: NOW } });
          const out = [];
          for (const b of batches) {
            out.push(...(await record(b.map((c) => ({
              ctx: productContext(c.holder, new Date(NOW.getTime() + c.offsetMs), c.installationId),
              input: { licenseKey: "k", installationId: c.installationId, productVersion: c.productVersion },
              result: c.result,
              versionIssued: c.versionIssued,
            })))));
          }
          return out;
        };
        const [fast, reference] = await both(run(recordChecks), run(recordChecksReference), checkRows);
        expect(fast.answer).toEqual(reference.answer);
        expect(fast.rows).toEqual(reference.rows);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

async function checkRows() {
  const db = getDb();
  const [sessions, installations, licenses, audit] = await Promise.all([
    db.updateSession.findMany({ omit: { id: true } }),
    db.installation.findMany({ omit: { id: true } }),
    db.license.findMany({ select: { id: true, lastCheckAt: true, lastCheckResult: true } }),
    db.auditEvent.findMany({ where: { action: "license.update_checked" }, omit: { id: true } }),
  ]);
  return { sessions: sorted(sessions), installations: sorted(installations), licenses: sorted(licenses), audit: sorted(audit) };
}

describe("writeKeyVersions and its reference", () => {
  it("move the same licenses and write the same versions and extensions, or both refuse a stale or revoked one", async () => {
    const all = await holders();
    const report = await getDb().monthlyReport.findFirstOrThrow({ select: { id: true, organizationId: true } });
    const write = fc.record({
      n: fc.nat({ max: all.length - 1 }),
      stale: fc.boolean(),
      autoReported: fc.boolean(),
      expirationDate: fc.constantFrom("2027-01-31", "2027-02-28", "2027-03-31"),
      changed: fc.subarray(["autoReported", "expirationDate", "supportExpirationDate", "points"] as const),
      points: fc.nat({ max: 5000 }),
      extension: fc.option(fc.constantFrom("2026-01", "2026-02"), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(write, { minLength: 1, maxLength: 6, selector: (w) => w.n }), fc.boolean(), async (writes, revokeFirst) => {
        let seq = 0;
        const build = (): KeyVersionWrite[] =>
          writes.map((w) => {
            const h = all[w.n];
            const id = `kv-parity-${seq++}`;
            return {
              licenseRef: h.licenseRef, organizationId: h.organizationId, fromVersion: h.license.currentVersion + (w.stale ? 1 : 0),
              set: { autoReported: w.autoReported, expirationDate: w.expirationDate, supportExpirationDate: w.expirationDate, points: w.points },
              changed: w.changed,
              id, reason: "EXTENDED", issuedAt: NOW, issuedById: null,
              ...(w.extension && h.organizationId === report.organizationId ? { extension: { period: w.extension, monthlyReportId: report.id, usageReportId: null, fromDate: h.license.expirationDate, id: `ext-${id}` } } : {}),
            };
          });
        const run = (writeVersions: typeof writeKeyVersions) => async () => {
          seq = 0;
          if (revokeFirst) await getDb().license.update({ where: { id: all[writes[0].n].licenseRef }, data: { revokedAt: NOW } });
          const ws = build();
          try {
            await getDb().$transaction((tx) => writeVersions(tx, ws, Promise.resolve(ws.map((w) => ({ jws: `jws-${w.id}`, kid: "kid-parity" })))));
            return "written";
          } catch (error) {
            if (error instanceof VersionConflict) return "conflict";
            throw error;
          }
        };
        const [fast, reference] = await both(run(writeKeyVersions), run(writeKeyVersionsReference), keyRows);
        expect(fast.answer).toEqual(reference.answer);
        expect(fast.rows).toEqual(reference.rows);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

async function keyRows() {
  const db = getDb();
  const [licenses, versions, extensions] = await Promise.all([
    db.license.findMany({ select: { id: true, autoReported: true, expirationDate: true, supportExpirationDate: true, points: true, currentVersion: true, keyIssuedAt: true } }),
    db.keyVersion.findMany(),
    db.licenseExtension.findMany(),
  ]);
  return { licenses: sorted(licenses), versions: sorted(versions), extensions: sorted(extensions) };
}

describe("the store's reads and their references", () => {
  it("weeklyMaxima reduces any set of weekly reports as its reference does", async () => {
    const all = await holders();
    const report = fc.record({
      holder: fc.constantFrom(...all.slice(0, 4)),
      installationId: fc.constantFrom("vbr-1", "vbr-2"),
      kind: fc.constantFrom("weekly" as const, "monthly" as const),
      counts: fc.tuple(fc.nat({ max: 900 }), fc.nat({ max: 900 })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(report, { maxLength: 12 }), async (reports) =>
        onFreshDatabase(async () => {
          await storeReportBatchReference(
            reports.map((r, n) => pendingReport(productContext(r.holder, NOW, r.installationId), {
              licenseKey: "k", installationId: r.installationId, reportId: `rep-${n}`, kind: r.kind, period: CURRENT, collectedAt: NOW.toISOString(),
              workloads: [{ type: "VBR_VM", count: r.counts[0] }, { type: "VBR_Server_Agent", count: r.counts[1] }],
            })),
          );
          for (const org of new Set(all.map((h) => h.organizationId))) {
            const db = getDb();
            expect(sorted(await weeklyMaxima(db, org, CURRENT))).toEqual(sorted(await weeklyMaximaReference(db, org, CURRENT)));
          }
        }),
      ),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it("findKeyVersion finds every key version (revoked licenses and unknown ids included) as its reference does", async () => {
    await onFreshDatabase(async () => {
      const db = getDb();
      const revoked = await db.license.findFirstOrThrow({ select: { id: true } });
      await db.license.update({ where: { id: revoked.id }, data: { revokedAt: NOW } });
      const ids = [...(await db.keyVersion.findMany({ select: { id: true } })).map((k) => k.id), "no-such-jti", "'; DROP TABLE \"KeyVersion\"; --"];
      for (const id of ids) expect(await findKeyVersion(id)).toEqual(await findKeyVersionReference(id));
      expect((await findKeyVersion(ids[0]))?.licenseId).toBeTruthy();
    });
  });
});

describe("insertEvents and its reference", () => {
  it("write the same events and report the same ones as new, for any sequence of batches with repeated keys", async () => {
    let run = 0;
    const event = fc.record({
      key: fc.constantFrom("a", "b", "c", "d\ud800"),
      type: fc.constantFrom("usage.period_due", "case.updated"),
      title: fc.constantFrom("One", "Two"),
      data: fc.constantFrom({}, { period: "2026-11" }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }), async (batches) => {
        run++;
        // Each implementation in a key space of its own, on the file's database.
        const play = async (prefix: string, write: typeof insertEvents) => {
          const answers: string[][] = [];
          for (const batch of batches) {
            const rows = batch.map((e) => ({ ...e, key: `${prefix}${e.key}`, organizationId: null, link: "/x" }));
            const fresh = await getDb().$transaction((tx) => write(tx, rows, NOW));
            answers.push(fresh.map((f) => f.key.slice(prefix.length)).sort());
          }
          const stored = await getDb().event.findMany({ where: { key: { startsWith: prefix } }, select: { key: true, type: true, title: true, data: true, organizationId: true, link: true } });
          return { answers, rows: sorted(stored.map((s) => ({ ...s, key: s.key.slice(prefix.length) }))) };
        };
        expect(await play(`parity-f${run}:`, insertEvents)).toEqual(await play(`parity-r${run}:`, insertEventsReference));
      }),
      { numRuns: RUNS },
    );
  });
});
