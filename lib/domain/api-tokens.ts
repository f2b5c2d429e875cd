// The rules of API tokens (PRODUCT-API.md, "API tokens"), pure: the token's form, its state, and
// what each scope may do. Hashing and storage are lib/server/api-tokens.ts.

export const API_TOKEN_PREFIX = "pulse_pat_";
export const API_TOKEN_SCOPES = ["read", "admin"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_MAX_NAME = 80;
/** Characters of the random part that find the row (an index), not a secret on their own. */
export const API_TOKEN_LOOKUP_LENGTH = 12;
/** The random part: 32 bytes in base64url. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The random part of a well-formed token, or null for anything else (a malformed token is a 401). */
export function tokenSecretOf(token: string): string | null {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const secret = token.slice(API_TOKEN_PREFIX.length);
  return SECRET.test(secret) ? secret : null;
}

/** The bearer credential of an Authorization header: null without the header, "malformed" when it is not a Bearer one. */
export function bearerOf(header: string | null): string | "malformed" | null {
  if (header === null) return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? m[1] : "malformed";
}

export type ApiTokenStatus = "active" | "expired" | "revoked";

export function apiTokenStatus(t: { expiresAt: Date; revokedAt: Date | null }, now: Date): ApiTokenStatus {
  if (t.revokedAt) return "revoked";
  return t.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

/** When a token created at `now` for `days` days stops working. */
export function apiTokenExpiry(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

/**
 * Whether a token of `scope` may make a request with `method` to a stable portal endpoint:
 * `read` only GETs (and HEAD), `admin` also PATCH. Nothing else is open to tokens.
 */
export function scopeAllows(scope: ApiTokenScope, method: string): boolean {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return true;
  return scope === "admin" && m === "PATCH";
}
