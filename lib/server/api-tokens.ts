// API tokens (PRODUCT-API.md, "API tokens"): created by a provider admin's session, shown once,
// kept only as a keyed hash; a script presents one as `Authorization: Bearer pulse_pat_...` to the
// stable portal endpoints (lib/http/route.ts, portalRoute) and acts as its organization with its scope.
import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { authSecret } from "../config";
import { getDb } from "../db";
import {
  API_TOKEN_LOOKUP_LENGTH, API_TOKEN_PREFIX, apiTokenExpiry, apiTokenStatus, tokenSecretOf,
} from "../domain/api-tokens";
import { AppError } from "../errors";
import type { ApiTokenCreate, ApiTokenCreated, ApiTokenList, ApiTokenView } from "../schemas/api-tokens";
import { writeAudit } from "./audit";
import type { Context, ProviderContext, TokenActor } from "./context";

/**
 * Why a fast keyed hash and not bcrypt or argon2: those are slow on purpose, to make guessing a
 * low-entropy password expensive. A token's random part is 32 bytes (256 bits) from the system's
 * CSPRNG, so there is nothing to guess, and a slow hash would only cost every API call tens of
 * milliseconds. HMAC-SHA256 keyed with the server's secret (not a bare SHA-256) means that a copy
 * of the database alone is not enough to check a candidate token offline. Changing the server's
 * secret (NEXTAUTH_SECRET) therefore invalidates every token, as it signs every session out.
 */
function hashOf(token: string): Buffer {
  const key = createHmac("sha256", authSecret()).update("pulse api token hash v1").digest();
  return createHmac("sha256", key).update(token).digest();
}

function view(t: { id: string; name: string; scope: "read" | "admin"; createdAt: Date; createdBy: string; expiresAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }, now: Date): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    scope: t.scope,
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy,
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    status: apiTokenStatus(t, now),
  };
}

/** Creates a token for the admin's organization; the answer is the only place the token appears. */
export async function createApiToken(ctx: ProviderContext, input: ApiTokenCreate): Promise<ApiTokenCreated> {
  const secret = randomBytes(32).toString("base64url");
  const token = `${API_TOKEN_PREFIX}${secret}`;
  const expiresAt = apiTokenExpiry(ctx.now, input.expiresInDays);
  const row = await getDb().$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        organizationId: ctx.actor.organizationId,
        name: input.name,
        scope: input.scope,
        lookup: secret.slice(0, API_TOKEN_LOOKUP_LENGTH),
        hash: hashOf(token).toString("hex"),
        createdAt: ctx.now,
        createdBy: ctx.actor.email,
        expiresAt,
      },
      select: { id: true },
    });
    await writeAudit(tx, ctx, {
      organizationId: ctx.actor.organizationId,
      action: "api_token.created",
      targetType: "ApiToken",
      targetId: input.name,
      after: { id: created.id, name: input.name, scope: input.scope, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { id: row.id, name: input.name, scope: input.scope, expiresAt: expiresAt.toISOString(), token };
}

const viewSelect = { id: true, name: true, scope: true, createdAt: true, createdBy: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;

/** The organization's tokens, newest first, with their last use (never their hash). */
export async function listApiTokens(ctx: ProviderContext): Promise<ApiTokenList> {
  const rows = await getDb().apiToken.findMany({
    where: { organizationId: ctx.actor.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: viewSelect,
  });
  return { items: rows.map((r) => view(r, ctx.now)) };
}

/** Revokes a token of the admin's organization (another organization's id is 404); revoking twice changes nothing. */
export async function revokeApiToken(ctx: ProviderContext, id: string): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const t = await tx.apiToken.findFirst({ where: { id, organizationId: ctx.actor.organizationId }, select: viewSelect });
    if (!t) throw new AppError("NOT_FOUND", "No such API token.");
    if (t.revokedAt) return;
    const { count } = await tx.apiToken.updateMany({ where: { id, organizationId: ctx.actor.organizationId, revokedAt: null }, data: { revokedAt: ctx.now } });
    if (count === 0) return;
    await writeAudit(tx, ctx, {
      organizationId: ctx.actor.organizationId,
      action: "api_token.revoked",
      targetType: "ApiToken",
      targetId: t.name,
      before: { id: t.id, name: t.name, scope: t.scope, expiresAt: t.expiresAt.toISOString() },
      after: { revokedAt: ctx.now.toISOString() },
    });
  });
}

/**
 * The actor a presented token stands for, or null when it is malformed, unknown, revoked or
 * expired (all of them a 401, told apart by nobody). The row is found by the first characters
 * of the random part; the hash is then compared in constant time.
 */
export async function authenticateApiToken(token: string, now: Date): Promise<TokenActor | null> {
  const secret = tokenSecretOf(token);
  if (!secret) return null;
  const row = await getDb().apiToken.findUnique({
    where: { lookup: secret.slice(0, API_TOKEN_LOOKUP_LENGTH) },
    select: { id: true, name: true, scope: true, organizationId: true, hash: true, expiresAt: true, revokedAt: true },
  });
  if (!row) return null;
  const stored = Buffer.from(row.hash, "hex");
  const presented = hashOf(token);
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return null;
  if (apiTokenStatus(row, now) !== "active") return null;
  return { type: "token", tokenId: row.id, name: row.name, scope: row.scope, organizationId: row.organizationId };
}

/**
 * Records a call made with a token: its last use, and an audit event naming the token, the
 * method, the path (never the query string or headers, where a secret could travel) and the
 * answer's status. A change that the call makes is audited by its service as well.
 */
export async function recordApiTokenCall(ctx: Context & { actor: TokenActor }, call: { method: string; path: string; status: number }): Promise<void> {
  await getDb().$transaction(async (tx) => {
    await tx.apiToken.updateMany({ where: { id: ctx.actor.tokenId, organizationId: ctx.actor.organizationId }, data: { lastUsedAt: ctx.now } });
    await writeAudit(tx, ctx, {
      organizationId: ctx.actor.organizationId,
      action: "api_token.call",
      targetType: "ApiRequest",
      targetId: `${call.method} ${call.path}`,
      after: { status: call.status },
    });
  });
}
