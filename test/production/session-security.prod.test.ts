// Sessions and sign-in against the production build, through next-auth's own endpoints as the
// sign-in form and the sign-out button use them:
// - the session cookie's attributes (httpOnly, SameSite=Lax; Secure and HSTS over https);
// - sign-in needs next-auth's CSRF token (double submit: the token and its cookie);
// - an unknown email and a wrong password get the same answer (no user enumeration);
// - sign-out and a role change end the session: a replayed cookie is refused (401 / sign-in).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startProduction, type ProductionServer } from "./server";

const PASSWORD = "pulse-demo-1";
let http: ProductionServer;
let https: ProductionServer;

beforeAll(async () => {
  http = await startProduction({ env: { PULSE_TEST_CLOCK: undefined } });
  // Configured as served over https (as behind a TLS-terminating proxy); reached over http here.
  const port = await freePort();
  https = await startProduction({ port, env: { PULSE_TEST_CLOCK: undefined, NEXTAUTH_URL: `https://127.0.0.1:${port}` } });
});

afterAll(async () => {
  await http?.stop();
  await https?.stop();
});

const jar = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]);

async function csrf(server: ProductionServer) {
  const res = await fetch(`${server.url}/api/auth/csrf`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { csrfToken, cookies: jar(res) };
}

interface Attempt {
  email: string;
  password: string;
  csrfToken?: string;
  cookies?: string[];
  json?: boolean;
}

async function credentials(server: ProductionServer, a: Attempt) {
  const body = new URLSearchParams({ email: a.email, password: a.password, callbackUrl: `${server.url}/overview` });
  if (a.csrfToken !== undefined) body.set("csrfToken", a.csrfToken);
  if (a.json !== false) body.set("json", "true");
  const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: (a.cookies ?? []).join("; ") },
    body,
  });
  const setCookies = res.headers.getSetCookie();
  return {
    status: res.status,
    location: res.headers.get("location"),
    body: await res.text(),
    setCookies,
    session: setCookies.find((c) => /next-auth\.session-token=/.test(c)),
  };
}

/** Signs in as the sign-in form does; returns the session cookie ("name=value") and the whole Set-Cookie. */
async function signIn(server: ProductionServer, email: string) {
  const c = await csrf(server);
  const r = await credentials(server, { email, password: PASSWORD, ...c });
  expect(r.session, `${email}: ${r.status} ${r.body}`).toBeDefined();
  return { cookie: r.session!.split(";")[0], setCookie: r.session!, csrf: c };
}

describe("session cookies", () => {
  it("are httpOnly and SameSite=Lax, not Secure when the portal is served over http", async () => {
    const { setCookie } = await signIn(http, "alice@acme.test");
    expect(setCookie).toMatch(/^next-auth\.session-token=/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
  });

  it("are Secure (and __Secure- named) when the configured origin is https, which also sends HSTS", async () => {
    const { setCookie, cookie } = await signIn(https, "alice@acme.test");
    expect(setCookie).toMatch(/^__Secure-next-auth\.session-token=/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Secure/i);
    const page = await fetch(`${https.url}/overview`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
    expect(page.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });
});

describe("sign-in and CSRF", () => {
  it("does not sign in without next-auth's CSRF token, or with another browser's", async () => {
    const none = await credentials(http, { email: "bob@globex.test", password: PASSWORD });
    expect(none.session).toBeUndefined();
    expect(none.body).toMatch(/csrf=true/);
    const mine = await csrf(http);
    const theirs = await csrf(http);
    const crossed = await credentials(http, { email: "bob@globex.test", password: PASSWORD, csrfToken: theirs.csrfToken, cookies: mine.cookies });
    expect(crossed.session).toBeUndefined();
    expect(crossed.body).toMatch(/csrf=true/);
    // The token without its cookie (a cross-site form cannot set it) fails too.
    const tokenOnly = await credentials(http, { email: "bob@globex.test", password: PASSWORD, csrfToken: mine.csrfToken });
    expect(tokenOnly.session).toBeUndefined();
    // With both, it works.
    expect((await credentials(http, { email: "bob@globex.test", password: PASSWORD, ...mine })).session).toBeDefined();
  });

  it("answers an unknown email and a wrong password the same (status, body, redirect, cookies)", async () => {
    const c = await csrf(http);
    for (const json of [true, false]) {
      const unknown = await credentials(http, { email: `nobody-${json}@nowhere.test`, password: "not-the-password", ...c, json });
      const wrong = await credentials(http, { email: json ? "victor@acme.test" : "sam@support.test", password: "not-the-password", ...c, json });
      expect(unknown.session).toBeUndefined();
      expect(wrong.session).toBeUndefined();
      expect(wrong.status).toBe(unknown.status);
      expect(wrong.location).toBe(unknown.location);
      expect(wrong.body).toBe(unknown.body);
      expect(wrong.setCookies).toEqual(unknown.setCookies);
      expect(unknown.status).toBe(json ? 401 : 302);
      expect(unknown.body + (unknown.location ?? "")).toMatch(/error=CredentialsSignin/);
    }
  });
});

describe("sessions end", () => {
  async function expectRefused(server: ProductionServer, cookie: string) {
    const api = await fetch(`${server.url}/api/portal/licenses`, { headers: { cookie } });
    expect(api.status).toBe(401);
    const page = await fetch(`${server.url}/overview`, { headers: { cookie }, redirect: "manual" });
    expect([303, 307]).toContain(page.status);
    expect(new URL(page.headers.get("location")!, server.url).pathname).toBe("/login");
  }

  async function expectAccepted(server: ProductionServer, cookie: string) {
    expect((await fetch(`${server.url}/api/portal/licenses`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${server.url}/overview`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
  }

  it("on sign-out: a copy of the cookie is refused afterwards, on the API (401) and on pages (to sign-in)", async () => {
    const first = await signIn(http, "bob@globex.test");
    const second = await signIn(http, "bob@globex.test");
    await expectAccepted(http, first.cookie);
    await expectAccepted(http, second.cookie);
    // The sign-out button: POST /api/auth/signout with the CSRF token, as next-auth/react does.
    const out = await fetch(`${http.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: [first.cookie, ...first.csrf.cookies].join("; ") },
      body: new URLSearchParams({ csrfToken: first.csrf.csrfToken, callbackUrl: `${http.url}/login`, json: "true" }),
    });
    expect(out.status).toBeLessThan(400);
    await expectRefused(http, first.cookie);
    // Every session of the user ends, not only the one that signed out.
    await expectRefused(http, second.cookie);
    await expectAccepted(http, (await signIn(http, "bob@globex.test")).cookie);
  });

  it("on a role change: the old cookie is refused, a new sign-in has the new role", async () => {
    const { cookie } = await signIn(http, "victor@acme.test");
    await expectAccepted(http, cookie);
    process.env.DATABASE_URL = `file:${path.join(http.dataDir, "pulse.db")}`;
    const { changeUserRole } = await import("@/lib/server/sessions");
    const { getDb } = await import("@/lib/db");
    const victor = await getDb().user.findUniqueOrThrow({ where: { email: "victor@acme.test" } });
    await changeUserRole(victor.id, "PROVIDER_ADMIN");
    await expectRefused(http, cookie);
    await expectAccepted(http, (await signIn(http, "victor@acme.test")).cookie);
    await getDb().$disconnect();
  });
});
