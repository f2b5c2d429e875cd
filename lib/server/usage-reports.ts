import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { getDb, isUniqueViolation, pgPool, reads, type Tx } from "../db";
import { pgQuery, pgTransaction } from "../pg-direct";
import type { PoolClient } from "pg";
import { reportVerdict, usageReportRefusals } from "../domain/product-api";
import { currentMonthUsage, type ReportedUsage, type TypeUsage } from "../domain/usage";
import { AppError } from "../errors";
import type { ProductCaller } from "../http/product-auth";
import type { UsageReportRequest } from "../schemas/product-api";
import { AUDIT_COLUMNS, auditRows } from "./audit";
import { insertAll, pgInserts, type TableRows, type Value } from "./bulk-insert";
import { GroupCommit } from "./group-commit";
import { sharedPeriodLockStatement } from "./period-lock";
import type { Context, ProviderActor } from "./context";

export interface ReportAnswer {
  status: "accepted" | "duplicate";
  reportId: string;
  receivedAt: string;
}

/** The report's content apart from licenseKey (a retry may present a newer key), in a canonical form. */
function contentHash(r: UsageReportRequest): string {
  const canonical = {
    installationId: r.installationId,
    reportId: r.reportId,
    kind: r.kind,
    period: r.period,
    collectedAt: new Date(r.collectedAt).toISOString(),
    workloads: r.workloads.map((w) => ({ type: w.type, count: w.count, newCount: w.newCount ?? 0 })),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/**
 * A report id as it is stored: bulk-insert writes a lone UTF-16 surrogate as U+FFFD, so every
 * lookup and comparison of report ids uses this form (a driver binds a lone surrogate its own way).
 */
function storedReportId(reportId: string): string {
  return reportId.toWellFormed();
}

async function answerExisting(caller: ProductCaller, reportId: string, hash: string): Promise<ReportAnswer | null> {
  const existing = await getDb().usageReport.findUnique({
    where: { licenseId_reportId: { licenseId: caller.licenseRef, reportId: storedReportId(reportId) }, organizationId: caller.organizationId },
    select: { contentHash: true, receivedAt: true },
  });
  if (!existing) return null;
  if (existing.contentHash !== hash) {
    throw new AppError("CONFLICT", `Report ${reportId} was already received with other content; a new report needs a new reportId.`);
  }
  return { status: "duplicate", reportId, receivedAt: existing.receivedAt.toISOString() };
}

/**
 * POST /api/v1/usage/reports. A retry of a stored report is answered "duplicate" with the first
 * receivedAt (even after its period was submitted); the same reportId with other content is 409;
 * a new report for a submitted period is 409; the rules of usageReportRefusals are 422. Reports
 * are stored by group commit (many concurrent reports in one transaction, each answered after
 * that commit); the unique index on license + reportId stands behind the checks, and a race with
 * another instance that trips it is answered as a retry. A 2xx answer means the report is
 * stored; any other, nothing changed.
 */
export async function ingestUsageReport(caller: ProductCaller, r: UsageReportRequest, now: Date): Promise<{ created: boolean; answer: ReportAnswer }> {
  const pending = pendingReport(caller, r, now);
  const { refusals } = pending;
  let outcome: ReportOutcome;
  try {
    outcome = await reports.submit(pending);
  } catch (error) {
    if (isUniqueViolation(error)) {
      const raced = await answerExisting(caller, r.reportId, pending.hash);
      if (raced) return { created: false, answer: raced };
    }
    throw error;
  }
  if (outcome.kind === "refused") {
    throw new AppError("UNPROCESSABLE", `The report is refused: ${refusals.map((e) => `${e.path}: ${e.message}`).join("; ")}`, { errors: refusals });
  }
  if (outcome.kind === "conflict") {
    throw new AppError("CONFLICT", `Report ${r.reportId} was already received with other content; a new report needs a new reportId.`);
  }
  if (outcome.kind === "submitted") throw new AppError("CONFLICT", `The usage of ${r.period} is already submitted; it accepts no new reports.`);
  return {
    created: outcome.kind === "created",
    answer: { status: outcome.kind === "created" ? "accepted" : "duplicate", reportId: r.reportId, receivedAt: outcome.receivedAt.toISOString() },
  };
}

export interface PendingReport {
  caller: ProductCaller;
  report: UsageReportRequest;
  hash: string;
  collectedAt: Date;
  now: Date;
  /** The 422 rules, applied only when the report is not a retry of a stored one. */
  refusals: { path: string; message: string }[];
}

/** A report as the batch writer takes it. Exported with storeReportBatch for the tests. */
export function pendingReport(caller: ProductCaller, r: UsageReportRequest, now: Date): PendingReport {
  const collectedAt = new Date(r.collectedAt);
  const refusals = usageReportRefusals({ period: r.period, collectedAt, workloads: r.workloads }, caller.license.productId, now);
  return { caller, report: r, hash: contentHash(r), collectedAt, now, refusals };
}

export type ReportOutcome =
  | { kind: "created"; receivedAt: Date }
  | { kind: "duplicate"; receivedAt: Date }
  | { kind: "conflict" }
  | { kind: "submitted" }
  | { kind: "refused" };

const REPORT_COLUMNS = ["id", "organizationId", "licenseId", "installationId", "reportId", "kind", "period", "collectedAt", "receivedAt", "contentHash", "versionPresented"];
const WORKLOAD_COLUMNS = ["id", "usageReportId", "type", "count", "newCount"];

/**
 * Stores a batch of reports in one transaction: the retries and reuses of stored report ids
 * (and of ids repeated within the batch) are told apart by content hash, the periods already
 * submitted refuse new reports (under the period lock, shared with other reports and exclusive
 * to the submission), and the new reports, their workloads and audit events go in as bulk inserts.
 * On PostgreSQL the reads and the inserts are one statement (see pgStoreReports) and the
 * transaction runs without Prisma (lib/pg-direct.ts). The group commit
 * below is its caller; exported for the tests that write a batch directly.
 */
export async function storeReportBatch(items: PendingReport[]): Promise<ReportOutcome[]> {
  const periods = new Map(items.map((i) => [`${i.caller.organizationId}\u0000${i.report.period}`, { organizationId: i.caller.organizationId, period: i.report.period }]));
  // Each item's rows, made up front: on PostgreSQL the statement itself picks which go in.
  const drafts = items.map((item) => reportRows(item));
  const pool = pgPool();
  if (pool) {
    // One transaction without Prisma (lib/pg-direct.ts), three round trips: BEGIN with the period
    // locks (in key order, as every taker of two), the WITH, COMMIT.
    const locks = [...periods].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => sharedPeriodLockStatement(p.organizationId, p.period));
    return pgTransaction(
      pool,
      async (tx) => {
        const found = await pgStoreReports(tx, items, drafts);
        const decided = decide(items, drafts, found.stored, found.closed);
        const inserted = new Set(found.inserted);
        if (decided.fresh.length !== inserted.size || decided.fresh.some((d) => !inserted.has(d.report[0] as string))) {
          // Cannot happen while decide and the statement agree; rolls the batch back if they do not.
          throw new Error("usage reports: the statement inserted other reports than the batch decided");
        }
        return decided.outcomes;
      },
      locks,
    );
  }
  // SQLite: the guard runs one write transaction at a time, which orders the reports and the
  // submission as the period lock does on PostgreSQL.
  return getDb().$transaction(async (tx) => {
    const [stored, submitted] = await reads(
      tx,
      () => tx.usageReport.findMany({
        where: {
          organizationId: { in: [...new Set(items.map((i) => i.caller.organizationId))] },
          licenseId: { in: [...new Set(items.map((i) => i.caller.licenseRef))] },
          reportId: { in: [...new Set(items.map((i) => storedReportId(i.report.reportId)))] },
        },
        select: { licenseId: true, reportId: true, contentHash: true, receivedAt: true },
      }),
      () => tx.monthlyReport.findMany({
        where: { status: "SUBMITTED", OR: [...periods.values()].map((p) => ({ organizationId: p.organizationId, period: p.period })) },
        select: { organizationId: true, period: true },
      }),
    );
    const { outcomes, fresh } = decide(items, drafts, stored, submitted);
    await insertAll(tx, reportTables(fresh));
    return outcomes;
  });
}

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

interface ReportRows {
  report: Value[];
  workloads: Value[][];
  audit: Value[];
}

function reportRows(i: PendingReport): ReportRows {
  const id = randomUUID();
  const [audit] = auditRows([
    {
      ctx: { actor: { type: "installation" as const, organizationId: i.caller.organizationId, licenseId: i.caller.licenseId, installationId: i.report.installationId }, now: i.now },
      input: {
        organizationId: i.caller.organizationId,
        action: "usage.report_received",
        targetType: "License",
        targetId: i.caller.licenseId,
        after: { reportId: i.report.reportId, kind: i.report.kind, period: i.report.period, workloads: i.report.workloads },
      },
    },
  ]);
  return {
    report: [id, i.caller.organizationId, i.caller.licenseRef, i.report.installationId, i.report.reportId, i.report.kind, i.report.period, i.collectedAt, i.now, i.hash, i.caller.versionPresented],
    workloads: i.report.workloads.map((w) => [randomUUID(), id, w.type, w.count, w.newCount ?? 0]),
    audit,
  };
}

function reportTables(rows: readonly ReportRows[]): TableRows[] {
  return [
    { table: "UsageReport", columns: REPORT_COLUMNS, rows: rows.map((r) => r.report) },
    { table: "UsageReportWorkload", columns: WORKLOAD_COLUMNS, rows: rows.flatMap((r) => r.workloads) },
    { table: "AuditEvent", columns: AUDIT_COLUMNS, rows: rows.map((r) => r.audit) },
  ];
}

/**
 * Each item's outcome, in batch order, by reportVerdict: against the stored reports with the
 * batch's report ids, and against the items created earlier in the batch (a repeat is a retry of
 * those), with the submitted periods among the batch's.
 */
function decide(
  items: readonly PendingReport[],
  drafts: readonly ReportRows[],
  stored: readonly StoredReport[],
  submitted: readonly ClosedPeriod[],
): { outcomes: ReportOutcome[]; fresh: ReportRows[] } {
  const known = new Map(stored.map((s) => [`${s.licenseId}\u0000${s.reportId}`, s]));
  const closed = new Set(submitted.map((s) => `${s.organizationId}\u0000${s.period}`));
  const outcomes: ReportOutcome[] = [];
  const fresh: ReportRows[] = [];
  items.forEach((item, n) => {
    const key = `${item.caller.licenseRef}\u0000${storedReportId(item.report.reportId)}`;
    const seen = known.get(key);
    const verdict = reportVerdict(
      { contentHash: item.hash, refused: item.refusals.length > 0, periodSubmitted: closed.has(`${item.caller.organizationId}\u0000${item.report.period}`) },
      seen,
    );
    if (verdict === "duplicate") outcomes.push({ kind: "duplicate", receivedAt: seen!.receivedAt });
    else if (verdict === "created") {
      known.set(key, { licenseId: item.caller.licenseRef, reportId: item.report.reportId, contentHash: item.hash, receivedAt: item.now });
      fresh.push(drafts[n]);
      outcomes.push({ kind: "created", receivedAt: item.now });
    } else outcomes.push({ kind: verdict });
  });
  return { outcomes, fresh };
}

/**
 * PostgreSQL: the batch's reads and inserts as one data-modifying WITH, one round trip instead of
 * three. It runs after the period locks (a statement of its own: a statement's snapshot is taken
 * before it waits for a lock), so its snapshot sees every submission that committed before them. `fresh`
 * restates reportVerdict in batch order in SQL: for each license + report id not stored, its first
 * item in batch order that passes the 422 rules and whose period is not submitted; only those
 * items' rows are inserted. The caller checks that decide, given what the statement read, picks
 * the reports the statement inserted (RETURNING). `stored` and `closed` repeat a row when the
 * batch repeats an item; decide keys them by value.
 */
async function pgStoreReports(
  tx: PoolClient,
  items: readonly PendingReport[],
  drafts: readonly ReportRows[],
): Promise<{ stored: StoredReport[]; closed: ClosedPeriod[]; inserted: string[] }> {
  const batch = JSON.stringify(
    items.map((i, n) => ({
      n,
      id: drafts[n].report[0],
      auditId: drafts[n].audit[0],
      organizationId: i.caller.organizationId,
      licenseId: i.caller.licenseRef,
      reportId: storedReportId(i.report.reportId),
      period: i.report.period,
      refused: i.refusals.length > 0,
    })),
  );
  const freshIds = `(SELECT "id" FROM fresh)`;
  const [report, workloads, audit] = reportTables(drafts);
  const { ctes, params } = pgInserts(
    [
      { ...report, where: `r."id" IN ${freshIds}`, returning: `"id"` },
      { ...workloads, where: `r."usageReportId" IN ${freshIds}` },
      { ...audit, where: `r."id" IN (SELECT "auditId" FROM batch WHERE "id" IN ${freshIds})` },
    ],
    2,
  );
  // LIMIT: the batch's true size (a number from this code, not input). The planner otherwise
  // assumes 100 rows of JSON and scans UsageReport even for a batch of one, instead of looking the
  // item up by its unique index. w0 is the UsageReport insert (pgInserts names them w0, w1, ...).
  const rows = await pgQuery<{ kind: "stored" | "closed" | "inserted"; a: string; b: string | null; hash: string | null; at: Date | null }>(
    tx,
    `WITH batch AS (
       SELECT * FROM json_to_recordset($1::json)
         AS b(n int, "id" text, "auditId" text, "organizationId" text, "licenseId" text, "reportId" text, "period" text, "refused" boolean)
       LIMIT ${Number(items.length)}
     ),
     stored AS (
       SELECT u."licenseId", u."reportId", u."contentHash", u."receivedAt" FROM batch b
       JOIN "UsageReport" u ON u."licenseId" = b."licenseId" AND u."reportId" = b."reportId" AND u."organizationId" = b."organizationId"
     ),
     closed AS (
       SELECT m."organizationId", m."period" FROM batch b
       JOIN "MonthlyReport" m ON m."organizationId" = b."organizationId" AND m."period" = b."period" AND m."status" = 'SUBMITTED'
     ),
     fresh AS (
       SELECT DISTINCT ON (b."licenseId", b."reportId") b."id" FROM batch b
       WHERE NOT b."refused"
         AND NOT EXISTS (SELECT 1 FROM stored s WHERE s."licenseId" = b."licenseId" AND s."reportId" = b."reportId")
         AND NOT EXISTS (SELECT 1 FROM closed c WHERE c."organizationId" = b."organizationId" AND c."period" = b."period")
       ORDER BY b."licenseId", b."reportId", b.n
     ),
     ${ctes}
     SELECT 'stored' AS kind, "licenseId" AS a, "reportId" AS b, "contentHash" AS hash, "receivedAt" AS at FROM stored
     UNION ALL SELECT 'closed', "organizationId", "period", NULL, NULL FROM closed
     UNION ALL SELECT 'inserted', "id", NULL, NULL, NULL FROM w0`,
    [batch, ...params],
  );
  return {
    stored: rows.filter((r) => r.kind === "stored").map((r) => ({ licenseId: r.a, reportId: r.b!, contentHash: r.hash!, receivedAt: r.at! })),
    closed: rows.filter((r) => r.kind === "closed").map((r) => ({ organizationId: r.a, period: r.b! })),
    inserted: rows.filter((r) => r.kind === "inserted").map((r) => r.a),
  };
}

const globalReports = globalThis as unknown as { pulseUsageReports?: GroupCommit<PendingReport, ReportOutcome> };
const reports = (globalReports.pulseUsageReports ??= new GroupCommit(storeReportBatch));

export interface LicenseUsage {
  licenseId: string;
  productId: string;
  autoReported: boolean;
  usage: Record<string, TypeUsage>;
}

export interface PeriodUsage {
  /** The license's database id. */
  id: string;
  licenseId: string;
  productId: string;
  autoReported: boolean;
  revoked: boolean;
  usage: Map<string, TypeUsage>;
}

/**
 * Current Month Usage of every license of an organization that reported for a period, keyed by
 * the license's database id. Pass the transaction client to read inside a transaction.
 */
export async function periodUsage(client: Tx, organizationId: string, period: string): Promise<Map<string, PeriodUsage>> {
  // Weekly reports are pre-aggregated by the database to each installation's highest count per
  // workload type (what the rule takes of them), so a month of 2,000 servers reads 2,000 rows,
  // not 16,000; monthly reports are few and read whole. currentMonthUsage applies the rule.
  // Flat queries throughout: a nested select binds every parent id as a parameter and fails
  // past the database's limit for a large organization.
  const [weekly, monthly, monthlyWorkloads, licenses] = await reads(
    client,
    () => client.$queryRaw<{ licenseId: string; installationId: string; type: string; count: number | bigint }[]>`
      SELECT r."licenseId" AS "licenseId", r."installationId" AS "installationId", w."type" AS "type", MAX(w."count") AS "count"
      FROM "UsageReport" r JOIN "UsageReportWorkload" w ON w."usageReportId" = r."id"
      WHERE r."organizationId" = ${organizationId} AND r."period" = ${period} AND r."kind" = 'weekly'
      GROUP BY r."licenseId", r."installationId", w."type"`,
    () => client.usageReport.findMany({
      where: { organizationId, period, kind: "monthly" },
      select: { id: true, licenseId: true, installationId: true, collectedAt: true },
    }),
    () => client.usageReportWorkload.findMany({
      where: { usageReport: { organizationId, period, kind: "monthly" } },
      select: { usageReportId: true, type: true, count: true },
    }),
    () => client.license.findMany({
      where: { organizationId, usageReports: { some: { period } } },
      select: { id: true, licenseId: true, productId: true, autoReported: true, revokedAt: true },
    }),
  );
  const byLicense = new Map<string, ReportedUsage[]>();
  const add = (licenseId: string, usage: ReportedUsage) => {
    const list = byLicense.get(licenseId);
    if (list) list.push(usage);
    else byLicense.set(licenseId, [usage]);
  };
  // One weekly figure per installation, carrying its highest count of each type.
  const weeklyOf = new Map<string, ReportedUsage>();
  for (const w of weekly) {
    const key = `${w.licenseId}\u0000${w.installationId}`;
    let usage = weeklyOf.get(key);
    if (!usage) {
      usage = { installationId: w.installationId, kind: "weekly", collectedAt: new Date(0), workloads: [] };
      weeklyOf.set(key, usage);
      add(w.licenseId, usage);
    }
    usage.workloads.push({ type: w.type, count: Number(w.count) });
  }
  const workloadsOf = new Map<string, { type: string; count: number }[]>();
  for (const w of monthlyWorkloads) workloadsOf.set(w.usageReportId, [...(workloadsOf.get(w.usageReportId) ?? []), { type: w.type, count: w.count }]);
  for (const r of monthly) add(r.licenseId, { installationId: r.installationId, kind: "monthly", collectedAt: r.collectedAt, workloads: workloadsOf.get(r.id) ?? [] });

  const result = new Map<string, PeriodUsage>();
  for (const l of licenses) {
    const list = byLicense.get(l.id);
    if (!list) continue;
    result.set(l.id, { id: l.id, licenseId: l.licenseId, productId: l.productId, autoReported: l.autoReported, revoked: !!l.revokedAt, usage: currentMonthUsage(list) });
  }
  return result;
}

/** Current Month Usage per license and workload type of the caller's organization for a period. */
export async function usageForPeriod(ctx: Context & { actor: ProviderActor }, period: string): Promise<LicenseUsage[]> {
  const usage = await periodUsage(getDb(), ctx.actor.organizationId, period);
  return [...usage.values()]
    .map((u) => ({ licenseId: u.licenseId, productId: u.productId, autoReported: u.autoReported, usage: Object.fromEntries(u.usage.entries()) }))
    .sort((a, b) => a.licenseId.localeCompare(b.licenseId));
}
