// Helpers for integration tests that call route handlers as the browser or a script would:
// a real next-auth session cookie (signed with the test secret) and a NextRequest.
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { authSecret } from "../lib/config";
import { getDb } from "../lib/db";

export const DEMO = {
  alice: "alice@acme.test",
  victor: "victor@acme.test",
  bob: "bob@globex.test",
  sam: "sam@support.test",
} as const;

export const BASE = "http://localhost:3000";

/** The session cookie a signed-in browser of `email` would send. */
export async function sessionCookie(email: string): Promise<string> {
  const user = await getDb().user.findUniqueOrThrow({ where: { email } });
  const token = await encode({
    token: { sub: user.id, uid: user.id, email: user.email, name: user.name, role: user.role, organizationId: user.organizationId, sv: user.sessionVersion },
    secret: authSecret(),
  });
  return `next-auth.session-token=${token}`;
}

export interface RequestOptions {
  as?: string;
  body?: unknown;
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

export async function request(method: string, pathAndQuery: string, options: RequestOptions = {}): Promise<NextRequest> {
  const headers: Record<string, string> = { host: "localhost:3000", ...options.headers };
  if (options.as) headers.cookie = await sessionCookie(options.as);
  let body: string | Uint8Array | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  return new NextRequest(new URL(pathAndQuery, BASE), { method, headers, body: body as BodyInit | undefined });
}

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Calls a route handler with params, as Next would. */
export async function call(handler: Handler, req: NextRequest, params: Record<string, string> = {}) {
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> };
}
