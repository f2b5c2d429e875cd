import "server-only";
import { emitEvents, extendedEvent } from "./notifications/emit";
import { createHash } from "node:crypto";
import { getDb, isUniqueViolation, reads, type Tx } from "../db";
import { usageReportRefusals } from "../domain/product-api";
import { currentMonthUsage, type ReportedUsage, type TypeUsage } from "../domain/usage";
import { AppError } from "../errors";
import type { UsageReportAnswer, UsageReportRequest } from "../schemas/product-api";
import { GroupCommit } from "./group-commit";
import type { Context, ProductContext, ProviderActor } from "./context";
import { storedReportId, storeReportBatch, weeklyMaxima, type AfterInsert, type PendingReport, type ReportOutcome } from "./store/usage-reports";
import { issueKeyVersions, licenseForKeySelect } from "./key-versions";
import { lockLicenses } from "./store/locks";
import { periodOf, toDateString } from "../domain/dates";
import { extendedExpiration, supportExpirationFor } from "../domain/licenses";
import { arrivesBy, DEFAULT_DUE_DAY, reportDueAt } from "../domain/reporting";

type ReportAnswer = UsageReportAnswer;

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

async function answerExisting(ctx: ProductContext, reportId: string, hash: string): Promise<ReportAnswer | null> {
  const existing = await getDb().usageReport.findUnique({
    where: { licenseId_reportId: { licenseId: ctx.actor.licenseRef, reportId: storedReportId(reportId) }, organizationId: ctx.actor.organizationId },
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
export async function ingestUsageReport(ctx: ProductContext, r: UsageReportRequest): Promise<{ created: boolean; answer: ReportAnswer }> {
  const pending = pendingReport(ctx, r);
  const { refusals } = pending;
  let outcome: ReportOutcome;
  try {
    outcome = await reports.submit(pending);
  } catch (error) {
    if (isUniqueViolation(error)) {
      const raced = await answerExisting(ctx, r.reportId, pending.hash);
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
    answer: {
      status: outcome.kind === "created" ? "accepted" : "duplicate",
      reportId: r.reportId,
      receivedAt: outcome.receivedAt.toISOString(),
      ...(outcome.kind === "created" && outcome.licenseExtendedTo ? { licenseExtendedTo: outcome.licenseExtendedTo } : {}),
    },
  };
}

/**
 * The product's own monthly report for an ended period is that license's report "directly from
 * the product" (DOMAIN-RULES.md, lifecycle 2): received on time (its contract's due day), it
 * extends the license by one calendar month with a new key version, in the transaction that
 * stores the report; once per license and period, shared with Submit Usage through the unique
 * index on license + period. A monthly report for the running month, or a late one, extends
 * nothing.
 */
export const extendByMonthlyReports: AfterInsert = {
  candidate: (i) => i.report.kind === "monthly" && i.report.period < periodOf(i.ctx.now),
  async apply(tx, created) {
    // One per license: its first report of the batch.
    const first = new Map<string, (typeof created)[number]>();
    for (const c of created) if (!first.has(c.item.ctx.actor.licenseRef)) first.set(c.item.ctx.actor.licenseRef, c);
    const ids = [...first.keys()];
    await lockLicenses(tx, ids);
    const [licenses, done] = await reads(
      tx,
      () => tx.license.findMany({
        // Scoped to the callers' organizations in the query (and each license to its caller's below).
        where: { id: { in: ids }, organizationId: { in: [...new Set(created.map((c) => c.item.ctx.actor.organizationId))] } },
        select: { ...licenseForKeySelect, organizationId: true, revokedAt: true, contract: { select: { number: true, status: true, endDate: true, dueDay: true } } },
      }),
      () => tx.licenseExtension.findMany({ where: { licenseId: { in: ids }, license: { organizationId: { in: [...new Set(created.map((c) => c.item.ctx.actor.organizationId))] } }, period: { in: [...new Set(created.map((c) => c.item.report.period))] } }, select: { licenseId: true, period: true } }),
    );
    const extendedFor = new Set(done.map((d) => `${d.licenseId}\u0000${d.period}`));
    const out = new Map<string, string>();
    for (const l of licenses) {
      const { item, usageReportId } = first.get(l.id)!;
      const { ctx, report } = item;
      if (l.organizationId !== ctx.actor.organizationId || extendedFor.has(`${l.id}\u0000${report.period}`)) continue;
      const dueAt = reportDueAt(report.period, l.contract?.dueDay ?? DEFAULT_DUE_DAY);
      const to = extendedExpiration(
        { autoReported: l.autoReported, revoked: l.revokedAt !== null, expirationDate: l.expirationDate, contract: l.contract },
        { today: toDateString(ctx.now), onTime: arrivesBy(ctx.now, dueAt) },
      );
      if (!to) continue;
      const [issued] = await issueKeyVersions(tx, ctx, [{
        license: l,
        changes: { expirationDate: to, supportExpirationDate: supportExpirationFor(to) },
        reason: "EXTENDED",
        extension: { period: report.period, monthlyReportId: null, usageReportId },
        audit: {
          action: "license.extended",
          before: { expirationDate: l.expirationDate, version: l.currentVersion },
          after: { expirationDate: to, version: l.currentVersion + 1, period: report.period, byReport: report.reportId },
        },
      }]);
      await emitEvents(tx, ctx.now, [extendedEvent(l.organizationId, { ...issued, period: report.period })]);
      out.set(usageReportId, to);
    }
    return out;
  },
};

const globalReports = globalThis as unknown as { pulseUsageReports?: GroupCommit<PendingReport, ReportOutcome> };
const reports = (globalReports.pulseUsageReports ??= new GroupCommit((items) => storeReportBatch(items, extendByMonthlyReports)));

/** A report as the batch writer takes it. Exported for the tests that write a batch directly. */
export function pendingReport(ctx: ProductContext, r: UsageReportRequest): PendingReport & { refusals: { path: string; message: string }[] } {
  const refusals = usageReportRefusals({ period: r.period, licenseCreatedPeriod: ctx.actor.license.createdPeriod, collectedAt: new Date(r.collectedAt), workloads: r.workloads }, ctx.actor.license.productId, ctx.now);
  return { ctx, report: r, hash: contentHash(r), refused: refusals.length > 0, refusals };
}

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
  /** What its installations reported: per installation its highest weekly counts, and its monthly reports. */
  reported: ReportedUsage[];
}

/**
 * Current Month Usage of every license of an organization that reported for a period, keyed by
 * the license's database id. Pass the transaction client to read inside a transaction.
 */
export async function periodUsage(client: Tx, organizationId: string, period: string): Promise<Map<string, PeriodUsage>> {
  // Weekly reports come pre-aggregated to each installation's highest count per workload type
  // (store/usage-reports.ts weeklyMaxima); monthly reports are few and read whole.
  // currentMonthUsage applies the rule.
  // Flat queries throughout: a nested select binds every parent id as a parameter and fails
  // past the database's limit for a large organization.
  const [weekly, monthly, monthlyWorkloads, licenses] = await reads(
    client,
    () => weeklyMaxima(client, organizationId, period),
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
    usage.workloads.push({ type: w.type, count: w.count });
  }
  const workloadsOf = new Map<string, { type: string; count: number }[]>();
  for (const w of monthlyWorkloads) workloadsOf.set(w.usageReportId, [...(workloadsOf.get(w.usageReportId) ?? []), { type: w.type, count: w.count }]);
  for (const r of monthly) add(r.licenseId, { installationId: r.installationId, kind: "monthly", collectedAt: r.collectedAt, workloads: workloadsOf.get(r.id) ?? [] });

  const result = new Map<string, PeriodUsage>();
  for (const l of licenses) {
    const list = byLicense.get(l.id);
    if (!list) continue;
    result.set(l.id, { id: l.id, licenseId: l.licenseId, productId: l.productId, autoReported: l.autoReported, revoked: !!l.revokedAt, usage: currentMonthUsage(list), reported: list });
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
