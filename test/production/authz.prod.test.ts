// The authorization matrix (test/authz/matrix.ts) against the production build: every route file
// of app/ times every caller, with the status each must answer, plus 405 for the methods an API
// route does not export. The server gets a fresh data folder, so the allowed calls' changes are
// disposable: every refused call runs first (concurrently) and must change nothing; then the
// allowed ones, reads first, then writes one by one in the matrix's order.
import { createHmac } from "node:crypto";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db";
import { CALLERS, MATRIX, type Caller, type Cell, type Expected, type Ids } from "../authz/matrix";
import { METHODS, routeFiles, type Method } from "../authz/routes";
import { stateHashes } from "../authz/state";
import { startProduction, type ProductionServer } from "./server";

const SECRET = "authz-matrix-secret-authz-matrix-secret";
const CONCURRENCY = Number(process.env.PULSE_AUTHZ_CONCURRENCY || 8);
const EVIL = "https://evil.example";

let server: ProductionServer;
let db: Db;
let ids: Ids;
const cookies: Record<string, string> = {};
const tokens = { read: "", admin: "" };
const userIds: Record<string, string> = {};

const EMAILS = { admin: "alice@acme.test", viewer: "victor@acme.test", otherAdmin: "bob@globex.test", staff: "sam@support.test" } as const;

async function sessionCookie(email: string): Promise<string> {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  userIds[email] = u.id;
  const token = await encode({ token: { sub: u.id, uid: u.id, email: u.email, name: u.name, role: u.role, organizationId: u.organizationId }, secret: SECRET });
  return `next-auth.session-token=${token}`;
}

interface Sent {
  status: number;
  location: string | null;
  text: string;
}

async function send(method: string, pathAndQuery: string, opts: { cookie?: string; bearer?: string; origin?: string; body?: unknown } = {}): Promise<Sent> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.origin) headers.origin = opts.origin;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(server.url + pathAndQuery, {
    method, headers, redirect: "manual", body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, location: res.headers.get("location"), text: await res.text() };
}

/** As Alice (or another demo user) from the portal's own pages; throws unless 2xx. */
async function as(who: keyof typeof EMAILS, method: string, p: string, body?: unknown) {
  const r = await send(method, p, { cookie: cookies[who], origin: server.url, body });
  if (r.status >= 300) throw new Error(`set-up ${method} ${p} as ${who}: ${r.status} ${r.text}`);
  return r.text ? (JSON.parse(r.text) as Record<string, unknown>) : {};
}

function unsubscribeToken(userId: string, type: string): string {
  const payload = Buffer.from(JSON.stringify([userId, type])).toString("base64url");
  return `${payload}.${createHmac("sha256", SECRET).update(`unsubscribe:${payload}`).digest("base64url")}`;
}

function forge(jws: string): string {
  const [h, p, s] = jws.split(".");
  const i = Math.floor(s.length / 2);
  return `${h}.${p}.${s.slice(0, i)}${s[i] === "A" ? "B" : "A"}${s.slice(i + 1)}`;
}

beforeAll(async () => {
  server = await startProduction({
    env: {
      NEXTAUTH_SECRET: SECRET,
      PULSE_WEBHOOK_ALLOW_PRIVATE: "1",
      PULSE_RATE_LIMIT_PER_ADDRESS: "1000000",
      PULSE_RATE_LIMIT_PER_LICENSE: "1000000",
      PULSE_RATE_LIMIT_PER_TOKEN: "1000000",
      PULSE_TEST_CLOCK: undefined,
    },
  });
  db = createDb({ url: `file:${path.join(server.dataDir, "pulse.db")}` });
  for (const [who, email] of Object.entries(EMAILS)) cookies[who] = await sessionCookie(email);

  const acme = await db.organization.findFirstOrThrow({ where: { name: "Acme Cloud Services" } });
  const lastEnded = new Date();
  lastEnded.setUTCDate(1);
  lastEnded.setUTCMonth(lastEnded.getUTCMonth() - 1);
  const period = lastEnded.toISOString().slice(0, 7);

  const created = await as("admin", "POST", "/api/portal/cases", { type: "TECHNICAL", problemArea: "LICENSING", severity: 4, summary: "authz set-up", description: "" });
  const company = await as("admin", "POST", "/api/portal/companies", { name: "Matrix Co" });
  const readToken = await as("admin", "POST", "/api/portal/tokens", { name: "authz read", scope: "read", expiresInDays: 1 });
  const adminToken = await as("admin", "POST", "/api/portal/tokens", { name: "authz admin", scope: "admin", expiresInDays: 1 });
  const doomedToken = await as("admin", "POST", "/api/portal/tokens", { name: "authz doomed", scope: "read", expiresInDays: 1 });
  tokens.read = String(readToken.token);
  tokens.admin = String(adminToken.token);
  const endpoint = await as("admin", "POST", "/api/portal/webhooks", { url: "https://127.0.0.1:9/authz-a", types: ["case.updated"] });
  const doomedEndpoint = await as("admin", "POST", "/api/portal/webhooks", { url: "https://127.0.0.1:9/authz-b", types: ["case.updated"] });
  const row = await as("admin", "POST", `/api/portal/usage/${period}/rows`, { productId: "VB365", workloadType: "VB365_User", count: 4 });
  const staffContract = "08" + String(Date.now() % 1e6).padStart(6, "0");
  await as("staff", "POST", `/api/staff/organizations/${acme.id}/contracts`, { number: staffContract, type: "NO_COMMIT", startDate: new Date().toISOString().slice(0, 10) });

  const at = new Date();
  const notice = await db.notice.create({ data: { organizationId: acme.id, kind: "authz", message: "Authz matrix notice", createdAt: at } });
  const event = await db.event.create({ data: { id: `evt_authz_${Date.now()}`, key: `authz:${Date.now()}`, type: "case.updated", organizationId: acme.id, title: "Authz", link: "/support", createdAt: at } });
  const delivery = await db.webhookDelivery.create({ data: { endpointId: String(endpoint.id), organizationId: acme.id, eventId: event.id, status: "FAILED", attempts: 1, createdAt: at } });

  const globexLicense = await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" }, select: { id: true, currentVersion: true } });
  const kv = await db.keyVersion.findUniqueOrThrow({ where: { licenseId_version: { licenseId: globexLicense.id, version: globexLicense.currentVersion } } });
  let reports = 0;
  ids = {
    acmeOrganizationId: acme.id,
    license: "LIC-ACME1-00001",
    revokeLicense: "LIC-ACME1-00002",
    caseNumber: Number((created as { number: number }).number),
    companyId: String(company.id),
    contract: "02553275",
    staffContract,
    tokenToDelete: String(doomedToken.id),
    endpointId: String(endpoint.id),
    endpointToDelete: String(doomedEndpoint.id),
    deliveryId: delivery.id,
    noticeId: notice.id,
    period,
    rowId: String((row as { id?: string; row?: { id: string } }).id ?? (row as { row: { id: string } }).row.id),
    currentPeriod: new Date().toISOString().slice(0, 7),
    unsubscribeToken: unsubscribeToken(userIds[EMAILS.admin], "case.updated"),
    otherKey: kv.jws,
    forgedKey: forge(kv.jws),
    reportId: () => `authz-${Date.now().toString(36)}-${reports++}`,
  };
}, 600_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

interface Call {
  file: string;
  method: Method;
  caller: Caller;
  cell: Cell | null;
  expected: Expected;
  path: string;
}

function request(c: Call): Promise<Sent> {
  const product = c.file.startsWith("app/api/v1/");
  const key = c.caller === "otherKey" ? ids.otherKey : ids.forgedKey;
  const body = c.cell?.body?.(ids, key) ?? (c.method === "GET" || c.method === "DELETE" || !c.cell ? undefined : undefined);
  const session = (who: keyof typeof EMAILS) => ({ cookie: cookies[who], origin: c.method === "GET" ? undefined : server.url });
  switch (c.caller) {
    case "anonymous":
      return send(c.method, c.path, { body });
    case "admin":
    case "viewer":
    case "otherAdmin":
    case "staff":
      return send(c.method, c.path, { ...session(c.caller), body });
    case "readToken":
      return send(c.method, c.path, { bearer: tokens.read, body });
    case "adminToken":
      return send(c.method, c.path, { bearer: tokens.admin, body });
    case "otherKey":
      return send(c.method, c.path, { bearer: product ? undefined : ids.otherKey, body });
    case "crossOrigin":
      return send(c.method, c.path, { cookie: cookies[c.cell?.crossOriginAs ?? "admin"], origin: EVIL, body });
  }
}

function matches(expected: Expected, got: Sent): boolean {
  if (expected === "login") return got.status === 307 && /\/login(\?|$)/.test(new URL(got.location ?? "/", server.url).pathname + "?");
  return got.status === expected;
}

const refused = (e: Expected) => e === "login" || e >= 400;

async function pool<T>(items: T[], n: number, work: (t: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

describe("authorization matrix against the production build", () => {
  it("answers every route x caller cell as the matrix says; refused calls change nothing", async () => {
    const calls: Call[] = [];
    for (const route of routeFiles()) {
      const entry = MATRIX[route.file];
      expect(entry, `${route.file} has no entry in test/authz/matrix.ts`).toBeDefined();
      for (const [method, cell] of Object.entries(entry.methods) as [Method, Cell][]) {
        for (const caller of CALLERS) calls.push({ file: route.file, method, caller, cell, expected: cell.expect[caller], path: cell.path(ids) });
      }
      if (route.kind === "api") {
        const anyPath = Object.values(entry.methods)[0]!.path(ids);
        for (const method of METHODS.filter((m) => !(m in entry.methods))) {
          for (const caller of ["anonymous", "admin"] as const) calls.push({ file: route.file, method, caller, cell: null, expected: entry.unexported ?? 405, path: anyPath });
        }
      }
    }
    const failures: string[] = [];
    const check = async (c: Call) => {
      const got = await request(c);
      if (!matches(c.expected, got)) failures.push(`${c.method} ${c.path} (${c.file}) as ${c.caller}: expected ${c.expected}, got ${got.status}${got.location ? ` -> ${got.location}` : ""} ${got.text.slice(0, 160).replace(/\s+/g, " ")}`);
    };

    const before = await stateHashes(db, { exceptTokenCalls: true });
    await pool(calls.filter((c) => refused(c.expected)), CONCURRENCY, check);
    const after = await stateHashes(db, { exceptTokenCalls: true });

    const allowed = calls.filter((c) => !refused(c.expected));
    await pool(allowed.filter((c) => c.method === "GET"), CONCURRENCY, check);
    const writes = allowed.filter((c) => c.method !== "GET").sort((a, b) => (a.cell?.order ?? 0) - (b.cell?.order ?? 0));
    for (const c of writes) await check(c);

    console.log(`authz matrix: ${routeFiles().length} route files, ${calls.length} calls (${calls.length - allowed.length} refused, ${allowed.length} allowed)`);
    const changed = Object.keys(before).filter((model) => before[model] !== after[model]);
    expect({ failures, changedByRefusedCalls: changed }).toEqual({ failures: [], changedByRefusedCalls: [] });
  }, 600_000);
});

describe("malformed path parameters of pages and API routes, through the production server's URL decoding", () => {
  // Malformed percent-encoding, U+0000, overlong and unknown ids: "not found", never a 5xx.
  const BAD = ["%E0%A4%A", "%00", "%", "x".repeat(300), "..%2F..%2Fetc%2Fpasswd", "%F0%9F%98%80", "-1", "abc"];
  const PAGES: [string, (bad: string) => string, "admin" | "staff"][] = [
    ["license page", (b) => `/licenses/${b}`, "admin"],
    ["case page", (b) => `/support/${b}`, "admin"],
    ["usage page", (b) => `/usage/${b}`, "admin"],
    ["staff case page", (b) => `/staff/cases/${b}`, "staff"],
    ["license API", (b) => `/api/portal/licenses/${b}`, "admin"],
    ["key API", (b) => `/api/portal/licenses/${b}/key`, "admin"],
    ["case API", (b) => `/api/portal/cases/${b}`, "admin"],
    ["usage API", (b) => `/api/portal/usage/${b}`, "admin"],
    ["staff case API", (b) => `/api/staff/cases/${b}`, "staff"],
    ["company API (PATCH)", (b) => `/api/portal/companies/${b}`, "admin"],
  ];

  it("answer 400 or 404 (a well-formed period with no report may render), never 5xx", async () => {
    const failures: string[] = [];
    const calls = PAGES.flatMap(([name, path, who]) => BAD.map((bad) => ({ name, p: path(bad), who, method: name.includes("PATCH") ? "PATCH" : "GET" })));
    calls.push(...["1900-01", "9999-12", "2026-13", "0000-01"].map((period) => ({ name: "usage page", p: `/usage/${period}`, who: "admin" as const, method: "GET" })));
    await pool(calls, CONCURRENCY, async (c) => {
      const got = await send(c.method, c.p, { cookie: cookies[c.who], origin: c.method === "GET" ? undefined : server.url, body: c.method === "PATCH" ? { name: "x" } : undefined });
      const shapedPeriod = /^\/usage\/\d{4}-(0[1-9]|1[0-2])$/.test(c.p);
      const ok = shapedPeriod ? got.status < 500 : got.status === 404 || got.status === 400;
      if (!ok) failures.push(`${c.method} ${c.p.slice(0, 80)} (${c.name}) as ${c.who}: ${got.status} ${got.text.slice(0, 120).replace(/\s+/g, " ")}`);
    });
    expect(failures).toEqual([]);
    expect(server.output()).not.toMatch(/URIError|TypeError|Unhandled error/);
  }, 300_000);
});
