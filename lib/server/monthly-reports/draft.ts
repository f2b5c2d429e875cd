import "server-only";
import { getDb, type Tx } from "../../db";
import { findProduct, findWorkloadType, productLabel } from "../../domain/catalog";
import { shiftPeriod, type Period } from "../../domain/dates";
import {
  adjustmentRefusals, autoRowsOf, duplicateManualRow, licenseInPeriod, manualRowsToCopy, MAX_MANUAL_ROWS, submitRefusal,
} from "../../domain/monthly-report";
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

const rowName = (productId: string, type: string) => {
  const product = findProduct(productId);
  return `${product ? productLabel(product) : productId}, ${findWorkloadType(productId, type)?.name ?? type}`;
};

export async function addManualRow(ctx: ProviderContext, period: Period, input: ManualRowInput): Promise<ManualRowView> {
  const organizationId = ctx.actor.organizationId;
  return getDb().$transaction(async (tx) => {
    await lockPeriod(tx, organizationId, period);
    const { reportId } = await openDraft(tx, ctx, period);
    const existing = await tx.monthlyReportLine.findMany({ where: { monthlyReportId: reportId, source: "MANUAL" }, select: { productId: true, workloadType: true } });
    const count = existing.length;
    if (count >= MAX_MANUAL_ROWS) throw new AppError("UNPROCESSABLE", `A report keeps at most ${MAX_MANUAL_ROWS} manual rows.`);
    if (duplicateManualRow(existing, input)) {
      const message = `This month already has a row for ${rowName(input.productId, input.workloadType)}: remove it first to enter another count.`;
      throw new AppError("UNPROCESSABLE", message, { errors: [{ path: "workloadType", message }] });
    }
    const points = pointsFor(input.productId, [{ type: input.workloadType, count: input.count }]);
    const line = await tx.monthlyReportLine.create({
      data: { monthlyReportId: reportId, source: "MANUAL", productId: input.productId, workloadType: input.workloadType, count: input.count, points, position: count },
      select: { id: true, productId: true, workloadType: true, count: true, points: true },
    });
    await writeAudit(tx, ctx, { organizationId, action: "usage.row_added", targetType: "MonthlyReport", targetId: period, after: { ...input, points } });
    return manualView(line);
  });
}

/**
 * "Copy last month's rows": adds last month's manual rows (submitted or not) whose product and
 * workload type this month lacks, with last month's counts, in one transaction and one audit event.
 */
export async function copyPreviousManualRows(ctx: ProviderContext, period: Period): Promise<{ added: ManualRowView[] }> {
  const organizationId = ctx.actor.organizationId;
  return getDb().$transaction(async (tx) => {
    await lockPeriod(tx, organizationId, period);
    const { reportId } = await openDraft(tx, ctx, period);
    const from = shiftPeriod(period, -1);
    const [current, previous] = await Promise.all([
      tx.monthlyReportLine.findMany({ where: { monthlyReportId: reportId, source: "MANUAL" }, select: { productId: true, workloadType: true } }),
      tx.monthlyReportLine.findMany({
        where: { source: "MANUAL", monthlyReport: { organizationId, period: from } },
        select: { productId: true, workloadType: true, count: true },
        orderBy: [{ position: "asc" }, { id: "asc" }],
      }),
    ]);
    const rows = manualRowsToCopy(previous, current).slice(0, Math.max(0, MAX_MANUAL_ROWS - current.length));
    if (rows.length === 0) throw new AppError("UNPROCESSABLE", previous.length === 0 ? `${from} has no manual rows to copy.` : `Every row of ${from} is already in this month.`);
    const added: ManualRowView[] = [];
    for (const [i, r] of rows.entries()) {
      const points = pointsFor(r.productId, [{ type: r.workloadType, count: r.count }]);
      const line = await tx.monthlyReportLine.create({
        data: { monthlyReportId: reportId, source: "MANUAL", productId: r.productId, workloadType: r.workloadType, count: r.count, points, position: current.length + i },
        select: { id: true, productId: true, workloadType: true, count: true, points: true },
      });
      added.push(manualView(line));
    }
    await writeAudit(tx, ctx, {
      organizationId, action: "usage.rows_copied", targetType: "MonthlyReport", targetId: period,
      after: { from, rows: rows.map((r) => ({ productId: r.productId, workloadType: r.workloadType, count: r.count })) },
    });
    return { added };
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
