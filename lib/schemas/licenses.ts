// The zod schemas of the license endpoints and the New License Key wizard. The wizard validates
// with licenseDraftSchema(facts) as the provider types; the server parses with the same function,
// built from the facts it reads from the database.
import { z } from "zod";
import { findProduct, findWorkloadType, PRODUCTS } from "../domain/catalog";
import { isDateString, type DateString } from "../domain/dates";
import {
  LICENSE_STATES, manualExpirationRefusal, wizardAutoReporting, type LicenseState,
} from "../domain/licenses";
import { count, dateString, isoDateTime, pageOf, periodString, UPDATE_RESULTS } from "./common";
import { usageTypeSchema } from "./companies";

export const MAX_WORKLOAD_COUNT = 10_000_000;
export const MAX_DESCRIPTION = 200;

/** `live`: live keys first by expiration, then expired and revoked ones (the Manage Licenses default). */
export const LICENSE_SORTS = ["live", "licenseId", "product", "description", "expirationDate", "points", "createdAt"] as const;

export const licenseListQuery = z.object({
  query: z.string().trim().max(100).optional().default(""),
  product: z.enum(PRODUCTS.map((p) => p.id) as [string, ...string[]]).optional(),
  /** A company's id, or `none`: the licenses assigned to no company. */
  company: z.string().trim().min(1).max(64).optional(),
  state: z.enum(LICENSE_STATES as unknown as [string, ...string[]]).optional(),
  /** `no`: only keys awaiting collection (awaitingCollection). */
  collected: z.enum(["no"]).optional(),
  sort: z.enum(LICENSE_SORTS).optional().default("expirationDate"),
  dir: z.enum(["asc", "desc"]).optional().default("asc"),
  page: z.coerce.number().int().min(1).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});
export type LicenseListQuery = z.infer<typeof licenseListQuery>;

/** Drops empty query parameters (`?product=`), which mean "no filter". */
export function listQueryFrom(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...params.entries()].filter(([, v]) => v !== ""));
}

export const autoReportedPatch = z.object({ autoReported: z.boolean({ message: "autoReported must be true or false" }) }).strict();

const workload = z.object({
  type: z.string().min(1, "Choose a workload type"),
  count: z
    .number({ message: "Enter a number of workloads" })
    .int("Enter a whole number")
    .min(1, "At least 1")
    .max(MAX_WORKLOAD_COUNT, `At most ${MAX_WORKLOAD_COUNT.toLocaleString("en")}`),
});

/** The shape of a new license, with the catalog checks that need no database. */
export const licenseDraftShape = z
  .object({
    contractNumber: z.string().regex(/^\d{8}$/, "Choose a contract"),
    productId: z.string().refine((id) => !!findProduct(id), "Choose a product"),
    autoReported: z.boolean(),
    expirationDate: z.string().refine(isDateString, "Enter a date as YYYY-MM-DD").nullable().optional(),
    description: z.string().trim().max(MAX_DESCRIPTION, `At most ${MAX_DESCRIPTION} characters`).default(""),
    workloads: z.array(workload).min(1, "Add at least one workload").max(50, "At most 50 workload types"),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.workloads.forEach((w, i) => {
      if (w.type && !findWorkloadType(d.productId, w.type)) {
        ctx.addIssue({ code: "custom", path: ["workloads", i, "type"], message: "This product has no such workload type" });
      }
      if (seen.has(w.type)) ctx.addIssue({ code: "custom", path: ["workloads", i, "type"], message: "This workload type is already listed" });
      seen.add(w.type);
    });
  });
export type LicenseDraft = z.infer<typeof licenseDraftShape>;

/** What the rules need to know beyond the draft itself. */
export interface LicenseDraftFacts {
  today: DateString;
  organizationHasFeature: boolean;
  /** The organization's active contracts. */
  contracts: { number: string; type: "NO_COMMIT" | "VOLUME"; endDate: string | null }[];
}

/** The draft's rules of DOMAIN-RULES.md: contract, the Automatic reporting toggle, the date limits. */
export function licenseDraftSchema(facts: LicenseDraftFacts) {
  // `when`: these rules run even while other fields are still wrong (zod skips refinements of an
  // object with issues by default), so that each wizard step is judged on its own fields: a date
  // in the past is refused on License Info whatever the Workloads step holds.
  return licenseDraftShape.superRefine(
    (d, ctx) => {
      const contract = facts.contracts.find((c) => c.number === d.contractNumber);
      if (!contract) {
        ctx.addIssue({ code: "custom", path: ["contractNumber"], message: "Choose one of your active contracts" });
        return;
      }
      const toggle = wizardAutoReporting(facts.organizationHasFeature, contract.type);
      if (typeof d.autoReported === "boolean" && toggle.disabled && toggle.value !== d.autoReported) {
        ctx.addIssue({ code: "custom", path: ["autoReported"], message: toggle.reason ?? "Automatic reporting cannot be changed" });
      }
      if (d.autoReported === false && (d.expirationDate == null || isDateString(d.expirationDate))) {
        const refusal = d.expirationDate
          ? manualExpirationRefusal(d.expirationDate, facts.today, contract.endDate)
          : "Choose an expiration date";
        if (refusal) ctx.addIssue({ code: "custom", path: ["expirationDate"], message: refusal });
      }
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );
}

// ---------------------------------------------------------------------------------------------
// Output: what the license endpoints answer. Services return these types; the OpenAPI document
// registers these schemas; the integration tests parse every real answer with them.

export const licenseTypeSchema = z.enum(["RENTAL", "NFR", "EVALUATION"]);
export const licenseStateSchema = z.enum(LICENSE_STATES as unknown as [LicenseState, ...LicenseState[]]);
export const contractTypeSchema = z.enum(["NO_COMMIT", "VOLUME"]);
export const contractStateSchema = z.enum(["ACTIVE", "EXPIRED", "TERMINATED"]);

/**
 * A license as the stable list endpoint and the PATCH answer show it (PRODUCT-API.md), plus its
 * last update check and why its Auto Reported License toggle cannot change (null: it can).
 */
export const licenseListItemSchema = z
  .strictObject({
    licenseId: z.string(),
    type: licenseTypeSchema,
    supportId: z.string().nullable().meta({ description: "The 8-digit contract number; null without a contract" }),
    productId: z.string(),
    productName: z.string(),
    productEdition: z.string().nullable(),
    description: z.string(),
    autoReported: z.boolean(),
    expirationDate: dateString.meta({ example: "2027-02-08" }),
    state: licenseStateSchema,
    points: count,
    lastCheckAt: isoDateTime.nullable().meta({ description: "The last update check by a product server" }),
    lastCheckResult: z.enum(UPDATE_RESULTS).nullable(),
    toggleRefusal: z.string().nullable().meta({ description: "Why Auto Reported License cannot be switched from its current value; null when it can" }),
    awaitingCollection: z.boolean().meta({ description: "An auto-reported key renewed since any product server last checked: no server has collected its current key" }),
    companyId: z.string().nullable().meta({ description: "The company (the provider's customer) the license is assigned to; null when unassigned" }),
    companyName: z.string().nullable(),
    usageType: usageTypeSchema.nullable(),
  })
  .meta({ id: "License" });
export type LicenseListItem = z.infer<typeof licenseListItemSchema>;

export const licenseListPageSchema = pageOf(licenseListItemSchema).meta({ id: "LicensePage" });
export type LicenseListPage = z.infer<typeof licenseListPageSchema>;

/** One signed key version of a license. */
export const keyVersionViewSchema = z.strictObject({
  version: z.number().int().min(1),
  reason: z.enum(["CREATED", "EXTENDED", "AUTO_REPORTED_ON", "AUTO_REPORTED_OFF", "WORKLOADS_CHANGED"]),
  expirationDate: dateString,
  autoReported: z.boolean(),
  points: count,
  issuedAt: isoDateTime,
  issuedBy: z.string().nullable(),
});
export type KeyVersionView = z.infer<typeof keyVersionViewSchema>;

/** A product installation that has used the license. */
export const installationViewSchema = z.strictObject({
  id: z.string(),
  installationId: z.string(),
  productVersion: z.string(),
  firstSeenAt: isoDateTime,
  lastSeenAt: isoDateTime,
});
export type InstallationView = z.infer<typeof installationViewSchema>;

/** One call of POST /api/v1/license/update for the license. */
export const updateSessionViewSchema = z.strictObject({
  id: z.string(),
  installationId: z.string(),
  productVersion: z.string(),
  versionPresented: z.number().int(),
  versionIssued: z.number().int().nullable(),
  result: z.enum(UPDATE_RESULTS),
  createdAt: isoDateTime,
});
export type UpdateSessionView = z.infer<typeof updateSessionViewSchema>;

/** A usage report a product server sent for the license. */
export const productUsageReportViewSchema = z.strictObject({
  reportId: z.string(),
  installationId: z.string(),
  kind: z.enum(["weekly", "monthly"]),
  period: periodString,
  collectedAt: isoDateTime,
  receivedAt: isoDateTime,
  workloads: z.array(z.strictObject({ type: z.string(), count, newCount: count })),
});
export type ProductUsageReportView = z.infer<typeof productUsageReportViewSchema>;

/** Everything the license page shows. */
export const licenseDetailSchema = licenseListItemSchema
  .extend({
    supportExpirationDate: dateString,
    currentVersion: z.number().int().min(0),
    createdAt: isoDateTime,
    revokedAt: isoDateTime.nullable(),
    revokedBy: z.string().nullable(),
    contract: z.strictObject({ number: z.string(), type: contractTypeSchema, state: contractStateSchema, endDate: dateString.nullable() }).nullable(),
    workloads: z.array(z.strictObject({ type: z.string(), count })),
    versions: z.array(keyVersionViewSchema),
    installations: z.array(installationViewSchema),
    updateSessions: z.array(updateSessionViewSchema),
    usageReports: z.array(productUsageReportViewSchema),
  })
  .strict()
  .meta({ id: "LicenseDetail" });
export type LicenseDetail = z.infer<typeof licenseDetailSchema>;
