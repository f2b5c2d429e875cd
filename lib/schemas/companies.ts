// The wire schemas of companies (Settings > Companies) and of assigning a license to one.
import { z } from "zod";
import { COMPANY_MAX_EXTERNAL_ID, COMPANY_MAX_NAME, USAGE_TYPES, assignmentRefusal } from "../domain/companies";
import { count, isoDateTime } from "./common";

const name = z.string().trim().min(1, "Name the company").max(COMPANY_MAX_NAME, `At most ${COMPANY_MAX_NAME} characters`);
/** An empty external id is none. */
const externalId = z
  .string()
  .trim()
  .max(COMPANY_MAX_EXTERNAL_ID, `At most ${COMPANY_MAX_EXTERNAL_ID} characters`)
  .nullable()
  .transform((v) => (v ? v : null));

export const usageTypeSchema = z.enum(USAGE_TYPES);

export const companyCreateSchema = z.strictObject({ name, externalId: externalId.optional() }).meta({ id: "CompanyCreate" });
export type CompanyCreate = z.infer<typeof companyCreateSchema>;

/** Rename (name, external id) or archive / restore (`archived`). */
export const companyUpdateSchema = z
  .strictObject({ name: name.optional(), externalId: externalId.optional(), archived: z.boolean().optional() })
  .refine((v) => v.name !== undefined || v.externalId !== undefined || v.archived !== undefined, "Nothing to change")
  .meta({ id: "CompanyUpdate" });
export type CompanyUpdate = z.infer<typeof companyUpdateSchema>;

export const companySchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    externalId: z.string().nullable(),
    archivedAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    licenses: count,
  })
  .meta({ id: "Company" });
export type CompanyView = z.infer<typeof companySchema>;

export const companyListSchema = z.strictObject({ items: z.array(companySchema) }).meta({ id: "CompanyList" });
export type CompanyList = z.infer<typeof companyListSchema>;

export const licenseCompanySchema = z
  .strictObject({ companyId: z.string().min(1).nullable(), usageType: usageTypeSchema.nullable() })
  .superRefine((v, ctx) => {
    const refusal = assignmentRefusal(v);
    if (refusal) ctx.addIssue({ code: "custom", path: ["usageType"], message: refusal });
  })
  .meta({ id: "LicenseCompany" });
export type LicenseCompanyInput = z.infer<typeof licenseCompanySchema>;

export const licenseCompanyResultSchema = z
  .strictObject({ licenseId: z.string(), companyId: z.string().nullable(), companyName: z.string().nullable(), usageType: usageTypeSchema.nullable() })
  .meta({ id: "LicenseCompanyResult" });
export type LicenseCompanyResult = z.infer<typeof licenseCompanyResultSchema>;

/** One company's share of a monthly report ("Unassigned": no company, and manual rows). */
export const companyBreakdownSchema = z.strictObject({
  companyId: z.string().nullable(),
  name: z.string(),
  licenses: count,
  usage: count,
  points: count,
});
