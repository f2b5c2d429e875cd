// The route wrappers: authentication, permissions, Origin, body limits and error mapping.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as health } from "@/app/api/health/route";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { DEFAULT_BODY_LIMIT } from "@/lib/http/body";
import { PEER_HEADER, peerStampFor } from "@/lib/http/peer-address";
import { productRoute, providerRoute, staffRoute } from "@/lib/http/route";
import { call, DEMO, request } from "../helpers";

const echo = providerRoute("license:create", { body: z.object({ name: z.string().min(1, "name is required") }) }, async ({ body, ctx }) => ({
  name: body.name,
  organizationId: ctx.actor.organizationId,
}));

describe("providerRoute", () => {
  it("lets the admin do an admin action and refuses the viewer with 403", async () => {
    const ok = await call(echo, await request("POST", "/x", { as: DEMO.alice, body: { name: "a" } }));
    expect(ok.status).toBe(200);
    expect(ok.json.name).toBe("a");
    const viewer = await call(echo, await request("POST", "/x", { as: DEMO.victor, body: { name: "a" } }));
    expect(viewer.status).toBe(403);
    expect(viewer.headers.get("content-type")).toBe("application/problem+json");
  });

  it("refuses a cross-site Origin with 403 and accepts the portal's own Origin and none at all", async () => {
    const cross = await call(echo, await request("POST", "/x", { as: DEMO.alice, body: { name: "a" }, headers: { origin: "https://evil.example" } }));
    expect(cross.status).toBe(403);
    expect(cross.json.detail).toMatch(/Origin/);
    const own = await call(echo, await request("POST", "/x", { as: DEMO.alice, body: { name: "a" }, headers: { origin: "http://localhost:3000" } }));
    expect(own.status).toBe(200);
    const script = await call(echo, await request("POST", "/x", { as: DEMO.alice, body: { name: "a" } }));
    expect(script.status).toBe(200);
  });

  it("answers a validation error with 400 and the field named", async () => {
    const res = await call(echo, await request("POST", "/x", { as: DEMO.alice, body: { name: "" } }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 400, title: "Bad Request", errors: [{ path: "name", message: "name is required" }] });
  });

  it("answers a body that is not JSON with 400", async () => {
    const res = await call(echo, await request("POST", "/x", { as: DEMO.alice, rawBody: "{not json", headers: { "content-type": "application/json" } }));
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/not valid JSON/);
  });

  it("refuses a body over 64 KiB with 413 before parsing, by Content-Length or by the stream", async () => {
    const big = JSON.stringify({ name: "x".repeat(DEFAULT_BODY_LIMIT) });
    const declared = await call(echo, await request("POST", "/x", { as: DEMO.alice, rawBody: big, headers: { "content-length": String(big.length) } }));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(8 * 1024)));
        controller.close();
      },
    });
    const req = await request("POST", "/x", { as: DEMO.alice });
    const streamed = await call(echo, new (req.constructor as typeof Request)(req.url, { method: "POST", headers: req.headers, body: stream, duplex: "half" } as RequestInit) as never);
    expect(streamed.status).toBe(413);
  });

  it("maps an unexpected error to a 500 problem without a stack trace", async () => {
    const boom = providerRoute("license:read", {}, async () => {
      throw new Error("secret internals at /work/main/lib/x.ts:12");
    });
    const res = await call(boom, await request("GET", "/x", { as: DEMO.alice }));
    expect(res.status).toBe(500);
    expect(res.text).not.toMatch(/secret internals|\.ts:|at /);
    expect(res.json.title).toBe("Internal Server Error");
  });

  it("answers 401 without a session, and for the session of a user deleted since", async () => {
    const none = await call(echo, await request("POST", "/x", { body: { name: "a" } }));
    expect(none.status).toBe(401);
    expect(none.json.detail).toMatch(/Sign in first/);
    const alice = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.alice } });
    const gone = await getDb().user.create({
      data: { email: "gone@acme.test", name: "Gone", passwordHash: "x", role: "PROVIDER_ADMIN", organizationId: alice.organizationId },
    });
    const req = await request("POST", "/x", { as: gone.email, body: { name: "a" } });
    await getDb().user.delete({ where: { id: gone.id } });
    const deleted = await call(echo, req);
    expect(deleted.status).toBe(401);
    expect(deleted.json.detail).toMatch(/no longer valid/);
  });

  it("maps AppError codes to their statuses", async () => {
    const conflict = providerRoute("license:read", {}, async () => {
      throw new AppError("CONFLICT", "already submitted");
    });
    const res = await call(conflict, await request("GET", "/x", { as: DEMO.alice }));
    expect(res.status).toBe(409);
    expect(res.json.detail).toBe("already submitted");
  });
});

describe("staffRoute", () => {
  it("lets support staff in and answers providers 404", async () => {
    const route = staffRoute("staff:cases", {}, async () => ({ ok: true }));
    expect((await call(route, await request("GET", "/x", { as: DEMO.sam }))).status).toBe(200);
    expect((await call(route, await request("GET", "/x", { as: DEMO.alice }))).status).toBe(404);
  });
});

describe("productRoute", () => {
  const route = productRoute({ body: z.object({ licenseKey: z.string(), installationId: z.string().default("vbr-x") }) }, async () => ({ reached: true }));

  it("refuses every license key while no key can verify (401), and malformed bodies with 400", async () => {
    const res = await call(route, await request("POST", "/x", { body: { licenseKey: "eyJhbGciOiJFZERTQSJ9.e30.sig" } }));
    expect(res.status).toBe(401);
    expect((await call(route, await request("POST", "/x", { body: { nope: 1 } }))).status).toBe(400);
  });

  it("limits requests per client address (the socket's peer) with 429 and Retry-After; X-Forwarded-For picks no bucket", async () => {
    process.env.PULSE_RATE_LIMIT_PER_ADDRESS = "3";
    try {
      const from = (peer: string, forwardedFor?: string) =>
        request("POST", "/x", { body: { licenseKey: "k" }, headers: { [PEER_HEADER]: peerStampFor(peer), ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) } });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        // A different X-Forwarded-For each time: without trusted proxies it changes nothing.
        const res = await call(route, await from("198.51.100.7", `203.0.113.${i}`));
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get("retry-after");
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Another address is not limited.
      const other = await call(route, await from("198.51.100.8"));
      expect(other.status).toBe(401);
    } finally {
      delete process.env.PULSE_RATE_LIMIT_PER_ADDRESS;
    }
  });
});

describe("GET /api/health", () => {
  it("answers 200 ok when the database answers", async () => {
    const res = await call(health, await request("GET", "/api/health"));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
  });

  it("answers 503 when the database cannot be read", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "file:/nonexistent-folder/for/sure/pulse.db";
    try {
      const res = await call(health, await request("GET", "/api/health"));
      expect(res.status).toBe(503);
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });
});
