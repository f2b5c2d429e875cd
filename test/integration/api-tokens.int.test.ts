// API tokens (PRODUCT-API.md, "API tokens"): the matrix of who may do what with which token, on
// the real route handlers, and the token's secret nowhere after its creation.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as activityRoute } from "@/app/api/portal/activity/route";
import { GET as keyRoute } from "@/app/api/portal/licenses/[licenseId]/key/route";
import { GET as detailRoute, PATCH as patchRoute } from "@/app/api/portal/licenses/[licenseId]/route";
import { GET as listRoute, POST as createLicenseRoute } from "@/app/api/portal/licenses/route";
import { GET as portalOpenApiRoute } from "@/app/api/portal/openapi.json/route";
import { DELETE as revokeRoute } from "@/app/api/portal/tokens/[id]/route";
import { GET as tokensRoute, POST as createRoute } from "@/app/api/portal/tokens/route";
import { GET as usageRoute } from "@/app/api/portal/usage/route";
import { getDb } from "@/lib/db";
import { apiTokenCreatedSchema, apiTokenListSchema } from "@/lib/schemas/api-tokens";
import { call, DEMO, request } from "../helpers";

const GLOBEX = "LIC-GLBX1-00001";
const bearer = (token: string, headers: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${token}`, ...headers } });

async function createToken(as: string, scope: "read" | "admin", name = `script ${scope} ${Math.random().toString(36).slice(2, 8)}`) {
  const res = await call(createRoute, await request("POST", "/api/portal/tokens", { as, body: { name, scope, expiresInDays: 30 } }));
  expect(res.status, res.text).toBe(201);
  return apiTokenCreatedSchema.parse(res.json);
}

// Every line the code under test logs, to search for secrets.
const logged: string[] = [];
const spies: { mockRestore(): void }[] = [];
beforeAll(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    spies.push(vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))));
  }
});
afterAll(() => spies.forEach((s) => s.mockRestore()));

describe("creating tokens", () => {
  it("a signed-in admin creates one: 201 with the token once, pulse_pat_ and 43 random characters", async () => {
    const t = await createToken(DEMO.bob, "read", "Billing export");
    expect(t.token).toMatch(/^pulse_pat_[A-Za-z0-9_-]{43}$/);
    expect(t.name).toBe("Billing export");
    expect(new Date(t.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const list = apiTokenListSchema.parse((await call(tokensRoute, await request("GET", "/api/portal/tokens", { as: DEMO.bob }))).json);
    const listed = list.items.find((i) => i.id === t.id);
    expect(listed).toMatchObject({ name: "Billing export", scope: "read", status: "active", lastUsedAt: null, createdBy: DEMO.bob });
    expect(JSON.stringify(list)).not.toContain(t.token.slice(10));
  });

  it("a viewer gets 403, no session 401, a token 401 (tokens cannot create tokens)", async () => {
    const body = { name: "x", scope: "admin", expiresInDays: 30 };
    expect((await call(createRoute, await request("POST", "/api/portal/tokens", { as: DEMO.victor, body }))).status).toBe(403);
    expect((await call(createRoute, await request("POST", "/api/portal/tokens", { body }))).status).toBe(401);
    const admin = await createToken(DEMO.alice, "admin");
    expect((await call(createRoute, await request("POST", "/api/portal/tokens", { body, ...bearer(admin.token) }))).status).toBe(401);
    expect((await call(tokensRoute, await request("GET", "/api/portal/tokens", bearer(admin.token)))).status).toBe(401);
    expect((await call(revokeRoute, await request("DELETE", `/api/portal/tokens/${admin.id}`, bearer(admin.token)), { id: admin.id })).status).toBe(401);
  });

  it("refuses a bad scope, a name missing, and an expiry outside 1..365 days with 400", async () => {
    for (const body of [
      { name: "x", scope: "write", expiresInDays: 30 },
      { name: " ", scope: "read", expiresInDays: 30 },
      { name: "x", scope: "read", expiresInDays: 0 },
      { name: "x", scope: "read", expiresInDays: 366 },
      { name: "x", scope: "read", expiresInDays: 1.5 },
    ]) {
      const res = await call(createRoute, await request("POST", "/api/portal/tokens", { as: DEMO.bob, body }));
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const days of [1, 365]) expect((await call(createRoute, await request("POST", "/api/portal/tokens", { as: DEMO.bob, body: { name: "edge", scope: "read", expiresInDays: days } }))).status).toBe(201);
  });
});

describe("calling the stable endpoints with a token", () => {
  it("read token: the list, a license and its key are 200; PATCH is 403 and changes nothing", async () => {
    const t = await createToken(DEMO.bob, "read");
    const list = await call(listRoute, await request("GET", "/api/portal/licenses?pageSize=5", bearer(t.token)));
    expect(list.status, list.text).toBe(200);
    expect(list.json.total).toBeGreaterThan(0);
    expect((await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX}/key`, bearer(t.token)), { licenseId: GLOBEX })).text).toMatch(/^ey.+\n$/);
    const before = await getDb().license.findUniqueOrThrow({ where: { licenseId: GLOBEX }, select: { currentVersion: true, autoReported: true } });
    const patch = await call(patchRoute, await request("PATCH", `/api/portal/licenses/${GLOBEX}`, { body: { autoReported: !before.autoReported }, ...bearer(t.token) }), { licenseId: GLOBEX });
    expect(patch.status).toBe(403);
    expect(patch.json.detail).toMatch(/read token/);
    const after = await getDb().license.findUniqueOrThrow({ where: { licenseId: GLOBEX }, select: { currentVersion: true, autoReported: true } });
    expect(after).toEqual(before);
  });

  it("admin token: PATCH is 200, audited with the token's name; POST to create a license stays refused", async () => {
    const t = await createToken(DEMO.bob, "admin", "RMM sync");
    const off = await call(patchRoute, await request("PATCH", `/api/portal/licenses/${GLOBEX}`, { body: { autoReported: false }, ...bearer(t.token) }), { licenseId: GLOBEX });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ licenseId: GLOBEX, autoReported: false });
    const change = await getDb().auditEvent.findFirstOrThrow({ where: { action: "license.auto_reported_off", targetId: GLOBEX }, orderBy: { at: "desc" } });
    expect(change).toMatchObject({ actorType: "TOKEN", actorLabel: 'API token "RMM sync"', actorUserId: null });
    const v = await getDb().keyVersion.findFirstOrThrow({ where: { license: { licenseId: GLOBEX } }, orderBy: { version: "desc" } });
    expect(v.issuedById).toBeNull();
    // Only the stable endpoints take tokens: every other portal route answers 401.
    expect((await call(createLicenseRoute, await request("POST", "/api/portal/licenses", { body: {}, ...bearer(t.token) }))).status).toBe(401);
    expect((await call(detailRoute, await request("GET", `/api/portal/licenses/${GLOBEX}`, bearer(t.token)), { licenseId: GLOBEX })).status).toBe(401);
    expect((await call(usageRoute, await request("GET", "/api/portal/usage", bearer(t.token)))).status).toBe(401);
    expect((await call(activityRoute, await request("GET", "/api/portal/activity", bearer(t.token)))).status).toBe(401);
  });

  it("a token from another site's page (Origin) is refused on PATCH with 403", async () => {
    const t = await createToken(DEMO.bob, "admin");
    const res = await call(patchRoute, await request("PATCH", `/api/portal/licenses/${GLOBEX}`, { body: { autoReported: false }, ...bearer(t.token, { origin: "https://evil.example" }) }), { licenseId: GLOBEX });
    expect(res.status).toBe(403);
  });

  it("another organization's license is 404 to a token; the owner's token gets it", async () => {
    const acme = await createToken(DEMO.alice, "admin");
    const globex = await createToken(DEMO.bob, "read");
    expect((await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX}/key`, bearer(acme.token)), { licenseId: GLOBEX })).status).toBe(404);
    expect((await call(patchRoute, await request("PATCH", `/api/portal/licenses/${GLOBEX}`, { body: { autoReported: true }, ...bearer(acme.token) }), { licenseId: GLOBEX })).status).toBe(404);
    const acmeList = await call(listRoute, await request("GET", `/api/portal/licenses?query=${GLOBEX}`, bearer(acme.token)));
    expect(acmeList.json.total).toBe(0);
    expect((await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX}/key`, bearer(globex.token)), { licenseId: GLOBEX })).status).toBe(200);
  });

  it("expired, revoked, unknown and malformed tokens are 401", async () => {
    const expired = await createToken(DEMO.bob, "admin");
    await getDb().apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const revoked = await createToken(DEMO.bob, "admin");
    expect((await call(revokeRoute, await request("DELETE", `/api/portal/tokens/${revoked.id}`, { as: DEMO.bob }), { id: revoked.id })).status).toBe(204);
    const live = await createToken(DEMO.bob, "read");
    const unknown = `pulse_pat_${"x".repeat(43)}`;
    const wrongTail = live.token.slice(0, -4) + (live.token.endsWith("AAAA") ? "BBBB" : "AAAA"); // the lookup matches, the hash does not
    for (const [what, header] of [
      ["expired", `Bearer ${expired.token}`],
      ["revoked", `Bearer ${revoked.token}`],
      ["unknown", `Bearer ${unknown}`],
      ["same lookup, other secret", `Bearer ${wrongTail}`],
      ["malformed token", "Bearer pulse_pat_short"],
      ["not bearer", `Basic ${Buffer.from("a:b").toString("base64")}`],
      ["empty bearer", "Bearer "],
    ]) {
      const res = await call(listRoute, await request("GET", "/api/portal/licenses", { headers: { authorization: header } }));
      expect(res.status, what).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    const statuses = apiTokenListSchema.parse((await call(tokensRoute, await request("GET", "/api/portal/tokens", { as: DEMO.bob }))).json).items;
    expect(statuses.find((s) => s.id === expired.id)?.status).toBe("expired");
    expect(statuses.find((s) => s.id === revoked.id)?.status).toBe("revoked");
    expect((await call(listRoute, await request("GET", "/api/portal/licenses", bearer(live.token)))).status).toBe(200);
  });

  it("every call is audited with the token's name and sets lastUsedAt", async () => {
    const t = await createToken(DEMO.bob, "read", "Nightly report");
    await call(listRoute, await request("GET", "/api/portal/licenses?query=GLBX", bearer(t.token)));
    await call(patchRoute, await request("PATCH", `/api/portal/licenses/${GLOBEX}`, { body: { autoReported: true }, ...bearer(t.token) }), { licenseId: GLOBEX });
    const calls = await getDb().auditEvent.findMany({ where: { action: "api_token.call", actorLabel: 'API token "Nightly report"' }, orderBy: { at: "asc" } });
    expect(calls.map((c) => [c.targetId, JSON.parse(c.after ?? "{}").status])).toEqual([["GET /api/portal/licenses", 200], [`PATCH /api/portal/licenses/${GLOBEX}`, 403]]);
    expect(calls.every((c) => c.actorType === "TOKEN" && c.organizationId !== null)).toBe(true);
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("is rate-limited per token: over the limit, 429 with Retry-After; another token is not affected", async () => {
    process.env.PULSE_RATE_LIMIT_PER_TOKEN = "3";
    try {
      const a = await createToken(DEMO.bob, "read");
      const b = await createToken(DEMO.bob, "read");
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(listRoute, await request("GET", "/api/portal/licenses?pageSize=1", bearer(a.token)))).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const last = await call(listRoute, await request("GET", "/api/portal/licenses?pageSize=1", bearer(a.token)));
      expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await call(listRoute, await request("GET", "/api/portal/licenses?pageSize=1", bearer(b.token)))).status).toBe(200);
    } finally {
      delete process.env.PULSE_RATE_LIMIT_PER_TOKEN;
    }
  });
});

describe("revoking", () => {
  it("204 for the owner's admin; another organization's token is 404 and keeps working; a viewer gets 403", async () => {
    const t = await createToken(DEMO.bob, "read");
    expect((await call(revokeRoute, await request("DELETE", `/api/portal/tokens/${t.id}`, { as: DEMO.alice }), { id: t.id })).status).toBe(404);
    expect((await call(revokeRoute, await request("DELETE", `/api/portal/tokens/${t.id}`, { as: DEMO.victor }), { id: t.id })).status).toBe(403);
    expect((await call(listRoute, await request("GET", "/api/portal/licenses", bearer(t.token)))).status).toBe(200);
    const acmeList = apiTokenListSchema.parse((await call(tokensRoute, await request("GET", "/api/portal/tokens", { as: DEMO.victor }))).json);
    expect(acmeList.items.some((i) => i.id === t.id)).toBe(false);
    const res = await call(revokeRoute, await request("DELETE", `/api/portal/tokens/${t.id}`, { as: DEMO.bob }), { id: t.id });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await call(revokeRoute, await request("DELETE", `/api/portal/tokens/${t.id}`, { as: DEMO.bob }), { id: t.id })).status).toBe(204);
    expect((await call(listRoute, await request("GET", "/api/portal/licenses", bearer(t.token)))).status).toBe(401);
    const audit = await getDb().auditEvent.findMany({ where: { action: "api_token.revoked", before: { contains: t.id } } });
    expect(audit).toHaveLength(1);
  });
});

describe("the token's secret after creation", () => {
  it("is in no answer, no log line, no audit row and no database column", async () => {
    const t = await createToken(DEMO.bob, "admin", "Secret search");
    const secret = t.token.slice("pulse_pat_".length);
    const answers: string[] = [];
    const keep = (r: { text: string; headers: Headers }) => answers.push(r.text, JSON.stringify([...r.headers.entries()]));
    keep(await call(listRoute, await request("GET", "/api/portal/licenses", bearer(t.token))));
    keep(await call(patchRoute, await request("PATCH", `/api/portal/licenses/${GLOBEX}`, { body: { autoReported: true }, ...bearer(t.token) }), { licenseId: GLOBEX }));
    keep(await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX}/key`, bearer(t.token)), { licenseId: GLOBEX }));
    keep(await call(tokensRoute, await request("GET", "/api/portal/tokens", { as: DEMO.bob })));
    keep(await call(activityRoute, await request("GET", "/api/portal/activity?pageSize=200", { as: DEMO.bob })));
    keep(await call(revokeRoute, await request("DELETE", `/api/portal/tokens/${t.id}`, { as: DEMO.bob }), { id: t.id }));
    keep(await call(listRoute, await request("GET", "/api/portal/licenses", bearer(t.token))));
    // 16 characters of the secret anywhere would be a leak (the row's lookup holds the first 12).
    const needles = [t.token, secret, secret.slice(12, 28), secret.slice(-16)];
    const haystacks = {
      answers: answers.join("\n"),
      logs: logged.join("\n"),
      audit: JSON.stringify(await getDb().auditEvent.findMany()),
      tokens: JSON.stringify(await getDb().apiToken.findMany()),
    };
    for (const [where, text] of Object.entries(haystacks)) for (const n of needles) expect(text.includes(n), `${where} contains the secret`).toBe(false);
  });
});

describe("the portal's OpenAPI document", () => {
  it("lists the stable endpoints and the token endpoints, with the Bearer scheme, from the zod schemas", async () => {
    const res = await call(portalOpenApiRoute, await request("GET", "/api/portal/openapi.json"));
    expect(res.status).toBe(200);
    const doc = res.json as unknown as { paths: Record<string, Record<string, { security?: unknown[] }>>; components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { required?: string[] }> } };
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/portal/licenses", "/api/portal/licenses/{licenseId}", "/api/portal/licenses/{licenseId}/key", "/api/portal/tokens", "/api/portal/tokens/{id}"]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/api/portal/licenses"].get.security).toEqual([{ session: [] }, { bearer: [] }]);
    expect(doc.paths["/api/portal/tokens"].post.security).toEqual([{ session: [] }]);
    expect(doc.components.schemas.ApiTokenCreated.required?.sort()).toEqual(["expiresAt", "id", "name", "scope", "token"]);
  });
});
