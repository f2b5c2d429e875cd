// The wire schemas of PRODUCT-API.md. Route handlers parse with them and the OpenAPI document
// (lib/schemas/openapi.ts) is generated from them, so the two cannot drift apart.
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { isPeriod } from "../domain/dates";
import { dateString, isoDateTime, UPDATE_RESULTS, type UpdateResultName } from "./common";

extendZodWithOpenApi(z);

export { UPDATE_RESULTS, type UpdateResultName };

/** The message a product shows its user for each result (PRODUCT-API.md, to the letter). */
export const UPDATE_MESSAGES: Record<UpdateResultName, string> = {
  Success: "New license key has been received",
  NotRequired: "Your existing license key is up to date",
  UnsupportedLicenseType: "License key type is not supported at the moment",
  ContractTerminated:
    "Your contract has expired, so the license key cannot be updated automatically. Please contact your sales representative to renew your contract.",
  InvalidLicense: "License key is invalid",
  GenerationFailed: "General license key generation error has occurred",
};

export const UPDATE_STATUS: Record<UpdateResultName, number> = {
  Success: 200,
  NotRequired: 200,
  UnsupportedLicenseType: 200,
  ContractTerminated: 200,
  InvalidLicense: 401,
  GenerationFailed: 503,
};

// No length cap but the 64 KiB body limit: an overlong key is not malformed, it is InvalidLicense.
const licenseKey = z.string().min(1, "licenseKey is required").openapi({ description: "The compact JWS installed on the server" });
// PostgreSQL text cannot hold U+0000 (nor can the JSON the batches travel in), so a stored string
// with a NUL character is malformed: refused here, before any batch it would fail.
const noNul = (field: string) => [(s: string) => !s.includes("\u0000"), `${field} must not contain the NUL character (U+0000)`] as const;

const installationId = z
  .string()
  .min(8, "installationId must be 8 to 64 characters")
  .max(64, "installationId must be 8 to 64 characters")
  .refine(...noNul("installationId"))
  .openapi({ description: "Stable id of this product installation", example: "vbr-7f3c9a12-eu1" });

export const licenseUpdateRequest = z
  .object({
    licenseKey,
    installationId,
    productVersion: z.string().trim().min(1, "productVersion is required").max(64, "productVersion is at most 64 characters").refine(...noNul("productVersion")).openapi({ example: "13.0.1.1071" }),
  })
  .openapi("LicenseUpdateRequest");
export type LicenseUpdateRequest = z.infer<typeof licenseUpdateRequest>;

// The answers are output schemas too: services return their types, and the integration tests
// parse every real answer with them (test/integration/output-schemas.int.test.ts). The document
// does not mark them closed (additionalProperties), so that clients tolerate a field added later.
export const licenseUpdateAnswer = z
  .object({
    result: z.enum(UPDATE_RESULTS),
    message: z.string(),
    checkedAt: isoDateTime,
    nextCheckAfter: isoDateTime.optional().openapi({ description: "When to ask again; absent for InvalidLicense" }),
    licenseKey: z.string().optional().openapi({ description: "The newest key version; only with Success" }),
  })
  .openapi("LicenseUpdateAnswer");
export type LicenseUpdateAnswer = z.infer<typeof licenseUpdateAnswer>;

export const MAX_COUNT = 10_000_000;
const count = z.number({ message: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(MAX_COUNT, `must be at most ${MAX_COUNT}`);

export const usageReportRequest = z
  .object({
    licenseKey,
    installationId,
    reportId: z.string().min(8, "reportId must be 8 to 64 characters").max(64, "reportId must be 8 to 64 characters").refine(...noNul("reportId")).openapi({ description: "Client-made id, unique for this license" }),
    kind: z.enum(["weekly", "monthly"], { message: "kind must be weekly or monthly" }),
    period: z.string().refine(isPeriod, "period must be YYYY-MM").openapi({ example: "2026-11" }),
    collectedAt: z.iso.datetime({ offset: true, message: "collectedAt must be an ISO 8601 date-time" }).openapi({ example: "2026-11-24T03:00:00Z" }),
    workloads: z
      .array(z.object({ type: z.string().min(1).max(64).refine(...noNul("type")), count, newCount: count.optional().openapi({ description: "Default 0; never above count" }) }))
      .min(1, "workloads must have 1 to 50 entries")
      .max(50, "workloads must have 1 to 50 entries"),
  })
  .openapi("UsageReportRequest");
export type UsageReportRequest = z.infer<typeof usageReportRequest>;

export const usageReportAnswer = z
  .object({
    status: z.enum(["accepted", "duplicate"]),
    reportId: z.string(),
    receivedAt: isoDateTime,
    licenseExtendedTo: dateString.optional().openapi({ description: "Only with 201: the new expiration date when this monthly report extended the license" }),
  })
  .openapi("UsageReportAnswer");
export type UsageReportAnswer = z.infer<typeof usageReportAnswer>;

/** GET /.well-known/jwks.json: the keys that verify license keys; the newest signs. */
export const jsonWebKey = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string(), kid: z.string(), alg: z.literal("EdDSA"), use: z.literal("sig") });
export const jwksDocument = z.object({ keys: z.array(jsonWebKey) }).openapi("JsonWebKeySet");
export type JwksDocument = z.infer<typeof jwksDocument>;

/** GET /api/health when the database answers. */
export const healthAnswer = z.object({ status: z.literal("ok") });

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem document (application/problem+json)" });
