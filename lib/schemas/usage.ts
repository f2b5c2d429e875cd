// The zod schemas of the monthly usage endpoints, shared by the report page's forms and the
// route handlers: a manual row is checked against the catalog as the provider types and again
// on the server with this same schema.
import { z } from "zod";
import { companyBreakdownSchema, usageTypeSchema } from "./companies";
import { isPeriod } from "../domain/dates";
import { MAX_REASON_LENGTH, manualRowRefusals } from "../domain/monthly-report";
import { count, dateString, isoDateTime, pageOf, periodString } from "./common";

export const periodParam = z.string().refine(isPeriod, "A period is written YYYY-MM.");

export const manualRowInput = z
  .object({
    productId: z.string({ message: "Select a product" }).max(64),
    workloadType: z.string({ message: "Select a workload type" }).max(64),
    count: z.number({ message: "Enter a number of workloads" }),
  })
  .strict()
  .superRefine((row, ctx) => {
    for (const e of manualRowRefusals(row)) ctx.addIssue({ code: "custom", path: [e.path], message: e.message });
  });
export type ManualRowInput = z.infer<typeof manualRowInput>;

/** An adjusted count of an auto-filled row; `count: null` puts the reported figure back. */
export const adjustmentInput = z
  .object({
    licenseId: z.string().min(1).max(64),
    workloadType: z.string().min(1).max(64),
    count: z.number({ message: "Enter a number of workloads" }).nullable(),
    reason: z.string().max(MAX_REASON_LENGTH, `Keep the reason to ${MAX_REASON_LENGTH} characters.`).nullable().optional(),
  })
  .strict();
export type AdjustmentInput = z.infer<typeof adjustmentInput>;

export const reportPageQuery = z.object({
  page: z.coerce.number().int().min(1).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});

export const historyQuery = z.object({
  page: z.coerce.number().int().min(1).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(100).optional().default(12),
});

// ---------------------------------------------------------------------------------------------
// Output: what the monthly usage endpoints answer (Monthly Usages > My Actions, a period's
// report, its edits and Submit Usage). The names and fields are those of the views that
// lib/server/monthly-reports.ts builds; services return these types.

export const periodHealthSchema = z.enum(["ON_TIME", "LATE", "OPEN", "MISSING"]);
export const reportKindSchema = z.enum(["CURRENT", "DUE", "SUBMITTED"]);
export type ReportKind = z.infer<typeof reportKindSchema>;

/** One installation's figure behind a row: its monthly report, else its highest weekly count. */
export const usageSourceSchema = z.strictObject({ installationId: z.string(), kind: z.enum(["weekly", "monthly"]), count });

/** A row of an auto-reported license: the reported figure, or the provider's adjusted count. */
export const autoRowViewSchema = z.strictObject({
  workloadType: z.string(),
  /** What the product servers reported (Current Month Usage), 0 when nothing was reported. */
  reportedCount: count,
  count,
  points: count,
  adjustmentReason: z.string().nullable(),
  sources: z.array(usageSourceSchema),
  sourceLabel: z.string(),
});

export const licenseRowViewSchema = z.strictObject({
  licenseId: z.string(),
  productId: z.string(),
  product: z.string(),
  description: z.string(),
  expirationDate: dateString,
  rows: z.array(autoRowViewSchema),
  points: count,
  /**
   * Draft: the extension Submit Usage will apply, or the one its product's monthly report already
   * applied for the period (`extendedByProduct`); null: not extended, see `notExtendedReason`.
   * Submitted: the one applied for the period.
   */
  extension: z.strictObject({ from: dateString, to: dateString }).nullable(),
  /** The license's own product extended it for the period with its monthly report (not Submit Usage). */
  extendedByProduct: z.boolean(),
  notExtendedReason: z.string().nullable(),
  /** The company the license is assigned to (null: unassigned); for a submitted report, its current company. */
  companyId: z.string().nullable(),
  company: z.string().nullable(),
  usageType: usageTypeSchema.nullable(),
});
export type LicenseRowView = z.infer<typeof licenseRowViewSchema>;

export const manualRowViewSchema = z.strictObject({
  id: z.string(),
  productId: z.string(),
  product: z.string(),
  workloadType: z.string(),
  count,
  points: count,
});
export type ManualRowView = z.infer<typeof manualRowViewSchema>;

export const hintViewSchema = z.strictObject({
  licenseId: z.string(),
  productId: z.string(),
  product: z.string(),
  workloadType: z.string(),
  count,
  sourceLabel: z.string(),
});
export type HintView = z.infer<typeof hintViewSchema>;

/** A check before Submit (lib/domain/submit-checks.ts): shown, never blocking. */
export const submitCheckSchema = z.strictObject({
  kind: z.enum(["MONTHLY_DIFFERS", "SILENT_INSTALLATION", "NO_USAGE", "OVER_LIMIT"]),
  licenseId: z.string().nullable(),
  message: z.string(),
});
export type SubmitCheckView = z.infer<typeof submitCheckSchema>;

export const reportViewSchema = z
  .strictObject({
    period: periodString,
    kind: reportKindSchema,
    /** Whether the caller may change rows and submit now. */
    editable: z.boolean(),
    dueAt: isoDateTime,
    dueLabel: z.string(),
    health: periodHealthSchema,
    submittedAt: isoDateTime.nullable(),
    submittedBy: z.string().nullable(),
    onTime: z.boolean().nullable(),
    licenses: pageOf(licenseRowViewSchema),
    manualRows: z.array(manualRowViewSchema),
    /** Last month's manual rows, for "Copy last month's rows" and each row's change against last month. */
    previousManualRows: z.array(z.strictObject({ productId: z.string(), product: z.string(), workloadType: z.string(), count })),
    hints: z.array(hintViewSchema),
    /** Checks before Submit of a period that is due (empty otherwise). */
    checks: z.array(submitCheckSchema),
    totals: z.strictObject({ autoPoints: count, manualPoints: count, totalPoints: count, autoLicenses: count }),
    /** Usage and points per company ("Unassigned" last: licenses of no company and the manual rows); they sum to `totals`. */
    companies: z.array(companyBreakdownSchema),
    extensions: z.strictObject({
      count,
      notExtended: count,
      preview: z.array(z.strictObject({ licenseId: z.string(), from: dateString, to: dateString })),
    }),
  })
  .meta({ id: "UsageReportView" });
export type ReportView = z.infer<typeof reportViewSchema>;

export const submitResultSchema = z
  .strictObject({
    period: periodString,
    submittedAt: isoDateTime,
    onTime: z.boolean(),
    totalPoints: count,
    extended: z.array(z.strictObject({ licenseId: z.string(), from: dateString, to: dateString, version: z.number().int().min(1) })),
    notExtended: z.array(z.strictObject({ licenseId: z.string(), reason: z.string() })),
  })
  .meta({ id: "UsageSubmitResult" });
export type SubmitResult = z.infer<typeof submitResultSchema>;

/** DELETE .../rows/{rowId}. */
export const removedRowSchema = z.strictObject({ removed: z.literal(true) });
export type RemovedRow = z.infer<typeof removedRowSchema>;

/** PUT .../adjustments: the count set (null: back to the reported figure). */
export const adjustmentResultSchema = z.strictObject({ licenseId: z.string(), workloadType: z.string(), count: count.nullable() });
export type AdjustmentResult = z.infer<typeof adjustmentResultSchema>;

export const usageOverviewSchema = z
  .strictObject({
    actions: z.array(z.strictObject({ period: periodString, dueAt: isoDateTime, health: z.enum(["OPEN", "MISSING"]), dueLabel: z.string() })),
    current: z.strictObject({ period: periodString, totalPoints: count, autoLicenses: count }),
    suspension: z.strictObject({ suspended: z.boolean(), unsubmitted: z.array(periodString) }),
    /** Points per month over the last 12 ended months; null where nothing was submitted. */
    chart: z.array(z.strictObject({ period: periodString, points: count.nullable(), onTime: z.boolean().nullable() })),
    hasContracts: z.boolean(),
  })
  .meta({ id: "UsageOverview" });
export type UsageOverview = z.infer<typeof usageOverviewSchema>;

export const historyItemSchema = z.strictObject({
  period: periodString,
  submittedAt: isoDateTime,
  submittedBy: z.string().nullable(),
  onTime: z.boolean(),
  totalPoints: count,
  extensions: count,
});
export type HistoryItem = z.infer<typeof historyItemSchema>;

export const historyPageSchema = pageOf(historyItemSchema).meta({ id: "UsageHistoryPage" });
export type HistoryPage = z.infer<typeof historyPageSchema>;
