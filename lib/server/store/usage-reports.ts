import "server-only";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { getDb, pgPool, reads, type Tx } from "../../db";
import { pgQuery, pgTransaction } from "../../pg-direct";
import { reportBatchVerdicts } from "../../domain/product-api";
import type { UsageReportRequest } from "../../schemas/product-api";
import { auditTable } from "../audit";
import type { ProductContext } from "../context";
import { lockPeriodsShared, sharedPeriodLockStatement } from "./locks";
import { insertAll, pgInsertCtes, tableRows, wellFormed, type TableRows } from "./rows";

/** A usage report as a batch stores it: the caller, the parsed body, and what was decided of it before the batch. */
export interface PendingReport {
  ctx: ProductContext;
  report: UsageReportRequest;
  /** The content apart from the license key (see contentHash in lib/server/usage-reports.ts). */
  hash: string;
  /** Whether the 422 rules refuse it (they apply only when it is not a retry of a stored report). */
  refused: boolean;
}

export type ReportOutcome =
  | { kind: "created"; receivedAt: Date; licenseExtendedTo?: string }
  | { kind: "duplicate"; receivedAt: Date }
  | { kind: "conflict" }
  | { kind: "submitted" }
  | { kind: "refused" };

/** A stored report as a batch reads it, and a submitted period among the batch's. */
interface StoredReport {
  licenseId: string;
  reportId: string;
  contentHash: string;
  receivedAt: Date;
}
interface ClosedPeriod {
  organizationId: string;
  period: string;
}

/**
 * A report id as it is stored: a lone UTF-16 surrogate becomes U+FFFD (store/rows.ts), so every
 * lookup and comparison of report ids uses this form.
 */
export function storedReportId(reportId: string): string {
  return wellFormed(reportId);
}

const keyOf = (licenseRef: string, reportId: string) => `${licenseRef}\u0000${reportId}`;
const periodKey = (organizationId: string, period: string) => `${organizationId}\u0000${period}`;

/** Each item's outcome by reportBatchVerdicts (lib/domain), from what the batch read. */
function decide(items: readonly PendingReport[], stored: readonly StoredReport[], closed: readonly ClosedPeriod[]): ReportOutcome[] {
  const known = new Map(stored.map((s) => [keyOf(s.licenseId, s.reportId), s]));
  const submitted = new Set(closed.map((c) => periodKey(c.organizationId, c.period)));
  return reportBatchVerdicts(
    items.map((i) => ({
      key: keyOf(i.ctx.actor.licenseRef, storedReportId(i.report.reportId)),
      contentHash: i.hash,
      refused: i.refused,
      periodSubmitted: submitted.has(periodKey(i.ctx.actor.organizationId, i.report.period)),
      at: i.ctx.now,
    })),
    known,
  ).map((o) => ("receivedAt" in o ? { kind: o.verdict, receivedAt: o.receivedAt } : { kind: o.verdict }));
}

/**
 * What a batch does after its reports are inserted, in the same transaction: the licenses that
 * the created reports extend (the product's own monthly report, lib/server/usage-reports.ts).
 * `candidate` says which reports may extend; `apply` returns the new date per created report id.
 */
export interface AfterInsert {
  candidate: (item: PendingReport) => boolean;
  apply: (tx: Tx, created: readonly { item: PendingReport; usageReportId: string }[]) => Promise<Map<string, string>>;
}

/** The created reports with their new ids, in batch order. */
function createdReports(items: readonly PendingReport[], outcomes: readonly ReportOutcome[]): { n: number; id: string; item: PendingReport }[] {
  return items.flatMap((item, n) => (outcomes[n].kind === "created" ? [{ n, id: randomUUID(), item }] : []));
}

/** The rows of the reports created: the report, its workloads, its audit event. */
function createdTables(reports: readonly { id: string; item: PendingReport }[]): [TableRows<"UsageReport">, TableRows<"UsageReportWorkload">, TableRows<"AuditEvent">] {
  const created = reports.map((r) => r.item);
  return [
    tableRows(
      "UsageReport",
      ["id", "organizationId", "licenseId", "installationId", "reportId", "kind", "period", "collectedAt", "receivedAt", "contentHash", "versionPresented"],
      reports.map(({ id, item: i }) => ({
        id,
        organizationId: i.ctx.actor.organizationId,
        licenseId: i.ctx.actor.licenseRef,
        installationId: wellFormed(i.report.installationId),
        reportId: storedReportId(i.report.reportId),
        kind: i.report.kind,
        period: i.report.period,
        collectedAt: new Date(i.report.collectedAt),
        receivedAt: i.ctx.now,
        contentHash: i.hash,
        versionPresented: i.ctx.actor.versionPresented,
      })),
    ),
    tableRows(
      "UsageReportWorkload",
      ["id", "usageReportId", "type", "count", "newCount"],
      reports.flatMap(({ id, item }) => item.report.workloads.map((w) => ({ id: randomUUID(), usageReportId: id, type: wellFormed(w.type), count: w.count, newCount: w.newCount ?? 0 }))),
    ),
    auditTable(
      created.map((i) => ({
        ctx: i.ctx,
        input: {
          organizationId: i.ctx.actor.organizationId,
          action: "usage.report_received",
          targetType: "License",
          targetId: i.ctx.actor.licenseId,
          after: { reportId: i.report.reportId, kind: i.report.kind, period: i.report.period, workloads: i.report.workloads },
        },
      })),
    ),
  ];
}

/** Runs `after` for the created reports it takes, and adds the dates it returns to their outcomes. */
async function runAfterInsert(tx: Tx, after: AfterInsert | undefined, reports: readonly { n: number; id: string; item: PendingReport }[], outcomes: ReportOutcome[]): Promise<void> {
  const taken = after ? reports.filter((r) => after.candidate(r.item)) : [];
  if (!after || taken.length === 0) return;
  const extended = await after.apply(tx, taken.map((r) => ({ item: r.item, usageReportId: r.id })));
  for (const r of taken) {
    const to = extended.get(r.id);
    const o = outcomes[r.n];
    if (to && o.kind === "created") outcomes[r.n] = { ...o, licenseExtendedTo: to };
  }
}

/** The facts a batch reads, as Prisma queries (SQLite's fast path and the reference). */
async function readFacts(tx: Tx, items: readonly PendingReport[]): Promise<[StoredReport[], ClosedPeriod[]]> {
  return reads(
    tx,
    () => tx.usageReport.findMany({
      // By the unique index (license + report id): the license comes from the caller's key, which
      // authentication ties to its organization.
      where: {
        licenseId: { in: [...new Set(items.map((i) => i.ctx.actor.licenseRef))] },
        reportId: { in: [...new Set(items.map((i) => storedReportId(i.report.reportId)))] },
      },
      select: { licenseId: true, reportId: true, contentHash: true, receivedAt: true },
    }),
    () => tx.monthlyReport.findMany({
      // One condition per organization and period of the batch (not per item).
      where: { status: "SUBMITTED", OR: [...new Map(items.map((i) => [periodKey(i.ctx.actor.organizationId, i.report.period), { organizationId: i.ctx.actor.organizationId, period: i.report.period }])).values()] },
      select: { organizationId: true, period: true },
    }),
  );
}

/**
 * Stores a batch of usage reports in one transaction and answers each by reportBatchVerdicts:
 * read the stored reports with the batch's ids and the batch's submitted periods, decide, insert
 * the created reports with their workloads and audit events in bulk. Periods are ordered against
 * the submission by the period lock (taken shared here, exclusive by the submission) on
 * PostgreSQL, by the one write transaction at a time on SQLite. The statements decide nothing:
 * they read, and insert what the rule picked. The unique index on license + report id stands
 * behind it (a race with another instance fails the batch; the caller answers it as a retry).
 *
 * PostgreSQL runs without Prisma (lib/pg-direct.ts) in three round trips: BEGIN with the period
 * locks and the read, the insert, COMMIT. SQLite runs the same reads and inserts through Prisma's
 * transaction. storeReportBatchReference is the plain version the parity test compares it with.
 */
export async function storeReportBatch(items: PendingReport[], after?: AfterInsert): Promise<ReportOutcome[]> {
  const pool = pgPool();
  // A batch that may extend a license issues key versions through Prisma: it runs on Prisma's
  // transaction (monthly reports of an ended period: once a month per license).
  if (!pool || (after && items.some(after.candidate))) {
    return getDb().$transaction(async (tx) => {
      await lockPeriodsShared(tx, items.map((i) => ({ organizationId: i.ctx.actor.organizationId, period: i.report.period })));
      const [stored, closed] = await readFacts(tx, items);
      const outcomes = decide(items, stored, closed);
      const reports = createdReports(items, outcomes);
      await insertAll(tx, createdTables(reports));
      await runAfterInsert(tx, after, reports, outcomes);
      return outcomes;
    });
  }
  const periods = new Map(items.map((i) => [periodKey(i.ctx.actor.organizationId, i.report.period), i]));
  // In key order, as every taker of two locks.
  const locks = [...periods].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, i]) => sharedPeriodLockStatement(i.ctx.actor.organizationId, i.report.period));
  return pgTransaction<ReportOutcome[], FactRow>(
    pool,
    async (tx, rows) => {
      const stored = rows.filter((r) => r.kind === "stored").map((r) => ({ licenseId: r.a, reportId: r.b, contentHash: r.hash!, receivedAt: r.at! }));
      const closed = rows.filter((r) => r.kind === "closed").map((r) => ({ organizationId: r.a, period: r.b }));
      const outcomes = decide(items, stored, closed);
      const tables = createdTables(createdReports(items, outcomes)).filter((t) => t.rows.length > 0);
      if (tables.length > 0) {
        const { ctes, params } = pgInsertCtes(tables, 1);
        await pgQuery(tx, `WITH ${ctes} SELECT 1`, params);
      }
      return outcomes;
    },
    locks,
    pgFactsStatement(items),
  );
}

interface FactRow {
  kind: "stored" | "closed";
  a: string;
  b: string;
  hash: string | null;
  at: Date | null;
}

/**
 * PostgreSQL: the batch's reads as one statement without parameters, sent with BEGIN and the
 * locks (one round trip; in a multi-statement query each statement takes its own snapshot, so it
 * sees every submission that committed before the locks were granted). The batch travels as one
 * JSON literal escaped by node-postgres. LIMIT: the batch's true size (the planner otherwise
 * assumes 100 rows of JSON and scans UsageReport instead of using its unique index).
 */
function pgFactsStatement(items: readonly PendingReport[]): string {
  const batch = JSON.stringify(
    items.map((i) => ({ organizationId: i.ctx.actor.organizationId, licenseId: i.ctx.actor.licenseRef, reportId: storedReportId(i.report.reportId), period: i.report.period })),
  );
  return `WITH batch AS (
      SELECT * FROM json_to_recordset(${pg.escapeLiteral(wellFormed(batch))}::json)
        AS b("organizationId" text, "licenseId" text, "reportId" text, "period" text)
      LIMIT ${Number(items.length)}
    )
    SELECT DISTINCT 'stored' AS kind, u."licenseId" AS a, u."reportId" AS b, u."contentHash" AS hash, u."receivedAt" AS at FROM batch b
      JOIN "UsageReport" u ON u."licenseId" = b."licenseId" AND u."reportId" = b."reportId"
    UNION ALL
    SELECT DISTINCT 'closed', m."organizationId", m."period", NULL::text, NULL::timestamp(3) FROM batch b
      JOIN "MonthlyReport" m ON m."organizationId" = b."organizationId" AND m."period" = b."period" AND m."status" = 'SUBMITTED'`;
}

/** The reference for storeReportBatch: the same reads and rule, one Prisma create per row. */
export async function storeReportBatchReference(items: PendingReport[], after?: AfterInsert): Promise<ReportOutcome[]> {
  return getDb().$transaction(async (tx) => {
    const [stored, closed] = await readFacts(tx, items);
    const outcomes = decide(items, stored, closed);
    const created = createdReports(items, outcomes);
    const [reports, workloads, audits] = createdTables(created);
    for (const r of reports.rows) await tx.usageReport.create({ data: r as Required<(typeof reports.rows)[number]> });
    for (const w of workloads.rows) await tx.usageReportWorkload.create({ data: w as Required<(typeof workloads.rows)[number]> });
    for (const a of audits.rows) await tx.auditEvent.create({ data: a as Required<(typeof audits.rows)[number]> });
    await runAfterInsert(tx, after, created, outcomes);
    return outcomes;
  });
}

/** An installation's highest count per workload type over its weekly reports of a period. */
export interface WeeklyMaximum {
  licenseId: string;
  installationId: string;
  type: string;
  count: number;
}

/**
 * The weekly reports of an organization's period, reduced by the database to each
 * installation's highest count per workload type (what Current Month Usage takes of them,
 * lib/domain/usage.ts), so a month of 2,000 servers reads 2,000 rows, not 16,000.
 */
export async function weeklyMaxima(client: Tx, organizationId: string, period: string): Promise<WeeklyMaximum[]> {
  const rows = await client.$queryRaw<{ licenseId: string; installationId: string; type: string; count: number | bigint }[]>`
    SELECT r."licenseId" AS "licenseId", r."installationId" AS "installationId", w."type" AS "type", MAX(w."count") AS "count"
    FROM "UsageReport" r JOIN "UsageReportWorkload" w ON w."usageReportId" = r."id"
    WHERE r."organizationId" = ${organizationId} AND r."period" = ${period} AND r."kind" = 'weekly'
    GROUP BY r."licenseId", r."installationId", w."type"`;
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/** The reference for weeklyMaxima: every weekly workload read through Prisma, reduced here. */
export async function weeklyMaximaReference(client: Tx, organizationId: string, period: string): Promise<WeeklyMaximum[]> {
  const rows = await client.usageReportWorkload.findMany({
    where: { usageReport: { organizationId, period, kind: "weekly" } },
    select: { type: true, count: true, usageReport: { select: { licenseId: true, installationId: true } } },
  });
  const max = new Map<string, WeeklyMaximum>();
  for (const w of rows) {
    const key = `${w.usageReport.licenseId}\u0000${w.usageReport.installationId}\u0000${w.type}`;
    const seen = max.get(key);
    if (!seen || w.count > seen.count) max.set(key, { licenseId: w.usageReport.licenseId, installationId: w.usageReport.installationId, type: w.type, count: w.count });
  }
  return [...max.values()];
}
