import "server-only";
import { can } from "../../auth/permissions";
import { getDb, type Tx } from "../../db";
import { periodOf, shiftPeriod, type Period } from "../../domain/dates";
import { companyBreakdown } from "../../domain/companies";
import { describeSources, dueLabel, periodsNeedingAction, type AutoRow } from "../../domain/monthly-report";
import { periodDueAt, periodHealth, suspension } from "../../domain/reporting";
import { AUTOMATIC_SUBMISSION, organizationReporting } from "../reporting";
import type { ProviderContext } from "../context";
import { checksOf } from "./checks";
import { draftOf, label, manualView, periodFacts } from "./facts";
import type { HistoryItem, LicenseRowView, ReportView, UsageOverview } from "../../schemas/usage";


export async function usageOverview(ctx: ProviderContext): Promise<UsageOverview> {
  const db = getDb();
  const organizationId = ctx.actor.organizationId;
  const reporting = await organizationReporting(db, organizationId, ctx.now);
  const current = periodOf(ctx.now);
  const chartPeriods = Array.from({ length: 12 }, (_, i) => shiftPeriod(current, i - 12));
  if (!reporting.firstPeriod) {
    return {
      actions: [], current: { period: current, totalPoints: 0, autoLicenses: 0 }, suspension: { suspended: false, unsubmitted: [] },
      chart: chartPeriods.map((period) => ({ period, points: null, onTime: null })), hasContracts: false,
    };
  }
  const currentDueAt = periodDueAt(reporting.contracts, current);
  const [submitted, currentDraft] = await Promise.all([
    db.monthlyReport.findMany({
      where: { organizationId, status: "SUBMITTED", period: { in: chartPeriods } },
      select: { period: true, totalPoints: true, onTime: true },
    }),
    currentDueAt ? currentTotals(db, organizationId, current, ctx.now, currentDueAt) : Promise.resolve({ totalPoints: 0, autoLicenses: 0 }),
  ]);
  const byPeriod = new Map(submitted.map((r) => [r.period, r]));
  return {
    actions: periodsNeedingAction(reporting.periods, new Set(reporting.submissions.keys()), ctx.now).map((a) => ({ ...a, dueAt: a.dueAt.toISOString() })),
    current: { period: current, ...currentDraft },
    suspension: suspension(reporting.periods, reporting.submissions, ctx.now),
    chart: chartPeriods.map((period) => ({ period, points: byPeriod.get(period)?.totalPoints ?? null, onTime: byPeriod.get(period)?.onTime ?? null })),
    hasContracts: true,
  };
}

async function currentTotals(client: Tx, organizationId: string, period: Period, now: Date, dueAt: Date) {
  const draft = await draftOf(client, organizationId, period, now, null, dueAt);
  const totalPoints = draft.rows.reduce((sum, r) => sum + r.autoRows.reduce((s, x) => s + x.points, 0), 0);
  return { totalPoints, autoLicenses: draft.rows.length };
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

/** One period's report; `editable` when the period takes changes and the caller's role may make them. */
export async function getReport(ctx: ProviderContext, period: Period, q: { page: number; pageSize: number }): Promise<ReportView> {
  const view = await reportView(ctx, period, q);
  return { ...view, editable: view.editable && can(ctx.actor.role, "usage:submit") };
}

/** One period's report as stored and reported; `editable` when the period takes changes. */
async function reportView(ctx: ProviderContext, period: Period, q: { page: number; pageSize: number }): Promise<ReportView> {
  const db = getDb();
  const organizationId = ctx.actor.organizationId;
  const facts = await periodFacts(db, ctx, period);
  const report = await db.monthlyReport.findUnique({
    where: { organizationId_period: { organizationId, period } },
    select: { id: true, status: true, submittedAt: true, onTime: true, totalPoints: true, submittedAutomatically: true, submittedBy: { select: { email: true } } },
  });
  const base = {
    period,
    dueAt: facts.dueAt.toISOString(),
    dueLabel: dueLabel(facts.dueAt, ctx.now),
    health: periodHealth(report?.status === "SUBMITTED" ? { onTime: !!report.onTime } : null, facts.dueAt, ctx.now),
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
      // Every extension for the period: by this submission, or earlier by the license's product's monthly report.
      db.licenseExtension.findMany({ where: { period, license: { organizationId } }, select: { licenseId: true, fromDate: true, toDate: true, usageReportId: true } }),
      // Flat, not nested in the lines: a nested select binds every id and hits the parameter limit.
      db.license.findMany({
        where: { organizationId, reportLines: { some: { monthlyReportId: report.id } } },
        // The license's current company (the line does not store one): reassigning a license
        // later moves its usage of this submitted report to its new company.
        select: { id: true, licenseId: true, description: true, expirationDate: true, companyId: true, usageType: true },
      }),
    ]);
    const companyName = await companyNames(db, organizationId);
    const licenseOf = new Map(licenses.map((l) => [l.id, l]));
    const extended = new Map(extensions.map((e) => [e.licenseId, { from: e.fromDate, to: e.toDate }]));
    const byProduct = new Set(extensions.filter((e) => e.usageReportId).map((e) => e.licenseId));
    const byLicense = new Map<string, LicenseRowView>();
    for (const l of lines) {
      const license = l.licenseId ? licenseOf.get(l.licenseId) : undefined;
      if (l.source !== "AUTO" || !license) continue;
      const row = byLicense.get(license.id) ?? {
        licenseId: license.licenseId, productId: l.productId, product: label(l.productId), description: license.description,
        expirationDate: license.expirationDate, rows: [], points: 0, extension: extended.get(license.id) ?? null, extendedByProduct: byProduct.has(license.id),
        notExtendedReason: extended.has(license.id) ? null : "not extended by this report",
        companyId: license.companyId, usageType: license.usageType, company: license.companyId ? companyName.get(license.companyId) ?? null : null,
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
      submittedBy: report.submittedBy?.email ?? (report.submittedAutomatically ? AUTOMATIC_SUBMISSION : null),
      onTime: report.onTime,
      licenses: { items: slice(all), total: all.length, page: q.page, pageSize: q.pageSize },
      manualRows: manual,
      previousManualRows: await previousManualRows(db, organizationId, period),
      hints: [],
      checks: [],
      totals: { autoPoints, manualPoints, totalPoints: report.totalPoints, autoLicenses: all.length },
      companies: breakdown(all, manual),
      extensions: { count: extensions.length, notExtended: all.filter((r) => !r.extension).length, preview: [] },
    };
  }

  const [draft, companyName] = await Promise.all([draftOf(db, organizationId, period, ctx.now, report?.id ?? null, facts.dueAt), companyNames(db, organizationId)]);
  const all = draft.rows.map<LicenseRowView>(({ license: l, autoRows, to, refusal, already }) => ({
    licenseId: l.licenseId, productId: l.productId, product: label(l.productId), description: l.description, expirationDate: l.expirationDate,
    rows: autoRows.map((r) => ({ ...r, sourceLabel: describeSources(r.sources) })),
    points: autoRows.reduce((s, r) => s + r.points, 0),
    extension: to ? { from: l.expirationDate, to } : already ? { from: already.fromDate, to: already.toDate } : null,
    extendedByProduct: !!already,
    notExtendedReason: already ? null : refusal,
    companyId: l.companyId, usageType: l.usageType, company: l.companyId ? companyName.get(l.companyId) ?? null : null,
  }));
  const manual = draft.manual.map(manualView);
  const autoPoints = all.reduce((s, r) => s + r.points, 0);
  const manualPoints = manual.reduce((s, r) => s + r.points, 0);
  // What Submit Usage would extend: not the licenses their product's monthly report already extended.
  const extendedRows = all.filter((r) => r.extension && !r.extendedByProduct);
  const isCurrent = period === periodOf(ctx.now);
  return {
    ...base,
    kind: isCurrent ? "CURRENT" : "DUE",
    editable: !isCurrent,
    submittedAt: null,
    submittedBy: null,
    onTime: null,
    licenses: { items: slice(all), total: all.length, page: q.page, pageSize: q.pageSize },
    manualRows: manual,
    previousManualRows: await previousManualRows(db, organizationId, period),
    hints: draft.hints,
    checks: isCurrent ? [] : await checksOf(db, organizationId, period, draft, ctx.now),
    totals: { autoPoints, manualPoints, totalPoints: autoPoints + manualPoints, autoLicenses: all.length },
    companies: breakdown(all, manual),
    extensions: {
      count: extendedRows.length,
      notExtended: all.filter((r) => !r.extension).length,
      preview: extendedRows.slice(0, 20).map((r) => ({ licenseId: r.licenseId, ...r.extension! })),
    },
  };
}

async function companyNames(db: ReturnType<typeof getDb> | Tx, organizationId: string): Promise<Map<string, string>> {
  const rows = await db.company.findMany({ where: { organizationId }, select: { id: true, name: true } });
  return new Map(rows.map((c) => [c.id, c.name]));
}

/** Per company: auto-reported licenses by their company; manual rows carry no company and are "Unassigned". */
function breakdown(all: LicenseRowView[], manual: { count: number; points: number }[]) {
  return companyBreakdown([
    ...all.flatMap((l) => l.rows.map((r) => ({ companyId: l.companyId, companyName: l.company, licenseId: l.licenseId, usage: r.count, points: r.points }))),
    ...manual.map((m) => ({ companyId: null, companyName: null, licenseId: null, usage: m.count, points: m.points })),
  ]);
}

/** The manual rows of the month before `period` (submitted or still a draft). */
async function previousManualRows(db: ReturnType<typeof getDb> | Tx, organizationId: string, period: Period) {
  const rows = await db.monthlyReportLine.findMany({
    where: { source: "MANUAL", monthlyReport: { organizationId, period: shiftPeriod(period, -1) } },
    select: { productId: true, workloadType: true, count: true },
    orderBy: [{ position: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({ ...r, product: label(r.productId) }));
}
