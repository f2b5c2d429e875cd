import "server-only";
import { randomUUID } from "node:crypto";
import { can } from "../auth/permissions";
import { signLicenseKeys } from "../crypto/license-key";
import { dbKind, getDb, reads, type Tx } from "../db";
import { findProduct, productLabel } from "../domain/catalog";
import { periodOf, shiftPeriod, toDateString, type Period } from "../domain/dates";
import { extendedExpiration, extensionRefusal, supportExpirationFor } from "../domain/licenses";
import {
  adjustmentRefusals, autoRowsOf, describeSources, licenseInPeriod, MAX_MANUAL_ROWS, organizationReporting,
  periodsNeedingAction, reportCsv, submitRefusal, dueLabel, type Adjustment, type AutoRow, type CsvRow, type PeriodAction,
} from "../domain/monthly-report";
import { pointsFor } from "../domain/points";
import { endedPeriodsSince, isOnTime, periodHealth, reportDueAt, suspension, type PeriodHealth, type Suspension } from "../domain/reporting";
import { AppError, notFound } from "../errors";
import type { AdjustmentInput, ManualRowInput } from "../schemas/usage";
import { insertAuditEvents, writeAudit } from "./audit";
import type { ProviderContext } from "./context";
import { claimsOf, type LicenseForKey } from "./key-versions";
import { insertMany } from "./bulk-insert";
import { lockPeriod } from "./period-lock";
import { periodUsage } from "./usage-reports";

// ---------------------------------------------------------------------------------------------
// Views

export interface LicenseRowView {
  licenseId: string;
  productId: string;
  product: string;
  description: string;
  expirationDate: string;
  rows: (AutoRow & { sourceLabel: string })[];
  points: number;
  /** Draft: the extension Submit Usage will apply (null: not extended, see `notExtendedReason`). Submitted: the one applied. */
  extension: { from: string; to: string } | null;
  notExtendedReason: string | null;
}

export interface ManualRowView {
  id: string;
  productId: string;
  product: string;
  workloadType: string;
  count: number;
  points: number;
}

export interface HintView {
  licenseId: string;
  productId: string;
  product: string;
  workloadType: string;
  count: number;
  sourceLabel: string;
}

export type ReportKind = "CURRENT" | "DUE" | "SUBMITTED";

export interface ReportView {
  period: Period;
  kind: ReportKind;
  /** Whether the caller may change rows and submit now. */
  editable: boolean;
  dueAt: string;
  dueLabel: string;
  health: PeriodHealth;
  submittedAt: string | null;
  submittedBy: string | null;
  onTime: boolean | null;
  licenses: { items: LicenseRowView[]; total: number; page: number; pageSize: number };
  manualRows: ManualRowView[];
  hints: HintView[];
  totals: { autoPoints: number; manualPoints: number; totalPoints: number; autoLicenses: number };
  extensions: { count: number; notExtended: number; preview: { licenseId: string; from: string; to: string }[] };
}

export interface SubmitResult {
  period: Period;
  submittedAt: string;
  onTime: boolean;
  totalPoints: number;
  extended: { licenseId: string; from: string; to: string; version: number }[];
  notExtended: { licenseId: string; reason: string }[];
}

// ---------------------------------------------------------------------------------------------
// Reading the facts

async function reportingOf(client: Tx, organizationId: string) {
  const contracts = await client.contract.findMany({ where: { organizationId }, select: { startDate: true, dueDay: true } });
  return organizationReporting(contracts);
}

/** The facts of a viewable period (first contract's month to the current month), or 404. */
async function periodFacts(client: Tx, ctx: ProviderContext, period: Period) {
  const reporting = await reportingOf(client, ctx.actor.organizationId);
  if (!reporting || period < reporting.firstPeriod || period > periodOf(ctx.now)) throw notFound(`There is no usage report for ${period}.`);
  return { ...reporting, dueAt: reportDueAt(period, reporting.dueDay) };
}

const AUTO_WHERE = (organizationId: string) => ({ organizationId, autoReported: true, revokedAt: null });

/**
 * The organization's auto-reported licenses as the key signer needs them (LicenseForKey), with
 * their contract's state. Flat queries joined here: a nested select would bind every license id
 * as a parameter and fail past the database's parameter limit for a large organization.
 */
async function autoReportedLicenses(client: Tx, organizationId: string) {
  const [licenses, workloads, organization, contracts] = await reads(
    client,
    () => client.license.findMany({
      where: AUTO_WHERE(organizationId),
      select: {
        id: true, licenseId: true, type: true, productId: true, autoReported: true, expirationDate: true, supportExpirationDate: true,
        points: true, currentVersion: true, description: true, createdAt: true, contractId: true,
      },
      orderBy: { licenseId: "asc" },
    }),
    () => client.licenseWorkload.findMany({
      where: { license: AUTO_WHERE(organizationId) },
      select: { licenseId: true, type: true, count: true },
      orderBy: { type: "asc" },
    }),
    () => client.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { id: true, name: true } }),
    () => client.contract.findMany({ where: { organizationId }, select: { id: true, number: true, status: true, endDate: true } }),
  );
  const workloadsOf = new Map<string, { type: string; count: number }[]>();
  for (const w of workloads) workloadsOf.set(w.licenseId, [...(workloadsOf.get(w.licenseId) ?? []), { type: w.type, count: w.count }]);
  const contractOf = new Map(contracts.map((c) => [c.id, c]));
  return licenses.map((l): LicenseForKey & { description: string; createdAt: Date; contract: { number: string; status: "ACTIVE" | "TERMINATED"; endDate: string | null } | null } => {
    const c = l.contractId ? contractOf.get(l.contractId) ?? null : null;
    return {
      ...l,
      organization,
      contract: c ? { number: c.number, status: c.status, endDate: c.endDate } : null,
      workloads: workloadsOf.get(l.id) ?? [],
    };
  });
}

/**
 * Everything a draft report is made of, computed from what is stored now: the auto-reported
 * licenses of the period with their rows (reported usage, adjustments), the manual rows, the
 * hints, and the extension each license would get. The same function serves the page and the
 * submission, so the confirmation shows exactly what Submit Usage does.
 */
async function draftOf(client: Tx, organizationId: string, period: Period, now: Date, reportId: string | null) {
  const today = toDateString(now);
  const [licenses, usage, lines] = await reads(
    client,
    () => autoReportedLicenses(client, organizationId),
    () => periodUsage(client, organizationId, period),
    () => reportId
      ? client.monthlyReportLine.findMany({
          where: { monthlyReportId: reportId },
          select: { id: true, source: true, licenseId: true, productId: true, workloadType: true, count: true, points: true, adjustmentReason: true },
          orderBy: [{ position: "asc" }, { id: "asc" }],
        })
      : Promise.resolve([]),
  );
  const adjustments = new Map<string, Map<string, Adjustment>>();
  for (const line of lines) {
    if (line.source !== "AUTO" || !line.licenseId) continue;
    const byType = adjustments.get(line.licenseId) ?? new Map<string, Adjustment>();
    byType.set(line.workloadType, { count: line.count, reason: line.adjustmentReason });
    adjustments.set(line.licenseId, byType);
  }
  const included = licenses.filter((l) => licenseInPeriod(l.createdAt, period));
  const rows = included.map((l) => {
    const autoRows = autoRowsOf(
      l.productId,
      l.workloads.map((w) => w.type),
      usage.get(l.id)?.usage ?? new Map(),
      adjustments.get(l.id) ?? new Map(),
    );
    // Included licenses are auto-reported and not revoked (the query says so).
    const facts = { autoReported: true, revoked: false, expirationDate: l.expirationDate, contract: l.contract };
    return { license: l, autoRows, to: extendedExpiration(facts, today), refusal: extensionRefusal(facts, today) };
  });
  const includedIds = new Set(included.map((l) => l.id));
  const hints: HintView[] = [];
  for (const u of usage.values()) {
    if (includedIds.has(u.id) || u.revoked) continue;
    for (const [workloadType, t] of u.usage) {
      hints.push({ licenseId: u.licenseId, productId: u.productId, product: label(u.productId), workloadType, count: t.count, sourceLabel: describeSources(t.sources) });
    }
  }
  hints.sort((a, b) => a.licenseId.localeCompare(b.licenseId) || a.workloadType.localeCompare(b.workloadType));
  const manual = lines.filter((l) => l.source === "MANUAL");
  return { rows, manual, hints };
}

function label(productId: string): string {
  const p = findProduct(productId);
  return p ? productLabel(p) : productId;
}

function manualView(l: { id: string; productId: string; workloadType: string; count: number; points: number }): ManualRowView {
  return { id: l.id, productId: l.productId, product: label(l.productId), workloadType: l.workloadType, count: l.count, points: l.points };
}

// ---------------------------------------------------------------------------------------------
// Monthly Usages > My Actions

export interface UsageOverview {
  actions: (Omit<PeriodAction, "dueAt"> & { dueAt: string })[];
  current: { period: Period; totalPoints: number; autoLicenses: number };
  suspension: Suspension;
  /** Points per month over the last 12 ended months; null where nothing was submitted. */
  chart: { period: Period; points: number | null; onTime: boolean | null }[];
  hasContracts: boolean;
}

export async function usageOverview(ctx: ProviderContext): Promise<UsageOverview> {
  const db = getDb();
  const organizationId = ctx.actor.organizationId;
  const reporting = await reportingOf(db, organizationId);
  const current = periodOf(ctx.now);
  const chartPeriods = Array.from({ length: 12 }, (_, i) => shiftPeriod(current, i - 12));
  if (!reporting) {
    return {
      actions: [], current: { period: current, totalPoints: 0, autoLicenses: 0 }, suspension: { suspended: false, unsubmitted: [] },
      chart: chartPeriods.map((period) => ({ period, points: null, onTime: null })), hasContracts: false,
    };
  }
  const periods = endedPeriodsSince(`${reporting.firstPeriod}-01`, ctx.now);
  const [submitted, currentDraft] = await Promise.all([
    db.monthlyReport.findMany({
      where: { organizationId, status: "SUBMITTED" },
      select: { period: true, submittedAt: true, totalPoints: true, onTime: true },
    }),
    currentTotals(db, organizationId, current, ctx.now),
  ]);
  const byPeriod = new Map(submitted.map((r) => [r.period, r]));
  const submittedAt = new Map(submitted.filter((r) => r.submittedAt).map((r) => [r.period, r.submittedAt as Date]));
  return {
    actions: periodsNeedingAction(periods, new Set(byPeriod.keys()), reporting.dueDay, ctx.now).map((a) => ({ ...a, dueAt: a.dueAt.toISOString() })),
    current: { period: current, ...currentDraft },
    suspension: suspension(periods, submittedAt, reporting.dueDay, ctx.now),
    chart: chartPeriods.map((period) => ({ period, points: byPeriod.get(period)?.totalPoints ?? null, onTime: byPeriod.get(period)?.onTime ?? null })),
    hasContracts: true,
  };
}

async function currentTotals(client: Tx, organizationId: string, period: Period, now: Date) {
  const draft = await draftOf(client, organizationId, period, now, null);
  const totalPoints = draft.rows.reduce((sum, r) => sum + r.autoRows.reduce((s, x) => s + x.points, 0), 0);
  return { totalPoints, autoLicenses: draft.rows.length };
}

export interface HistoryItem {
  period: Period;
  submittedAt: string;
  submittedBy: string | null;
  onTime: boolean;
  totalPoints: number;
  extensions: number;
}

/** Submitted periods, newest first, paginated on the server. */
export async function usageHistory(ctx: ProviderContext, q: { page: number; pageSize: number }) {
  const db = getDb();
  const where = { organizationId: ctx.actor.organizationId, status: "SUBMITTED" as const };
  const [items, total] = await Promise.all([
    db.monthlyReport.findMany({
      where,
      select: {
        period: true, submittedAt: true, onTime: true, totalPoints: true,
        submittedBy: { select: { email: true } },
        _count: { select: { extensions: true } },
      },
      orderBy: { period: "desc" },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    }),
    db.monthlyReport.count({ where }),
  ]);
  return {
    items: items.map<HistoryItem>((r) => ({
      period: r.period,
      submittedAt: (r.submittedAt as Date).toISOString(),
      submittedBy: r.submittedBy?.email ?? null,
      onTime: !!r.onTime,
      totalPoints: r.totalPoints,
      extensions: r._count.extensions,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

// ---------------------------------------------------------------------------------------------
// One period's report

export async function getReport(ctx: ProviderContext, period: Period, q: { page: number; pageSize: number }): Promise<ReportView> {
  const db = getDb();
  const organizationId = ctx.actor.organizationId;
  const facts = await periodFacts(db, ctx, period);
  const report = await db.monthlyReport.findUnique({
    where: { organizationId_period: { organizationId, period } },
    select: { id: true, status: true, submittedAt: true, onTime: true, totalPoints: true, submittedBy: { select: { email: true } } },
  });
  const base = {
    period,
    dueAt: facts.dueAt.toISOString(),
    dueLabel: dueLabel(facts.dueAt, ctx.now),
    health: periodHealth(period, report?.submittedAt ?? null, facts.dueDay, ctx.now),
  };
  const slice = <T,>(all: T[]) => all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);

  if (report?.status === "SUBMITTED") {
    const [lines, extensions, licenses] = await Promise.all([
      db.monthlyReportLine.findMany({
        where: { monthlyReportId: report.id },
        select: {
          id: true, source: true, licenseId: true, productId: true, workloadType: true, reportedCount: true, count: true, points: true,
          adjustmentReason: true, sourceDetail: true,
        },
        orderBy: [{ position: "asc" }, { id: "asc" }],
      }),
      db.licenseExtension.findMany({ where: { monthlyReportId: report.id }, select: { licenseId: true, fromDate: true, toDate: true } }),
      // Flat, not nested in the lines: a nested select binds every id and hits the parameter limit.
      db.license.findMany({
        where: { organizationId, reportLines: { some: { monthlyReportId: report.id } } },
        select: { id: true, licenseId: true, description: true, expirationDate: true },
      }),
    ]);
    const licenseOf = new Map(licenses.map((l) => [l.id, l]));
    const extended = new Map(extensions.map((e) => [e.licenseId, { from: e.fromDate, to: e.toDate }]));
    const byLicense = new Map<string, LicenseRowView>();
    for (const l of lines) {
      const license = l.licenseId ? licenseOf.get(l.licenseId) : undefined;
      if (l.source !== "AUTO" || !license) continue;
      const row = byLicense.get(license.id) ?? {
        licenseId: license.licenseId, productId: l.productId, product: label(l.productId), description: license.description,
        expirationDate: license.expirationDate, rows: [], points: 0, extension: extended.get(license.id) ?? null,
        notExtendedReason: extended.has(license.id) ? null : "not extended by this report",
      };
      const sources = l.sourceDetail ? (JSON.parse(l.sourceDetail) as AutoRow["sources"]) : [];
      row.rows.push({ workloadType: l.workloadType, reportedCount: l.reportedCount ?? 0, count: l.count, points: l.points, adjustmentReason: l.adjustmentReason, sources, sourceLabel: describeSources(sources) });
      row.points += l.points;
      byLicense.set(license.id, row);
    }
    const all = [...byLicense.values()].sort((a, b) => a.licenseId.localeCompare(b.licenseId));
    const manual = lines.filter((l) => l.source === "MANUAL").map(manualView);
    const autoPoints = all.reduce((s, r) => s + r.points, 0);
    const manualPoints = manual.reduce((s, r) => s + r.points, 0);
    return {
      ...base,
      kind: "SUBMITTED",
      editable: false,
      submittedAt: report.submittedAt?.toISOString() ?? null,
      submittedBy: report.submittedBy?.email ?? null,
      onTime: report.onTime,
      licenses: { items: slice(all), total: all.length, page: q.page, pageSize: q.pageSize },
      manualRows: manual,
      hints: [],
      totals: { autoPoints, manualPoints, totalPoints: report.totalPoints, autoLicenses: all.length },
      extensions: { count: extensions.length, notExtended: all.length - extensions.length, preview: [] },
    };
  }

  const draft = await draftOf(db, organizationId, period, ctx.now, report?.id ?? null);
  const all = draft.rows.map<LicenseRowView>(({ license: l, autoRows, to, refusal }) => ({
    licenseId: l.licenseId, productId: l.productId, product: label(l.productId), description: l.description, expirationDate: l.expirationDate,
    rows: autoRows.map((r) => ({ ...r, sourceLabel: describeSources(r.sources) })),
    points: autoRows.reduce((s, r) => s + r.points, 0),
    extension: to ? { from: l.expirationDate, to } : null,
    notExtendedReason: refusal,
  }));
  const manual = draft.manual.map(manualView);
  const autoPoints = all.reduce((s, r) => s + r.points, 0);
  const manualPoints = manual.reduce((s, r) => s + r.points, 0);
  const extendedRows = all.filter((r) => r.extension);
  const isCurrent = period === periodOf(ctx.now);
  return {
    ...base,
    kind: isCurrent ? "CURRENT" : "DUE",
    editable: !isCurrent && can(ctx.actor.role, "usage:submit"),
    submittedAt: null,
    submittedBy: null,
    onTime: null,
    licenses: { items: slice(all), total: all.length, page: q.page, pageSize: q.pageSize },
    manualRows: manual,
    hints: draft.hints,
    totals: { autoPoints, manualPoints, totalPoints: autoPoints + manualPoints, autoLicenses: all.length },
    extensions: {
      count: extendedRows.length,
      notExtended: all.length - extendedRows.length,
      preview: extendedRows.slice(0, 20).map((r) => ({ licenseId: r.licenseId, ...r.extension! })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Draft edits: manual rows and adjustments (refused once the period is submitted)

/**
 * In a transaction holding the period's lock: the period's draft report (created on first use)
 * and its facts; refuses a period that is submitted, not ended, or before the first contract.
 */
async function openDraft(tx: Tx, ctx: ProviderContext, period: Period) {
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

function alreadySubmitted(period: Period, at: Date | null, by: string | null): AppError {
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

// ---------------------------------------------------------------------------------------------
// Submit Usage

/**
 * Closes a period in one transaction: the lines as they stand (auto rows from what the servers
 * reported, with adjustments; manual rows), who and when, on time or late, and a 30-day
 * extension with a new signed key version for every included license that may be extended.
 * Exactly once per organization and period: the period lock orders racing submissions, the
 * status check refuses every one after the first, and the unique indexes (organization +
 * period, license + period extension) stand behind them.
 */
export async function submitReport(ctx: ProviderContext, period: Period): Promise<SubmitResult> {
  const organizationId = ctx.actor.organizationId;
  const userId = ctx.actor.userId;
  return getDb().$transaction(
    async (tx) => {
      await lockPeriod(tx, organizationId, period);
      const { reportId, facts } = await openDraft(tx, ctx, period);
      await lockLicenses(tx, organizationId);
      const draft = await draftOf(tx, organizationId, period, ctx.now, reportId);

      // The extensions: one new signed key version per license. The signing starts first and
      // runs on a worker thread (signLicenseKeys) while this one writes the lines and moves the
      // licenses, which need no signature.
      const toExtend = draft.rows
        .filter((r) => r.to)
        .map(({ license: l, to }) => ({ l, to: to!, jti: randomUUID(), version: l.currentVersion + 1 }));
      const signing = signLicenseKeys(
        toExtend.map((x) => ({ jti: x.jti, version: x.version, issuedAt: ctx.now, lic: claimsOf({ ...x.l, expirationDate: x.to, supportExpirationDate: supportExpirationFor(x.to) }) })),
      );
      signing.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile

      // The lines, as they stand now.
      await tx.monthlyReportLine.deleteMany({ where: { monthlyReportId: reportId, source: "AUTO" } });
      let position = 0;
      const autoLines = draft.rows.flatMap(({ license, autoRows }) =>
        autoRows.map((r) => ({
          monthlyReportId: reportId, source: "AUTO" as const, licenseId: license.id, productId: license.productId, workloadType: r.workloadType,
          reportedCount: r.reportedCount, count: r.count, points: r.points, adjustmentReason: r.adjustmentReason,
          sourceDetail: JSON.stringify(r.sources), position: position++,
        })),
      );
      await insertMany(
        tx, "MonthlyReportLine",
        ["id", "monthlyReportId", "source", "licenseId", "productId", "workloadType", "reportedCount", "count", "points", "adjustmentReason", "sourceDetail", "position"],
        autoLines.map((l) => [randomUUID(), l.monthlyReportId, l.source, l.licenseId, l.productId, l.workloadType, l.reportedCount, l.count, l.points, l.adjustmentReason, l.sourceDetail, l.position]),
      );
      const totalPoints = autoLines.reduce((s, l) => s + l.points, 0) + draft.manual.reduce((s, l) => s + l.points, 0);

      // The licenses move by groups of the same new date, one statement per group, the ids as
      // one JSON parameter ("id IN (...)" uses the primary key; a CASE or an UPDATE ... FROM the
      // list made SQLite compare every pair). The rows are locked (PostgreSQL) or no other write runs
      // (SQLite), so version + 1 is the version signed.
      const pg = dbKind() === "postgresql";
      const byDate = new Map<string, string[]>();
      for (const x of toExtend) byDate.set(x.to, [...(byDate.get(x.to) ?? []), x.l.id]);
      const moveSql = pg
        ? `UPDATE "License" SET "expirationDate" = $1, "supportExpirationDate" = $2, "currentVersion" = "currentVersion" + 1, "updatedAt" = $3::timestamp(3) ` +
          `WHERE "organizationId" = $4 AND "revokedAt" IS NULL AND "autoReported" = true AND "id" IN (SELECT json_array_elements_text($5::json))`
        : // The unary + keeps SQLite from choosing the organization's index and probing the list for each of its licenses.
          `UPDATE "License" SET "expirationDate" = ?, "supportExpirationDate" = ?, "currentVersion" = "currentVersion" + 1, "updatedAt" = ? ` +
          `WHERE +"organizationId" = ? AND "revokedAt" IS NULL AND +"autoReported" = 1 AND "id" IN (SELECT value FROM json_each(?))`;
      for (const [to, ids] of byDate) {
        const moved = await tx.$executeRawUnsafe(moveSql, to, supportExpirationFor(to), ctx.now, organizationId, JSON.stringify(ids));
        if (moved !== ids.length) throw new AppError("CONFLICT", "Licenses changed while the usage was being submitted; nothing was submitted. Try again.");
      }
      const keys = await signing;
      const signed = toExtend.map((x, i) => ({ ...x, key: keys[i] }));

      // Bulk inserts (see insertMany): 2,000 licenses would cost seconds through createMany.
      await insertMany(
        tx, "KeyVersion",
        ["id", "licenseId", "version", "jws", "kid", "reason", "expirationDate", "autoReported", "points", "issuedAt", "issuedById"],
        signed.map((x) => [x.jti, x.l.id, x.version, x.key.jws, x.key.kid, "EXTENDED", x.to, true, x.l.points, ctx.now, userId]),
      );
      await insertMany(
        tx, "LicenseExtension",
        ["id", "licenseId", "period", "monthlyReportId", "fromDate", "toDate", "keyVersionId", "createdAt"],
        signed.map((x) => [randomUUID(), x.l.id, period, reportId, x.l.expirationDate, x.to, x.jti, ctx.now]),
      );
      await insertAuditEvents(
        tx,
        signed.map((x) => ({
          ctx,
          input: {
            organizationId, action: "license.extended", targetType: "License", targetId: x.l.licenseId,
            before: { expirationDate: x.l.expirationDate, version: x.l.currentVersion },
            after: { expirationDate: x.to, version: x.version, period },
          },
        })),
      );

      const onTime = isOnTime(ctx.now, period, facts.dueDay);
      const closed = await tx.monthlyReport.updateMany({
        where: { id: reportId, organizationId, status: "DRAFT" },
        data: { status: "SUBMITTED", submittedAt: ctx.now, submittedById: userId, onTime, totalPoints, dueAt: facts.dueAt },
      });
      if (closed.count !== 1) throw alreadySubmitted(period, null, null);
      const notExtended = draft.rows.filter((r) => !r.to).map((r) => ({ licenseId: r.license.licenseId, reason: r.refusal ?? "" }));
      await writeAudit(tx, ctx, {
        organizationId, action: "usage.submitted", targetType: "MonthlyReport", targetId: period,
        before: { status: "DRAFT" },
        after: { status: "SUBMITTED", onTime, totalPoints, lines: autoLines.length + draft.manual.length, extended: signed.length, notExtended: notExtended.length },
      });
      return {
        period,
        submittedAt: ctx.now.toISOString(),
        onTime,
        totalPoints,
        extended: signed.map((s) => ({ licenseId: s.l.licenseId, from: s.l.expirationDate, to: s.to, version: s.version })),
        notExtended,
      };
    },
    { timeout: 120_000 },
  );
}

/**
 * On PostgreSQL, locks the organization's auto-reported licenses until the submission commits,
 * so that a toggle or revoke racing it waits and then retries on the new version. (SQLite runs
 * one write transaction at a time.)
 */
async function lockLicenses(tx: Tx, organizationId: string) {
  if (dbKind() !== "postgresql") return;
  await tx.$executeRaw`SELECT 1 FROM "License" WHERE "organizationId" = ${organizationId} AND "autoReported" = true AND "revokedAt" IS NULL FOR UPDATE`;
}

// ---------------------------------------------------------------------------------------------
// CSV export

export async function exportReportCsv(ctx: ProviderContext, period: Period): Promise<{ filename: string; csv: string }> {
  const all = await getReport(ctx, period, { page: 1, pageSize: Number.MAX_SAFE_INTEGER });
  const rows: CsvRow[] = [
    ...all.licenses.items.flatMap((l) =>
      l.rows.map((r) => ({
        licenseId: l.licenseId, productId: l.productId, workloadType: r.workloadType, reportedCount: r.reportedCount, count: r.count,
        points: r.points, source: "AUTO" as const, adjustmentReason: r.adjustmentReason,
      })),
    ),
    ...all.manualRows.map((m) => ({
      licenseId: null, productId: m.productId, workloadType: m.workloadType, reportedCount: null, count: m.count, points: m.points, source: "MANUAL" as const, adjustmentReason: null,
    })),
  ];
  return { filename: `usage-${period}.csv`, csv: reportCsv(period, rows) };
}

/** The oldest period that needs action and its deadline, for the Overview page. */
export async function periodDue(ctx: ProviderContext): Promise<{ period: Period; dueAt: string; dueLabel: string; health: PeriodHealth; count: number } | null> {
  const db = getDb();
  const reporting = await reportingOf(db, ctx.actor.organizationId);
  if (!reporting) return null;
  const periods = endedPeriodsSince(`${reporting.firstPeriod}-01`, ctx.now);
  const submitted = await db.monthlyReport.findMany({
    where: { organizationId: ctx.actor.organizationId, status: "SUBMITTED", period: { in: periods } },
    select: { period: true },
  });
  const actions = periodsNeedingAction(periods, new Set(submitted.map((s) => s.period)), reporting.dueDay, ctx.now);
  if (!actions.length) return null;
  const a = actions[0];
  return { period: a.period, dueAt: a.dueAt.toISOString(), dueLabel: a.dueLabel, health: a.health, count: actions.length };
}

