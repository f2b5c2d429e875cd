// The wire schemas of Settings > API tokens (PRODUCT-API.md, "API tokens"): what a provider admin
// sends to create one, the answer that carries the token once, and the list.
import { z } from "zod";
import { API_TOKEN_MAX_DAYS, API_TOKEN_MAX_NAME, API_TOKEN_SCOPES } from "../domain/api-tokens";
import { isoDateTime } from "./common";

export const apiTokenCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1, "Name the token").max(API_TOKEN_MAX_NAME, `At most ${API_TOKEN_MAX_NAME} characters`),
    scope: z.enum(API_TOKEN_SCOPES, { message: "scope must be read or admin" }),
    expiresInDays: z
      .number({ message: "Enter a number of days" })
      .int("Enter a whole number of days")
      .min(1, "At least 1 day")
      .max(API_TOKEN_MAX_DAYS, `At most ${API_TOKEN_MAX_DAYS} days`),
  })
  .meta({ id: "ApiTokenCreate" });
export type ApiTokenCreate = z.infer<typeof apiTokenCreateSchema>;

/** The answer of POST /api/portal/tokens: the only time the token itself is sent. */
export const apiTokenCreatedSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    scope: z.enum(API_TOKEN_SCOPES),
    expiresAt: isoDateTime,
    token: z.string().startsWith("pulse_pat_").meta({ description: "Shown this once; the portal keeps only a hash of it" }),
  })
  .meta({ id: "ApiTokenCreated" });
export type ApiTokenCreated = z.infer<typeof apiTokenCreatedSchema>;

export const apiTokenSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    scope: z.enum(API_TOKEN_SCOPES),
    createdAt: isoDateTime,
    createdBy: z.string(),
    expiresAt: isoDateTime,
    lastUsedAt: isoDateTime.nullable(),
    revokedAt: isoDateTime.nullable(),
    status: z.enum(["active", "expired", "revoked"]),
  })
  .meta({ id: "ApiToken" });
export type ApiTokenView = z.infer<typeof apiTokenSchema>;

export const apiTokenListSchema = z.strictObject({ items: z.array(apiTokenSchema) }).meta({ id: "ApiTokenList" });
export type ApiTokenList = z.infer<typeof apiTokenListSchema>;
