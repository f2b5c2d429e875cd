// Against the production build, started as a deployment would be: without PULSE_TEST_CLOCK.
// - Test-only routes (/api/test/*) answer 404 to every method: nothing tells that they exist.
// - The security headers are on every kind of answer: a page, an API answer, a redirect and 404s.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProduction, type ProductionServer } from "./server";

let server: ProductionServer;

beforeAll(async () => {
  server = await startProduction({ env: { PULSE_TEST_CLOCK: undefined } });
});

afterAll(async () => {
  await server?.stop();
});

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

function expectSecurityHeaders(res: Response, what: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  expect(res.headers.get("referrer-policy"), what).toBe("same-origin");
  // Served over http (NEXTAUTH_URL http://127.0.0.1:port): no HSTS.
  expect(res.headers.get("strict-transport-security"), what).toBeNull();
}

describe("test-only routes without PULSE_TEST_CLOCK=1", () => {
  it("answer 404 to every method, with the security headers", async () => {
    for (const path of ["/api/test/clock", "/api/test/anything/else"]) {
      for (const method of METHODS) {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { "content-type": "application/json", origin: server.url },
          body: ["GET", "HEAD", "OPTIONS"].includes(method) ? undefined : JSON.stringify({ now: "2030-01-01T00:00:00Z" }),
        });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.headers.get("allow"), `${method} ${path}`).toBeNull();
        expectSecurityHeaders(res, `${method} ${path}`);
      }
    }
  });
});

describe("security headers", () => {
  it("are on a page, an API answer, a redirect to sign-in and the 404s, with a fresh nonce each time", async () => {
    const page = await fetch(`${server.url}/login`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, "page");
    // The page's scripts carry the nonce of its header.
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy")!)![1];
    const html = await page.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html.match(/<script(?![^>]*nonce=)[^>]*>/g) ?? []).toEqual([]);

    const again = await fetch(`${server.url}/login`);
    expect(/'nonce-([^']+)'/.exec(again.headers.get("content-security-policy")!)![1]).not.toBe(nonce);

    const api = await fetch(`${server.url}/api/health`);
    expect(api.status).toBe(200);
    expectSecurityHeaders(api, "API answer");

    const unauthorized = await fetch(`${server.url}/api/portal/licenses`);
    expect(unauthorized.status).toBe(401);
    expectSecurityHeaders(unauthorized, "API 401");

    const redirect = await fetch(`${server.url}/overview`, { redirect: "manual" });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toMatch(/\/login\?callbackUrl=%2Foverview$/);
    expectSecurityHeaders(redirect, "redirect to sign-in");

    const missingPage = await fetch(`${server.url}/docs/no-such-page`);
    expect(missingPage.status).toBe(404);
    expectSecurityHeaders(missingPage, "page 404");

    const missingApi = await fetch(`${server.url}/api/no-such-route`);
    expect(missingApi.status).toBe(404);
    expectSecurityHeaders(missingApi, "API 404");

    for (const path of ["/docs/api", "/docs/api/portal", "/unsubscribe"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBeLessThan(500);
      expectSecurityHeaders(res, path);
    }
  });
});
