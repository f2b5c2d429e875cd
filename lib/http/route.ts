// The route wrappers, one per kind of caller. Each does authentication, the permission check,
// the Origin check, body parsing and error mapping once, so a handler is only its business call.
import type { NextRequest } from "next/server";
import type { ZodType } from "zod";
import { isProvider, loadUser, providerContext, sessionUserId, staffContext, type CurrentProvider, type CurrentUser } from "../auth/current-user";
import { can, isStaffRole, scopeRole, type Permission } from "../auth/permissions";
import { isOwnOrigin } from "../auth/origin";
import { bearerOf, scopeAllows } from "../domain/api-tokens";
import { now, systemNow } from "../clock";
import { AppError } from "../errors";
import type { ProviderActor, TokenActor, UserActor } from "../server/context";
import { authenticateApiToken, recordApiTokenCall } from "../server/api-tokens";
import { nulPath, parseWith } from "../schemas/parse";
import { leasedLimiter } from "../server/rate-limit";
import { limitKeyOf } from "./client-address";
import { clientAddressOf } from "./peer-address";
import { readJsonBody } from "./body";
import { withAdmission } from "./overload";
import { errorResponse, problemResponse } from "./problem";
import { authenticateLicenseKey } from "../server/product-auth";
import type { InstallationActor } from "../server/context";

type RouteParams = Promise<Record<string, string | string[]>>;
type RouteHandler = (req: NextRequest, route: { params: RouteParams }) => Promise<Response>;

export interface HandlerArgs<A, B> {
  req: NextRequest;
  ctx: { actor: A; now: Date };
  params: Record<string, string>;
  body: B;
  query: URLSearchParams;
}

interface RouteOptions<B> {
  body?: ZodType<B>;
  /** Bytes; default 64 KiB. */
  bodyLimit?: number;
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, { ...init, headers: { "Cache-Control": "no-store", ...init.headers } });
}

function toResponse(result: unknown): Response {
  return result instanceof Response ? result : json(result);
}

async function flatParams(route: { params: RouteParams } | undefined): Promise<Record<string, string>> {
  const raw = (await route?.params) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
}

/**
 * The body parsed with the route's schema (parseWith refuses U+0000 in it). The query is read by
 * the handlers, most with parseWith; U+0000 in it is refused here for all of them, as PostgreSQL
 * cannot compare text holding it.
 */
async function parseBody<B>(req: NextRequest, options: RouteOptions<B>): Promise<B> {
  const nul = nulPath(Object.fromEntries(req.nextUrl.searchParams));
  if (nul) throw new AppError("BAD_REQUEST", `The query is invalid: ${nul.join(".")} must not contain the NUL character (U+0000).`);
  if (!options.body) return undefined as B;
  return parseWith(options.body, await readJsonBody(req, options.bodyLimit));
}

/**
 * Refuses a state-changing request whose Origin is not the portal's configured origin (scheme,
 * host and port of NEXTAUTH_URL; never the Host or X-Forwarded-Host a client sends), and
 * `Origin: null`. A request without Origin (a script) is accepted: browsers send Origin on every
 * cross-site POST, PUT, PATCH and DELETE, and the session cookie is SameSite=Lax.
 */
function checkOrigin(req: NextRequest) {
  if (!STATE_CHANGING.has(req.method)) return;
  const origin = req.headers.get("origin");
  if (origin === null) return;
  if (!isOwnOrigin(origin)) throw new AppError("FORBIDDEN", "Cross-site request refused: the Origin header is not this portal's.");
}

/**
 * The signed-in user of a request, loaded as pages load them (lib/auth/current-user.ts): a request
 * without a session, or whose user was deleted since, is refused.
 */
async function requireUser(req: NextRequest): Promise<CurrentUser> {
  const id = await sessionUserId(req);
  if (!id && req.headers.has("authorization")) {
    throw new AppError("UNAUTHENTICATED", "This endpoint needs a signed-in session: API tokens are accepted only by the stable portal endpoints.");
  }
  if (!id) throw new AppError("UNAUTHENTICATED", "Sign in first: this endpoint needs a signed-in session.");
  const user = await loadUser(id);
  if (!user) throw new AppError("UNAUTHENTICATED", "Your session is no longer valid; sign in again.");
  return user;
}

/**
 * The steps of every route a signed-in person calls, in order: the session's user, `admit` (who
 * may call; throws otherwise), the Origin check, the per-user write limit, the body, the context.
 */
function sessionRoute<A, B>(
  admit: (user: CurrentUser) => void,
  context: (user: CurrentUser) => Promise<{ actor: A; now: Date }>,
  options: RouteOptions<B>,
  handler: (args: HandlerArgs<A, B>) => Promise<unknown>,
): RouteHandler {
  return async (req, route) => {
    try {
      const user = await requireUser(req);
      admit(user);
      checkOrigin(req);
      await limitWrites(req, `user:${user.id}`);
      const body = await parseBody(req, options);
      const ctx = await context(user);
      return toResponse(await handler({ req, ctx, params: await flatParams(route), body, query: req.nextUrl.searchParams }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * A provider user's route (admin or viewer of an organization). Support staff get 404, as
 * provider pages do; a provider role without `permission` gets 403.
 */
export function providerRoute<B = undefined>(
  permission: Permission,
  options: RouteOptions<B>,
  handler: (args: HandlerArgs<ProviderActor, B>) => Promise<unknown>,
): RouteHandler {
  const admit = (user: CurrentUser) => {
    if (!isProvider(user)) throw new AppError("NOT_FOUND", "Not found.");
    if (!can(user.role, permission)) throw new AppError("FORBIDDEN", "Your role does not allow this action.");
  };
  // admit has made sure the user is a provider.
  return sessionRoute(admit, (user) => providerContext(user as CurrentProvider), options, handler);
}

/** A support staff route. Providers get 404. */
export function staffRoute<B = undefined>(
  permission: Permission,
  options: RouteOptions<B>,
  handler: (args: HandlerArgs<UserActor, B>) => Promise<unknown>,
): RouteHandler {
  const admit = (user: CurrentUser) => {
    if (!isStaffRole(user.role) || !can(user.role, permission)) throw new AppError("NOT_FOUND", "Not found.");
  };
  return sessionRoute(admit, staffContext, options, handler);
}

/** Any signed-in person's own things (their notifications): a provider user or support staff. */
export function userRoute<B = undefined>(
  options: RouteOptions<B>,
  handler: (args: HandlerArgs<UserActor, B>) => Promise<unknown>,
): RouteHandler {
  const context = (user: CurrentUser): Promise<{ actor: UserActor; now: Date }> => (isProvider(user) ? providerContext(user) : staffContext(user));
  return sessionRoute(() => undefined, context, options, handler);
}

/**
 * A stable portal endpoint (PRODUCT-API.md, "Portal endpoints that scripts may rely on"): a
 * signed-in provider, exactly as providerRoute, or a script with `Authorization: Bearer
 * pulse_pat_...`. A token acts as its organization with its scope (read: GET only; admin: also
 * PATCH; the permission is checked as the scope's role), is rate-limited per token, and every
 * call it makes past the limit is audited with its name. Every other portal route uses
 * providerRoute, which knows no tokens: a token there is a 401.
 */
export function portalRoute<B = undefined>(
  permission: Permission,
  options: RouteOptions<B>,
  handler: (args: HandlerArgs<ProviderActor | TokenActor, B>) => Promise<unknown>,
): RouteHandler {
  const bySession = providerRoute(permission, options, handler);
  return async (req, route) => {
    const bearer = bearerOf(req.headers.get("authorization"));
    if (bearer === null) return bySession(req, route);
    let ctx: { actor: TokenActor; now: Date } | undefined;
    let res: Response;
    try {
      const at = await now();
      const actor = bearer === "malformed" ? null : await authenticateApiToken(bearer, at);
      if (!actor) throw new AppError("UNAUTHENTICATED", "The API token is not valid: malformed, unknown, expired or revoked.");
      const perMinute = Number(process.env.PULSE_RATE_LIMIT_PER_TOKEN || 120);
      await limit(`token:${actor.tokenId}`, perMinute, at);
      ctx = { actor, now: at };
      if (!scopeAllows(actor.scope, req.method) || !can(scopeRole(actor.scope), permission)) {
        throw new AppError("FORBIDDEN", actor.scope === "read" ? "A read token may only make GET requests." : "An API token may not make this request.");
      }
      checkOrigin(req);
      await limitWrites(req, `token:${actor.tokenId}`, at);
      const body = await parseBody(req, options);
      res = toResponse(await handler({ req, ctx, params: await flatParams(route), body, query: req.nextUrl.searchParams }));
    } catch (error) {
      res = errorResponse(error);
    }
    if (ctx) {
      try {
        await recordApiTokenCall(ctx, { method: req.method, path: req.nextUrl.pathname, status: res.status });
      } catch (error) {
        // A call that cannot be audited is not answered as if it were fine (a change it made stays made).
        return errorResponse(error);
      }
    }
    return res;
  };
}

export interface ProductLimits {
  perAddressPerMinute: number;
  perLicensePerMinute: number;
}

export function productLimits(): ProductLimits {
  return {
    perAddressPerMinute: Number(process.env.PULSE_RATE_LIMIT_PER_ADDRESS || 1200),
    perLicensePerMinute: Number(process.env.PULSE_RATE_LIMIT_PER_LICENSE || 120),
  };
}

/**
 * The client's address: the socket's peer, or behind PULSE_TRUSTED_PROXIES the rightmost
 * X-Forwarded-For entry that is not a trusted proxy (lib/http/peer-address.ts says how a route
 * handler learns the socket's address under `next start`). Never the leftmost entry, which the
 * client writes itself.
 */
export function clientAddress(req: Request): string {
  return clientAddressOf(req.headers);
}

/**
 * The request limits (product API per address and license, API tokens, writes per user): leases
 * on the database's counters, so that they hold across app instances at about one database
 * write per block of hits (lib/server/rate-limit.ts).
 */
const sharedLimits = leasedLimiter();

async function limit(name: string, max: number, now: Date) {
  const r = await sharedLimits.hit(name, max, 60_000, now);
  if (!r.allowed) throw new AppError("RATE_LIMITED", `Too many requests: at most ${max} a minute. Retry after ${r.retryAfter} seconds.`, { retryAfter: r.retryAfter });
}

/** State-changing requests a signed-in user (or an API token) may make a minute, over all instances. */
export function writesPerUserPerMinute(): number {
  return Number(process.env.PULSE_RATE_LIMIT_WRITES_PER_USER || 60);
}

/** Counts a state-changing request against its user's (or token's) budget; GET and HEAD are free. */
async function limitWrites(req: NextRequest, who: string, at?: Date) {
  if (!STATE_CHANGING.has(req.method)) return;
  const max = writesPerUserPerMinute();
  const r = await sharedLimits.hit(`writes:${who}`, max, 60_000, at ?? (await now()));
  if (!r.allowed) {
    throw new AppError("RATE_LIMITED", `Too many changes: at most ${max} a minute for one user. Retry after ${r.retryAfter} seconds.`, { retryAfter: r.retryAfter });
  }
}

/**
 * A product server's route: authenticated by the license key in the body. Rate-limited per
 * client address (before the body is read) and per license (once the key is known), across app
 * instances (leasedLimiter of lib/server/rate-limit.ts). `onInvalidKey` shapes the 401;
 * `onFailure` turns an unexpected failure into the endpoint's own answer (GenerationFailed)
 * instead of a 500.
 */
export function productRoute<B extends { licenseKey: string; installationId: string }>(
  options: RouteOptions<B> & {
    body: ZodType<B>;
    onInvalidKey?: (at: Date) => Response;
    onFailure?: (error: unknown, at: Date) => Response;
  },
  handler: (args: HandlerArgs<InstallationActor, B>) => Promise<unknown>,
): RouteHandler {
  // Load shedding first, before the body is read (lib/http/overload.ts).
  return withAdmission(options.onFailure, async (req, route) => {
    let at: Date | undefined;
    try {
      at = await now();
      const limits = productLimits();
      const address = clientAddress(req);
      await limit(`address:${limitKeyOf(address)}`, limits.perAddressPerMinute, at);
      const body = await parseBody(req, options);
      const holder = await authenticateLicenseKey(body.licenseKey);
      if (!holder) return options.onInvalidKey?.(at) ?? problemResponse(401, "The license key is not valid.");
      await limit(`license:${holder.licenseRef}`, limits.perLicensePerMinute, at);
      const ctx = { actor: { ...holder, type: "installation" as const, installationId: body.installationId, clientAddress: address }, now: at };
      return toResponse(await handler({ req, ctx, params: await flatParams(route), body, query: req.nextUrl.searchParams }));
    } catch (error) {
      if (!(error instanceof AppError) && options.onFailure) {
        console.error("Product API failure:", error instanceof Error ? error.message : error);
        return options.onFailure(error, at ?? systemNow());
      }
      return errorResponse(error);
    }
  });
}

/** A route anyone may call (health, JWKS, test clock). */
export function publicRoute(handler: (args: { req: NextRequest; params: Record<string, string> }) => Promise<unknown>): RouteHandler {
  return async (req, route) => {
    try {
      return toResponse(await handler({ req, params: await flatParams(route) }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}
