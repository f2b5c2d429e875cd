// The OpenAPI 3.1 documents: the product API with the stable portal endpoints (PRODUCT-API.md),
// and the portal's own (stable endpoints and API tokens), generated from
// the same zod schemas the route handlers parse with (never written by hand).
import { OpenApiGeneratorV31, OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { activityPageSchema } from "./activity";
import { apiTokenCreatedSchema, apiTokenCreateSchema, apiTokenListSchema } from "./api-tokens";
import { autoReportedPatch, licenseDetailSchema, licenseListItemSchema, licenseListPageSchema, licenseListQuery } from "./licenses";
import { noticeSchema } from "./notices";
import { createdWebhookEndpointSchema, notificationPageSchema, notificationSettingsSchema, webhookDeliveryPageSchema, webhookEndpointSchema } from "./notifications";
import { contractSchema, staffOrganizationPageSchema } from "./organizations";
import {
  healthAnswer, jwksDocument, licenseUpdateAnswer, licenseUpdateRequest, problem, usageReportAnswer, usageReportRequest,
} from "./product-api";
import { caseDetailSchema, caseListPageSchema, staffCaseDetailSchema, staffCaseListPageSchema } from "./support";
import { historyPageSchema, reportViewSchema, submitResultSchema, usageOverviewSchema } from "./usage";

const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: problem } } });
const retryAfter = z.object({ "Retry-After": z.string().openapi({ description: "Seconds to wait before trying again" }) });
const tooMany = { ...problemResponse("Too many requests"), headers: retryAfter };

/**
 * The answers of the portal's own JSON routes, which its pages use and which may change (only the
 * endpoints of PRODUCT-API.md are stable): listed as components, so that the document shows
 * every object the portal sends, with no path that would promise them to scripts. Each carries
 * its component name as `.meta({ id })`.
 */
const PORTAL_OBJECTS = [
  licenseDetailSchema, reportViewSchema, submitResultSchema, usageOverviewSchema, historyPageSchema,
  caseListPageSchema, caseDetailSchema, staffCaseListPageSchema, staffCaseDetailSchema, noticeSchema, activityPageSchema,
  contractSchema, staffOrganizationPageSchema,
  notificationPageSchema, notificationSettingsSchema, webhookEndpointSchema, createdWebhookEndpointSchema, webhookDeliveryPageSchema,
];

const UNAUTHENTICATED = "Not signed in, or the API token is malformed, unknown, expired or revoked";
/** The stable portal endpoints take a signed-in session or an API token. */
const STABLE_SECURITY: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

function registerSecuritySchemes(registry: OpenAPIRegistry) {
  registry.registerComponent("securitySchemes", "session", { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The portal's sign-in session (next-auth)" });
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "pulse_pat_<43 characters>",
    description: "An API token from Settings > API tokens. read: GET only; admin: also PATCH. Rate-limited per token; every call is audited with the token's name.",
  });
}

/** The stable portal endpoints (PRODUCT-API.md, "Portal endpoints that scripts may rely on") and the token endpoints. */
function registerPortalPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "get",
    path: "/api/portal/licenses",
    tags: ["Portal (stable)"],
    summary: "The organization's licenses, searched, filtered, sorted and paginated",
    security: STABLE_SECURITY,
    request: { query: licenseListQuery },
    responses: {
      200: {
        description: "A page of licenses",
        content: { "application/json": { schema: licenseListPageSchema } },
      },
      400: problemResponse("A query value is invalid"),
      401: problemResponse(UNAUTHENTICATED),
      429: tooMany,
    },
  });

  const licenseIdParam = z.object({ licenseId: z.string().openapi({ example: "LIC-GLBX1-00001" }) });
  registry.registerPath({
    method: "get",
    path: "/api/portal/licenses/{licenseId}/key",
    tags: ["Portal (stable)"],
    summary: "Download a key file (<licenseId>.lic: the compact JWS and a newline)",
    security: STABLE_SECURITY,
    request: { params: licenseIdParam, query: z.object({ version: z.number().int().min(1).optional().openapi({ description: "Without it, the newest" }) }) },
    responses: {
      200: { description: "The key file (Content-Disposition: attachment)", content: { "application/octet-stream": { schema: z.string() } } },
      401: problemResponse(UNAUTHENTICATED),
      429: tooMany,
      404: problemResponse("No such license (or another organization's) or version"),
    },
  });

  registry.registerPath({
    method: "patch",
    path: "/api/portal/licenses/{licenseId}",
    tags: ["Portal (stable)"],
    summary: "Switch Auto Reported License on or off",
    description: "On: the expiration becomes the earlier of its date and 75 days from today. Each change issues a new key version; a PATCH that changes nothing issues none.",
    security: STABLE_SECURITY,
    request: { params: licenseIdParam, body: { content: { "application/json": { schema: autoReportedPatch } } } },
    responses: {
      200: { description: "The license", content: { "application/json": { schema: licenseListItemSchema } } },
      400: problemResponse("Malformed body"),
      401: problemResponse(UNAUTHENTICATED),
      429: tooMany,
      403: problemResponse("A viewer, a read token, or a request from another site's page (Origin)"),
      404: problemResponse("No such license (or another organization's)"),
      422: problemResponse("The rules forbid it: no automatic license reporting, not a rental license, no active contract"),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/api/portal/tokens",
    tags: ["API tokens"],
    summary: "Create an API token (a signed-in provider admin only)",
    description: "The answer carries the token this once; the portal keeps only a keyed hash of it. A token cannot create tokens: this endpoint takes a session only.",
    security: [{ session: [] }],
    request: { body: { content: { "application/json": { schema: apiTokenCreateSchema } } } },
    responses: {
      201: { description: "The token, shown once", content: { "application/json": { schema: apiTokenCreatedSchema } } },
      400: problemResponse("Malformed body: name, scope (read or admin), expiresInDays (1 to 365)"),
      401: problemResponse("Not signed in (an API token is not accepted here)"),
      403: problemResponse("A viewer, or a request from another site's page (Origin)"),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/portal/tokens",
    tags: ["API tokens"],
    summary: "The organization's API tokens with their last use (never the token)",
    security: [{ session: [] }],
    responses: {
      200: { description: "Newest first", content: { "application/json": { schema: apiTokenListSchema } } },
      401: problemResponse("Not signed in (an API token is not accepted here)"),
    },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/portal/tokens/{id}",
    tags: ["API tokens"],
    summary: "Revoke an API token: from now on it is refused with 401",
    security: [{ session: [] }],
    request: { params: z.object({ id: z.string() }) },
    responses: {
      204: { description: "Revoked (revoking a revoked token changes nothing)" },
      401: problemResponse("Not signed in (an API token is not accepted here)"),
      403: problemResponse("A viewer, or a request from another site's page (Origin)"),
      404: problemResponse("No such token (or another organization's)"),
    },
  });
}

let cached: object | undefined;
let cachedPortal: object | undefined;

/**
 * The portal's own OpenAPI document: only the stable portal endpoints and the token endpoints,
 * for people who write scripts against the portal (served at /api/portal/openapi.json).
 */
export function portalOpenApiDocument(): object {
  if (cachedPortal) return cachedPortal;
  const registry = new OpenAPIRegistry();
  registerSecuritySchemes(registry);
  registerPortalPaths(registry);
  cachedPortal = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "VCSP Pulse portal API",
      version: "1.0.0",
      description:
        "The portal endpoints that scripts may rely on, and the API tokens that scripts use with them (Authorization: Bearer pulse_pat_...). Another organization's ids answer 404; a state-changing request with another site's Origin header is refused with 403 (scripts send none). Errors are RFC 9457 problem documents.",
    },
    servers: [{ url: "/" }],
  });
  return cachedPortal;
}

export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registerSecuritySchemes(registry);

  registry.registerPath({
    method: "post",
    path: "/api/v1/license/update",
    tags: ["Product API"],
    summary: "Is a newer license key available?",
    description:
      "A product server presents the license key it holds. When several results apply, the first in this order wins: InvalidLicense, UnsupportedLicenseType, ContractTerminated, Success, NotRequired (GenerationFailed whenever producing the answer fails). Each call is recorded as an update session.",
    request: { body: { content: { "application/json": { schema: licenseUpdateRequest } } } },
    responses: {
      200: { description: "Success (with licenseKey), NotRequired, UnsupportedLicenseType or ContractTerminated", content: { "application/json": { schema: licenseUpdateAnswer } } },
      400: problemResponse("Malformed request (not JSON, missing fields)"),
      401: { description: "InvalidLicense: the signature does not verify, the key is unknown, or the license is revoked", content: { "application/json": { schema: licenseUpdateAnswer } } },
      413: problemResponse("Body over 64 KiB"),
      429: tooMany,
      503: { description: "GenerationFailed (Retry-After: 86400)", headers: retryAfter, content: { "application/json": { schema: licenseUpdateAnswer } } },
    },
  });

  registry.registerPath({
    method: "post",
    path: "/api/v1/usage/reports",
    tags: ["Product API"],
    summary: "A product reports usage",
    description:
      "Idempotent by reportId per license: the same report again is 200 duplicate with the first receivedAt (even after its period was submitted); the same reportId with other content is 409. \"Same content\" ignores licenseKey.",
    request: { body: { content: { "application/json": { schema: usageReportRequest } } } },
    responses: {
      201: { description: "Accepted: first time this reportId is seen for this license", content: { "application/json": { schema: usageReportAnswer } } },
      200: { description: "Duplicate: a retry of a stored report", content: { "application/json": { schema: usageReportAnswer } } },
      400: problemResponse("Malformed report"),
      401: problemResponse("The license key is not valid"),
      409: problemResponse("The reportId was used with other content, or the period is already submitted"),
      413: problemResponse("Body over 64 KiB"),
      422: problemResponse("Future period; collectedAt out of range; a workload type the product lacks or listed twice; newCount above count"),
      429: tooMany,
      500: problemResponse("The report could not be stored (nothing was stored; retry with the same reportId)"),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/.well-known/jwks.json",
    tags: ["Product API"],
    summary: "The keys that verify license keys (EdDSA, Ed25519)",
    responses: {
      200: {
        description: "JSON Web Key Set; the newest key signs",
        content: {
          "application/json": {
            schema: jwksDocument,
          },
        },
      },
    },
  });

  registry.registerPath({
    method: "get",
    path: "/api/health",
    tags: ["Operations"],
    summary: "Whether the server can read its database",
    responses: {
      200: { description: "ok", content: { "application/json": { schema: healthAnswer } } },
      503: { description: "The database cannot be read" },
    },
  });

  registerPortalPaths(registry);

  const components = PORTAL_OBJECTS.map((schema) => ({ type: "schema" as const, schema }));
  cached = new OpenApiGeneratorV31([...registry.definitions, ...components]).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "VCSP Pulse API",
      version: "1.0.0",
      description: "The contract between the portal and product servers (backup servers), and the portal endpoints that scripts may rely on. Times are ISO 8601 in UTC; periods are YYYY-MM. Errors are RFC 9457 problem documents.",
    },
    servers: [{ url: "/" }],
  });
  return cached;
}
