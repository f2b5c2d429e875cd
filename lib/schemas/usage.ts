// The zod schemas of the monthly usage endpoints, shared by the report page's forms and the
// route handlers: a manual row is checked against the catalog as the provider types and again
// on the server with this same schema.
import { z } from "zod";
import { isPeriod } from "../domain/dates";
import { MAX_REASON_LENGTH, manualRowRefusals } from "../domain/monthly-report";

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
