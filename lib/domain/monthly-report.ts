// The monthly usage report: which periods can be submitted and which need action, the rows of a
// period's report (auto-filled per auto-reported license, manual rows), adjustments and their
// reasons, and the CSV export. Pure: callers pass `now` and the facts.
import { findProduct, findWorkloadType } from "./catalog";
import { UNASSIGNED } from "./companies";
import { periodOf, periodOfDate, shiftPeriod, firstDateOf, startOfDate, type DateString, type Period } from "./dates";
import { pointsFor } from "./points";
import { periodHealth, type PeriodHealth } from "./reporting";
import type { TypeUsage, UsageSource } from "./usage";

/** Largest number of workloads one row may carry. */
export const MAX_ROW_COUNT = 1_000_000;
export const MAX_REASON_LENGTH = 500;
/** A report keeps at most this many manual rows (a guard against runaway input, not a business rule). */
export const MAX_MANUAL_ROWS = 200;

/**
 * An organization reports once a month for all its contracts, from the month its first contract
 * started (the deadlines: reporting.ts periodDueAt); null without any contract.
 */
export function firstReportingPeriod(contracts: readonly { startDate: DateString }[]): Period | null {
  if (contracts.length === 0) return null;
  return periodOfDate(contracts.reduce((a, c) => (c.startDate < a ? c.startDate : a), contracts[0].startDate));
}

/** Why period P cannot be submitted at `now`, or null when it can (from the first day of the month after P). */
export function submitRefusal(period: Period, firstPeriod: Period, now: Date): string | null {
  if (period < firstPeriod) return `${period} is before your first contract started (${firstPeriod}); there is nothing to report.`;
  if (period >= periodOf(now)) return `${period} has not ended yet; it can be submitted from ${firstDateOf(shiftPeriod(period, 1))}.`;
  return null;
}

/** Whole days until the deadline (0 on the due day itself, negative once it has passed). */
export function daysUntilDue(dueAt: Date, now: Date): number {
  const due = Date.UTC(dueAt.getUTCFullYear(), dueAt.getUTCMonth(), dueAt.getUTCDate());
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((due - today) / 86_400_000);
}

/** "due today", "due in 3 days", "overdue by 2 days". */
export function dueLabel(dueAt: Date, now: Date): string {
  if (now.getTime() > dueAt.getTime() + 999) {
    const days = Math.max(1, -daysUntilDue(dueAt, now));
    return `overdue by ${days} day${days === 1 ? "" : "s"}`;
  }
  const days = daysUntilDue(dueAt, now);
  return days === 0 ? "due today" : `due in ${days} day${days === 1 ? "" : "s"}`;
}

export interface PeriodAction {
  period: Period;
  dueAt: Date;
  health: Extract<PeriodHealth, "OPEN" | "MISSING">;
  dueLabel: string;
}

/** The ended periods not yet submitted, oldest first, with their deadlines: what needs action. */
export function periodsNeedingAction(periods: readonly { period: Period; dueAt: Date }[], submitted: ReadonlySet<Period>, now: Date): PeriodAction[] {
  return periods
    .filter((p) => !submitted.has(p.period))
    .map(({ period, dueAt }) => ({ period, dueAt, health: periodHealth(null, dueAt, now) as PeriodAction["health"], dueLabel: dueLabel(dueAt, now) }));
}

/**
 * Whether an auto-reported license takes part in period P's report: it existed before P ended.
 * A key created after P ended is covered by its initial 75 days and reports from its first month.
 */
export function licenseInPeriod(createdAt: Date, period: Period): boolean {
  return createdAt.getTime() < startOfDate(firstDateOf(shiftPeriod(period, 1))).getTime();
}

export interface Adjustment {
  count: number;
  reason: string | null;
}

export interface AutoRow {
  workloadType: string;
  /** What the product servers reported (Current Month Usage), 0 when nothing was reported. */
  reportedCount: number;
  count: number;
  points: number;
  adjustmentReason: string | null;
  sources: UsageSource[];
}

/**
 * The rows of one auto-reported license: one per workload type of its key or that its servers
 * reported, in catalog order; each is the reported figure unless the provider adjusted it.
 */
export function autoRowsOf(
  productId: string,
  keyTypes: readonly string[],
  used: ReadonlyMap<string, TypeUsage>,
  adjustments: ReadonlyMap<string, Adjustment>,
): AutoRow[] {
  const types = new Set([...keyTypes, ...used.keys(), ...adjustments.keys()]);
  const order = findProduct(productId)?.workloadTypes.map((t) => t.id) ?? [];
  return [...types]
    .filter((t) => findWorkloadType(productId, t))
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((workloadType) => {
      const reported = used.get(workloadType);
      const reportedCount = reported?.count ?? 0;
      const adjusted = adjustments.get(workloadType);
      const count = adjusted ? adjusted.count : reportedCount;
      return {
        workloadType,
        reportedCount,
        count,
        points: pointsFor(productId, [{ type: workloadType, count }]),
        adjustmentReason: adjusted?.reason ?? null,
        sources: reported?.sources ?? [],
      };
    });
}

/** A refusal of one field of an input (the shape of lib/errors.ts's FieldError, which carries it to the caller). */
export interface FieldRefusal {
  path: string;
  message: string;
}

function countRefusal(path: string, count: unknown, min: number): FieldRefusal | null {
  if (typeof count !== "number" || !Number.isInteger(count)) return { path, message: "Enter a whole number of workloads." };
  if (count < min) return { path, message: min === 0 ? "The number of workloads cannot be negative." : `Enter at least ${min} workload.` };
  if (count > MAX_ROW_COUNT) return { path, message: `Enter at most ${MAX_ROW_COUNT.toLocaleString("en-US")} workloads.` };
  return null;
}

/** Why a manual row is refused: unknown product or workload type, or a count that is not a whole number from 1. */
export function manualRowRefusals(row: { productId: string; workloadType: string; count: unknown }): FieldRefusal[] {
  const errors: FieldRefusal[] = [];
  if (!findProduct(row.productId)) errors.push({ path: "productId", message: "Select a product from the list." });
  else if (!findWorkloadType(row.productId, row.workloadType)) errors.push({ path: "workloadType", message: "Select a workload type of this product." });
  const c = countRefusal("count", row.count, 1);
  if (c) errors.push(c);
  return errors;
}

/** Why an adjusted count is refused: not a whole number from 0, or lower than reported without a reason. */
export function adjustmentRefusals(reportedCount: number, count: unknown, reason: string | null | undefined): FieldRefusal[] {
  const c = countRefusal("count", count, 0);
  if (c) return [c];
  const text = reason?.trim() ?? "";
  if ((count as number) < reportedCount && !text) {
    return [{ path: "reason", message: `Say why the count is lower than the ${reportedCount} your servers reported.` }];
  }
  if (text.length > MAX_REASON_LENGTH) return [{ path: "reason", message: `Keep the reason to ${MAX_REASON_LENGTH} characters.` }];
  return [];
}

/** Where an auto-filled figure came from, in words: "2 installations (weekly high watermark)". */
export function describeSources(sources: readonly UsageSource[]): string {
  if (sources.length === 0) return "No usage reported";
  const kinds = new Set(sources.map((s) => s.kind));
  const kind = kinds.size > 1 ? "monthly and weekly reports" : kinds.has("monthly") ? "monthly report" : "weekly high watermark";
  const ids = sources.map((s) => `${s.installationId}: ${s.count}${kinds.size > 1 ? ` (${s.kind})` : ""}`).join(", ");
  return `${sources.length} installation${sources.length === 1 ? "" : "s"}, ${kind} (${ids})`;
}

export interface CsvRow {
  licenseId: string | null;
  productId: string;
  workloadType: string;
  reportedCount: number | null;
  count: number;
  points: number;
  source: "AUTO" | "MANUAL";
  adjustmentReason: string | null;
  /** The license's company (null: unassigned, and every manual row), written "Unassigned". */
  company?: string | null;
  usageType?: string | null;
}

// Hand-written rather than a CSV library: one fixed row shape and RFC 4180 quoting are a few
// lines, and a leading =, +, - or @ is neutralised so that spreadsheets never run a cell as a formula.
function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = ["period", "license_id", "product", "workload_type", "reported_count", "count", "points", "source", "adjustment_reason", "company", "usage_type"] as const;

/** The CSV export of a period: a header and one line per row. */
export function reportCsv(period: Period, rows: readonly CsvRow[]): string {
  const lines = [CSV_HEADER.join(",")];
  for (const r of rows) {
    lines.push(
      [period, r.licenseId, r.productId, r.workloadType, r.reportedCount, r.count, r.points, r.source, r.adjustmentReason, r.company ?? UNASSIGNED, r.usageType ?? ""].map(csvCell).join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

type RowKey = { productId: string; workloadType: string };
const sameRow = (a: RowKey, b: RowKey) => a.productId === b.productId && a.workloadType === b.workloadType;

/**
 * A report has one manual row per product and workload type: a second one for the same pair is
 * refused (the provider changes the count by removing the row and adding it again), so that the
 * report, its CSV and the change against last month read one figure per pair.
 */
export function duplicateManualRow(existing: readonly RowKey[], row: RowKey): boolean {
  return existing.some((r) => sameRow(r, row));
}

/** Last month's manual rows that "Copy last month's rows" adds: those whose pair this month lacks. */
export function manualRowsToCopy<T extends RowKey>(previous: readonly T[], current: readonly RowKey[]): T[] {
  const out: T[] = [];
  for (const r of previous) if (!duplicateManualRow(current, r) && !duplicateManualRow(out, r)) out.push(r);
  return out;
}

/** A manual row's count against last month's row of the same pair: null when last month had none. */
export function changeAgainstLastMonth(row: RowKey & { count: number }, previous: readonly (RowKey & { count: number })[]): number | null {
  const before = previous.find((r) => sameRow(r, row));
  return before ? row.count - before.count : null;
}
