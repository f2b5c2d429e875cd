// Output: an organization's contracts (GET /api/portal/contracts/{number}) and, for support
// staff, every organization with its reporting health (GET /api/staff/organizations).
import { z } from "zod";
import { count, dateString, isoDateTime, pageOf, periodString } from "./common";
import { contractStateSchema, contractTypeSchema } from "./licenses";

export const contractSchema = z
  .strictObject({
    number: z.string().meta({ example: "02553275" }),
    type: contractTypeSchema,
    status: z.enum(["ACTIVE", "TERMINATED"]),
    startDate: dateString,
    endDate: dateString.nullable(),
    pointsLimit: count.nullable(),
    dueDay: z.number().int().min(1).max(31),
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
});
export type StaffOrganization = z.infer<typeof staffOrganizationSchema>;

export const staffOrganizationPageSchema = pageOf(staffOrganizationSchema).meta({ id: "StaffOrganizationPage" });
export type StaffOrganizationPage = z.infer<typeof staffOrganizationPageSchema>;
