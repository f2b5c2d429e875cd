import "server-only";
import { getDb, type Tx } from "../../db";
import type { Period } from "../../domain/dates";
import { adjustmentRefusals, autoRowsOf, licenseInPeriod, MAX_MANUAL_ROWS, submitRefusal } from "../../domain/monthly-report";
import { pointsFor } from "../../domain/points";
import { AppError, notFound } from "../../errors";
import type { AdjustmentInput, ManualRowInput } from "../../schemas/usage";
import { writeAudit } from "../audit";
import type { OrganizationContext, ProviderContext } from "../context";
import { lockPeriod } from "../store/locks";
import { periodUsage } from "../usage-reports";
import { manualView, periodFacts } from "./facts";
import type { ManualRowView } from "../../schemas/usage";

// Draft edits: manual rows and adjustments (refused once the period is submitted)

/**
 * In a transaction holding the period's lock: the period's draft report (created on first use)
 * and its facts; refuses a period that is submitted, not ended, or before the first contract.
 */
export async function openDraft(tx: Tx, ctx: OrganizationContext, period: Period) {
  const organizationId = ctx.actor.organizationId;
  const facts = await periodFacts(tx, ctx, period);
  const refusal = submitRefusal(period, facts.firstPeriod, ctx.now);
  if (refusal) throw new AppError("UNPROCESSABLE", refusal);
  const report = await tx.monthlyReport.findUnique({
    where: { organizationId_period: { organizationId, period } },
    select: { id: true, status: true, submittedAt: true, submittedBy: { select: { email: true } } },
  });
  if (report?.status === "SUBMITTED") throw alreadySubmitted(period, report.submittedAt, report.submittedBy?.email ?? null);
  const reportId = report?.id ?? (await tx.monthlyReport.create({ data: { organizationId, period, status: "DRAFT", dueAt: facts.dueAt }, select: { id: true } })).id;
  return { reportId, facts };
}

export function alreadySubmitted(period: Period, at: Date | null, by: string | null): AppError {
  return new AppError("CONFLICT", `The usage of ${period} is already submitted${at ? ` (${at.toISOString().replace("T", " ").slice(0, 16)} UTC${by ? ` by ${by}` : ""})` : ""}; it cannot change.`);
}

export async function addManualRow(ctx: ProviderContext, period: Period, input: ManualRowInput): Promise<ManualRowView> {
  const organizationId = ctx.actor.organizationId;
  return getDb().$transaction(async (tx) => {
    await lockPeriod(tx, organizationId, period);
    const { reportId } = await openDraft(tx, ctx, period);
    const count = await tx.monthlyReportLine.count({ where: { monthlyReportId: reportId, source: "MANUAL" } });
    if (count >= MAX_MANUAL_ROWS) throw new AppError("UNPROCESSABLE", `A report keeps at most ${MAX_MANUAL_ROWS} manual rows.`);
    const points = pointsFor(input.productId, [{ type: input.workloadType, count: input.count }]);
    const line = await tx.monthlyReportLine.create({
      data: { monthlyReportId: reportId, source: "MANUAL", productId: input.productId, workloadType: input.workloadType, count: input.count, points, position: count },
      select: { id: true, productId: true, workloadType: true, count: true, points: true },
    });
    await writeAudit(tx, ctx, { organizationId, action: "usage.row_added", targetType: "MonthlyReport", targetId: period, after: { ...input, points } });
    return manualView(line);
  });
}

export async function removeManualRow(ctx: ProviderContext, period: Period, lineId: string): Promise<{ removed: true }> {
  const organizationId = ctx.actor.organizationId;
  return getDb().$transaction(async (tx) => {
    await lockPeriod(tx, organizationId, period);
    const { reportId } = await openDraft(tx, ctx, period);
    const line = await tx.monthlyReportLine.findFirst({
      where: { id: lineId, monthlyReportId: reportId, source: "MANUAL" },
      select: { id: true, productId: true, workloadType: true, count: true },
    });
    if (!line) throw notFound("That manual row does not exist.");
    await tx.monthlyReportLine.deleteMany({ where: { id: line.id, monthlyReportId: reportId } });
    await writeAudit(tx, ctx, { organizationId, action: "usage.row_removed", targetType: "MonthlyReport", targetId: period, before: line });
    return { removed: true as const };
  });
}

/** Sets (or with `count: null` clears) the adjusted count of an auto-filled row. Lowering it needs a reason. */
export async function setAdjustment(ctx: ProviderContext, period: Period, input: AdjustmentInput) {
  const organizationId = ctx.actor.organizationId;
  return getDb().$transaction(async (tx) => {
    await lockPeriod(tx, organizationId, period);
    const { reportId } = await openDraft(tx, ctx, period);
    const license = await tx.license.findFirst({
      where: { licenseId: input.licenseId, organizationId, autoReported: true, revokedAt: null },
      select: { id: true, licenseId: true, productId: true, createdAt: true, workloads: { select: { type: true } } },
    });
    if (!license || !licenseInPeriod(license.createdAt, period)) throw notFound(`${input.licenseId} is not an auto-reported license of this report.`);
    const usage = (await periodUsage(tx, organizationId, period)).get(license.id)?.usage ?? new Map();
    const rows = autoRowsOf(license.productId, [...license.workloads.map((w) => w.type), ...(input.count === null ? [] : [input.workloadType])], usage, new Map());
    const row = rows.find((r) => r.workloadType === input.workloadType);
    if (!row) throw new AppError("UNPROCESSABLE", `${license.productId} has no workload type ${input.workloadType}.`, { errors: [{ path: "workloadType", message: "This product has no such workload type." }] });
    const existing = await tx.monthlyReportLine.findFirst({
      where: { monthlyReportId: reportId, source: "AUTO", licenseId: license.id, workloadType: input.workloadType },
      select: { id: true, count: true, adjustmentReason: true },
    });
    const before = existing ? { count: existing.count, reason: existing.adjustmentReason } : null;
    if (input.count === null) {
      if (existing) await tx.monthlyReportLine.deleteMany({ where: { id: existing.id, monthlyReportId: reportId } });
    } else {
      const errors = adjustmentRefusals(row.reportedCount, input.count, input.reason);
      if (errors.length) throw new AppError("UNPROCESSABLE", errors.map((e) => e.message).join(" "), { errors });
      const reason = input.reason?.trim() || null;
      const data = {
        count: input.count,
        reportedCount: row.reportedCount,
        points: pointsFor(license.productId, [{ type: input.workloadType, count: input.count }]),
        adjustmentReason: reason,
      };
      if (existing) await tx.monthlyReportLine.updateMany({ where: { id: existing.id, monthlyReportId: reportId }, data });
      else {
        await tx.monthlyReportLine.create({
          data: { ...data, monthlyReportId: reportId, source: "AUTO", licenseId: license.id, productId: license.productId, workloadType: input.workloadType },
        });
      }
    }
    await writeAudit(tx, ctx, {
      organizationId, action: "usage.row_adjusted", targetType: "License", targetId: license.licenseId,
      before, after: input.count === null ? null : { period, workloadType: input.workloadType, count: input.count, reason: input.reason ?? null },
    });
    return { licenseId: license.licenseId, workloadType: input.workloadType, count: input.count };
  });
}
