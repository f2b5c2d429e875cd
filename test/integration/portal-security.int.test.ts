// Portal security of the route wrappers: the Origin check against the configured origin, and
// sessions that end (sign-out, role change) through the per-user session version.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as listLicenses } from "@/app/api/portal/licenses/route";
import { GET as staffOrganizations } from "@/app/api/staff/organizations/route";
import { getDb } from "@/lib/db";
import { providerRoute } from "@/lib/http/route";
import { changeUserRole, endSessions } from "@/lib/server/sessions";
import { call, DEMO, request, sessionCookie } from "../helpers";

const echo = providerRoute("license:create", { body: z.object({ name: z.string() }) }, async ({ body }) => ({ name: body.name }));
// Over https, next-auth names the session cookie __Secure-next-auth.session-token.
const post = async (headers: Record<string, string>) => {
  const cookie = await sessionCookie(DEMO.alice);
  const secure = process.env.NEXTAUTH_URL?.startsWith("https:");
  return request("POST", "/x", { body: { name: "a" }, headers: { cookie: secure ? `__Secure-${cookie}` : cookie, ...headers } });
};

describe("the Origin check", () => {
  const saved = process.env.NEXTAUTH_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.NEXTAUTH_URL;
    else process.env.NEXTAUTH_URL = saved;
  });

  it("refuses another host, port or scheme, Origin: null and a spoofed X-Forwarded-Host with 403, and accepts the configured origin", async () => {
    process.env.NEXTAUTH_URL = "https://pulse.example.com";
    const refused: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://pulse.example.com:8443" },
      { origin: "http://pulse.example.com" },
      { origin: "null" },
      { origin: "not a url" },
      // The client chooses Host and X-Forwarded-Host: they never make an Origin the portal's.
      { origin: "https://evil.example", "x-forwarded-host": "evil.example", host: "evil.example" },
    ];
    for (const headers of refused) {
      const res = await call(echo, await post(headers));
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.json.detail).toMatch(/Origin/);
    }
    const own = await call(echo, await post({ origin: "https://pulse.example.com" }));
    expect(own.status).toBe(200);
    // The default port is the same origin.
    expect((await call(echo, await post({ origin: "https://pulse.example.com:443" }))).status).toBe(200);
    // A script sends no Origin.
    expect((await call(echo, await post({}))).status).toBe(200);
  });

  it("uses http://localhost:$PORT when NEXTAUTH_URL is not set", async () => {
    delete process.env.NEXTAUTH_URL;
    expect((await call(echo, await post({ origin: "http://localhost:3000" }))).status).toBe(200);
    expect((await call(echo, await post({ origin: "http://127.0.0.1:3000" }))).status).toBe(403);
  });

  it("is applied by every state-changing portal and staff route", async () => {
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    const root = path.resolve(import.meta.dirname, "../../app/api");
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const full = path.join(dir, f);
        return statSync(full).isDirectory() ? files(full) : f === "route.ts" ? [full] : [];
      });
    let checked = 0;
    for (const file of [...files(path.join(root, "portal")), ...files(path.join(root, "staff"))]) {
      const mod = (await import(file)) as Record<string, Parameters<typeof call>[0] | undefined>;
      const as = file.includes(`${path.sep}staff${path.sep}`) ? DEMO.sam : DEMO.alice;
      const params = Object.fromEntries([...file.matchAll(/\[(\w+)\]/g)].map((m) => [m[1], "x"]));
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        const handler = mod[method];
        if (!handler) continue;
        const res = await call(handler, await request(method, "/x", { as, body: {}, headers: { origin: "https://evil.example" } }), params);
        expect(res.status, `${method} ${path.relative(root, file)}`).toBe(403);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe("session versions", () => {
  async function freshUser(role: "PROVIDER_ADMIN" | "PROVIDER_VIEWER" = "PROVIDER_ADMIN") {
    const alice = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.alice } });
    return getDb().user.create({
      data: { email: `s${Math.random().toString(36).slice(2)}@acme.test`, name: "S", passwordHash: "x", role, organizationId: alice.organizationId },
    });
  }

  it("a cookie stops working once the user's sessions are ended (sign-out), and a new sign-in works", async () => {
    const user = await freshUser();
    const cookie = await sessionCookie(user.email);
    const get = () => request("GET", "/api/portal/licenses", { headers: { cookie } });
    expect((await call(listLicenses, await get())).status).toBe(200);
    expect(await endSessions(user.id)).toBe(true);
    const replayed = await call(listLicenses, await get());
    expect(replayed.status).toBe(401);
    const fresh = await call(listLicenses, await request("GET", "/api/portal/licenses", { as: user.email }));
    expect(fresh.status).toBe(200);
    expect(await endSessions("no-such-user")).toBe(false);
  });

  it("a role change ends the user's sessions: the old cookie is refused, a new one has the new role", async () => {
    const user = await freshUser("PROVIDER_ADMIN");
    const cookie = await sessionCookie(user.email);
    const create = (c: string) => request("POST", "/x", { body: { name: "a" }, headers: { cookie: c } });
    expect((await call(echo, await create(cookie))).status).toBe(200);
    await changeUserRole(user.id, "PROVIDER_VIEWER");
    expect((await call(echo, await create(cookie))).status).toBe(401);
    const viewer = await call(echo, await create(await sessionCookie(user.email)));
    expect(viewer.status).toBe(403);
  });

  it("a staff cookie stops working after a role change too", async () => {
    const staff = await getDb().user.create({ data: { email: `st${Math.random().toString(36).slice(2)}@support.test`, name: "St", passwordHash: "x", role: "SUPPORT_STAFF" } });
    const cookie = await sessionCookie(staff.email);
    const get = () => request("GET", "/api/staff/organizations", { headers: { cookie } });
    expect((await call(staffOrganizations, await get())).status).toBe(200);
    await changeUserRole(staff.id, "SUPPORT_STAFF");
    expect((await call(staffOrganizations, await get())).status).toBe(401);
  });
});
