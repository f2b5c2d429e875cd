// Runs before every answer of the portal (pages, API routes, 404s; not the static build files):
// - the security headers (lib/auth/security-headers.ts), with a fresh CSP nonce per request that
//   Next.js puts on the scripts of the page it renders;
// - an address with a malformed %-escape (`/licenses/%E0%A4%A`) names nothing: a 400 problem for
//   an API route, the 404 page for a page (Next.js itself would fail with a 500 decoding it);
// - test-only routes (/api/test/*) answer 404 to every method unless PULSE_TEST_CLOCK=1;
// - pages need a session: a signed-out visit goes to /login and comes back after. The page itself
//   then checks that the session is still valid (lib/auth/current-user.ts). Not for API routes
//   (they answer 401 themselves, lib/http), sign-in, /unsubscribe (the link of notification mails
//   works without signing in), the public docs and /.well-known.
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { servedOverHttps } from "./lib/auth/origin";
import { newNonce, securityHeaders } from "./lib/auth/security-headers";
import { authSecret, testClockEnabled } from "./lib/config";
import { problemResponse } from "./lib/http/problem";

const PUBLIC_PAGES = ["/login", "/unsubscribe", "/docs", "/.well-known"];

const under = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

function withHeaders<R extends Response>(res: R, headers: Record<string, string>): R {
  for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
  return res;
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export default async function proxy(req: NextRequest): Promise<Response> {
  const { pathname, search } = req.nextUrl;
  const nonce = newNonce();
  const headers = securityHeaders(nonce);
  // Next.js takes the nonce from the request's Content-Security-Policy header.
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]);
  requestHeaders.set("x-nonce", nonce);

  if (!decodable(pathname)) {
    if (under(pathname, "/api")) return withHeaders(problemResponse(400, "The address is not valid: it holds a malformed %-escape."), headers);
    // A path no page has: Next renders app/not-found.tsx with status 404.
    return withHeaders(NextResponse.rewrite(new URL("/_malformed-address", req.nextUrl.origin), { request: { headers: requestHeaders } }), headers);
  }

  if (under(pathname, "/api/test") && !testClockEnabled()) {
    return withHeaders(problemResponse(404, "Not found."), headers);
  }

  if (!under(pathname, "/api") && !PUBLIC_PAGES.some((p) => under(pathname, p))) {
    const token = await getToken({ req, secret: authSecret(), secureCookie: servedOverHttps() });
    if (!token) {
      const signIn = new URL("/login", req.nextUrl.origin);
      signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
      return withHeaders(NextResponse.redirect(signIn), headers);
    }
  }

  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
