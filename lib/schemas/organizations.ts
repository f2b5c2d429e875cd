// Output: an organization's contracts (GET /api/portal/contracts/{number}) and, for support
// staff, every organization with its reporting health (GET /api/staff/organizations).
import { z } from "zod";
import { count, dateString, isoDateTime, pageOf, periodString } from "./common";
import { contractStateSchema, contractTypeSchema } from "./licenses";
import { submitCheckSchema } from "./usage";

export const contractSchema = z
  .strictObject({
    number: z.string().meta({ example: "02553275" }),
    type: contractTypeSchema,
    status: z.enum(["ACTIVE", "TERMINATED"]),
    startDate: dateString,
    endDate: dateString.nullable(),
    pointsLimit: count.nullable(),
    dueDay: z.number().int().min(1).max(28),
    terminatedAt: isoDateTime.nullable(),
    /** EXPIRED is derived from endDate; only termination is stored (status). */
    state: contractStateSchema,
  })
  .meta({ id: "Contract" });
export type ContractView = z.infer<typeof contractSchema>;

/** Which ended periods were reported late or are missing, which are open, and whether the organization is suspended. */
export const reportingHealthSchema = z.strictObject({
  periods: count,
  late: z.array(periodString),
  missing: z.array(periodString),
  open: z.array(periodString),
  suspended: z.boolean(),
  /** Suspended, or one more late or missing report away from it: listed first for support staff. */
  atRisk: z.boolean(),
});
export type ReportingHealth = z.infer<typeof reportingHealthSchema>;

export const staffOrganizationSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  autoReportingEnabled: z.boolean(),
  autoReportingChangedAt: isoDateTime.nullable(),
  autoReportingChangedBy: z.string().nullable(),
  contracts: z.array(contractSchema),
  health: reportingHealthSchema,
  /** The checks before Submit of each period that is open (ended, not submitted). */
  openPeriods: z.array(z.strictObject({ period: periodString, checks: z.array(submitCheckSchema) })),
});
export type StaffOrganization = z.infer<typeof staffOrganizationSchema>;

export const staffOrganizationPageSchema = pageOf(staffOrganizationSchema).meta({ id: "StaffOrganizationPage" });
export type StaffOrganizationPage = z.infer<typeof staffOrganizationPageSchema>;

/** Settings > Usage submission: PUT /api/portal/settings/usage-submission. */
export const usageSubmissionInput = z.strictObject({ autoSubmit: z.boolean() });
export type UsageSubmissionInput = z.infer<typeof usageSubmissionInput>;

export const usageSubmissionSchema = z.strictObject({
  autoSubmit: z.boolean(),
  /** Open periods the portal will submit (their jobs), when the setting is on. */
  scheduled: count,
});
export type UsageSubmission = z.infer<typeof usageSubmissionSchema>;

/** Support staff: POST /api/staff/organizations/{organizationId}/contracts. */
export const contractCreateInput = z
  .strictObject({
    number: z.string().regex(/^\d{8}$/, "The Support ID is 8 digits."),
    type: contractTypeSchema,
    startDate: dateString,
    endDate: dateString.nullable().optional().default(null),
    pointsLimit: count.nullable().optional().default(null),
    dueDay: z.number().int().min(1, "The due day is 1 to 28.").max(28, "The due day is 1 to 28.").optional().default(10),
  })
  .refine((c) => c.endDate === null || c.endDate >= c.startDate, { path: ["endDate"], message: "The end date cannot be before the start date." });
export type ContractCreateInput = z.infer<typeof contractCreateInput>;

/** Support staff: PATCH /api/staff/contracts/{number}: end it on a date, or terminate it now. */
export const contractChangeInput = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("end"), endDate: dateString }),
  z.strictObject({ action: z.literal("terminate") }),
]);
export type ContractChangeInput = z.infer<typeof contractChangeInput>;
