import "server-only";
import { createHash } from "node:crypto";
import { getDb, isUniqueViolation, reads, type Tx } from "../db";
import { usageReportRefusals } from "../domain/product-api";
import { currentMonthUsage, type ReportedUsage, type TypeUsage } from "../domain/usage";
import { AppError } from "../errors";
import type { UsageReportAnswer, UsageReportRequest } from "../schemas/product-api";
import { GroupCommit } from "./group-commit";
import type { Context, ProductContext, ProviderActor } from "./context";
import { storedReportId, storeReportBatch, weeklyMaxima, type PendingReport, type ReportOutcome } from "./store/usage-reports";

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
    answer: { status: outcome.kind === "created" ? "accepted" : "duplicate", reportId: r.reportId, receivedAt: outcome.receivedAt.toISOString() },
  };
}

const globalReports = globalThis as unknown as { pulseUsageReports?: GroupCommit<PendingReport, ReportOutcome> };
const reports = (globalReports.pulseUsageReports ??= new GroupCommit(storeReportBatch));

/** A report as the batch writer takes it. Exported for the tests that write a batch directly. */
export function pendingReport(ctx: ProductContext, r: UsageReportRequest): PendingReport & { refusals: { path: string; message: string }[] } {
  const refusals = usageReportRefusals({ period: r.period, collectedAt: new Date(r.collectedAt), workloads: r.workloads }, ctx.actor.license.productId, ctx.now);
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
