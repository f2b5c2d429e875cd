import http from "node:http";
import type { AddressInfo } from "node:net";
import type { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { createAdmission, decide, guardProductApiAtTheSocket, overloadConfig, requestPath, withAdmission, DEFAULT_MAX_INFLIGHT, PRODUCT_API_PATHS, type OverloadConfig } from "./overload";

const config: OverloadConfig = { maxInflight: 2, maxLagMs: 0, retryAfterBaseSeconds: 2 };
const req = new Request("http://127.0.0.1/api/v1/usage/reports", { method: "POST", body: "{}" }) as unknown as NextRequest;
const route = { params: Promise.resolve({}) };

describe("decide", () => {
  it("admits below the in-flight bound and sheds at it", () => {
    expect(decide({ inflight: 0, lagMs: 0 }, config, 0)).toEqual({ admit: true });
    expect(decide({ inflight: 1, lagMs: 0 }, config, 0)).toEqual({ admit: true });
    expect(decide({ inflight: 2, lagMs: 0 }, config, 0)).toEqual({ admit: false, reason: "inflight", retryAfter: 2 });
    expect(decide({ inflight: 7, lagMs: 0 }, config, 0)).toMatchObject({ admit: false, reason: "inflight" });
  });

  it("never sheds when the bound is off (0)", () => {
    expect(decide({ inflight: 100_000, lagMs: 10_000 }, { ...config, maxInflight: 0 }, 0.5)).toEqual({ admit: true });
  });

  it("sheds on event loop lag only when a threshold is set", () => {
    const withLag = { ...config, maxInflight: 0, maxLagMs: 50 };
    expect(decide({ inflight: 0, lagMs: 50 }, withLag, 0)).toEqual({ admit: true });
    expect(decide({ inflight: 0, lagMs: 51 }, withLag, 0)).toEqual({ admit: false, reason: "lag", retryAfter: 2 });
  });

  it("spreads Retry-After over [base, 2 * base] whole seconds, at least 1", () => {
    const values = [0, 0.25, 0.5, 0.999, 1, -3, 7].map((r) => {
      const d = decide({ inflight: 2, lagMs: 0 }, config, r);
      return d.admit ? -1 : d.retryAfter;
    });
    expect(values).toEqual([2, 3, 3, 4, 4, 2, 4]);
    const tiny = decide({ inflight: 2, lagMs: 0 }, { ...config, retryAfterBaseSeconds: 0 }, 0);
    expect(tiny).toMatchObject({ admit: false, retryAfter: 1 });
  });
});

describe("createAdmission", () => {
  it("bounds the requests in flight and admits again after a release", () => {
    const gate = createAdmission(config, () => 0, () => 0);
    const a = gate.tryEnter();
    const b = gate.tryEnter();
    expect(a.admitted && b.admitted).toBe(true);
    expect(gate.inflight()).toBe(2);
    const c = gate.tryEnter();
    expect(c).toEqual({ admitted: false, reason: "inflight", retryAfter: 2 });
    expect(gate.shed()).toEqual({ inflight: 1, lag: 0 });
    if (a.admitted) a.release();
    expect(gate.inflight()).toBe(1);
    expect(gate.tryEnter().admitted).toBe(true);
  });

  it("counts a ticket released twice once, and never goes below zero", () => {
    const gate = createAdmission(config);
    const a = gate.tryEnter();
    if (!a.admitted) throw new Error("expected admission");
    a.release();
    a.release();
    expect(gate.inflight()).toBe(0);
    const b = gate.tryEnter();
    const c = gate.tryEnter();
    expect(b.admitted && c.admitted).toBe(true);
    expect(gate.inflight()).toBe(2);
  });

  it("asks for the lag only when a lag threshold is set", () => {
    let asked = 0;
    createAdmission(config, () => ++asked).tryEnter();
    expect(asked).toBe(0);
    const lagging = createAdmission({ ...config, maxInflight: 0, maxLagMs: 10 }, () => 11);
    expect(lagging.tryEnter()).toMatchObject({ admitted: false, reason: "lag" });
    expect(lagging.inflight()).toBe(0);
  });
});

describe("withAdmission", () => {
  it("answers a shed request at once with 503, Retry-After and a problem document, without calling the handler", async () => {
    const gate = createAdmission({ ...config, maxInflight: 1 }, () => 0, () => 0);
    let release!: () => void;
    let calls = 0;
    const handler = withAdmission(
      undefined,
      async () => {
        calls++;
        await new Promise<void>((r) => (release = r));
        return new Response("ok", { status: 201 });
      },
      () => gate,
    );
    const first = handler(req, route);
    const shed = await handler(req, route);
    expect(shed.status).toBe(503);
    expect(shed.headers.get("Retry-After")).toBe("2");
    expect(shed.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await shed.json()).toMatchObject({ status: 503, title: "Service Unavailable" });
    expect(calls).toBe(1);
    release();
    expect((await first).status).toBe(201);
    expect(gate.inflight()).toBe(0);
    const again = handler(req, route); // admitted once the first is done
    expect(calls).toBe(2);
    release();
    expect((await again).status).toBe(201);
  });

  it("gives a shed request the endpoint's own failure answer when it has one", async () => {
    const gate = createAdmission({ ...config, maxInflight: 1 }, () => 0, () => 0);
    gate.tryEnter(); // one held for the whole test
    const seen: unknown[] = [];
    const handler = withAdmission(
      (error, at) => {
        seen.push(error);
        return Response.json({ result: "GenerationFailed", checkedAt: at.toISOString() }, { status: 503, headers: { "Retry-After": "86400" } });
      },
      async () => new Response("not reached"),
      () => gate,
    );
    const res = await handler(req, route);
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("86400");
    expect(await res.json()).toMatchObject({ result: "GenerationFailed" });
    expect(seen).toHaveLength(1);
    expect((seen[0] as Error).name).toBe("OverloadedError");
  });

  it("releases the slot when the handler throws", async () => {
    const gate = createAdmission({ ...config, maxInflight: 1 });
    const handler = withAdmission(
      undefined,
      async () => {
        throw new Error("boom");
      },
      () => gate,
    );
    await expect(handler(req, route)).rejects.toThrow("boom");
    expect(gate.inflight()).toBe(0);
    await expect(handler(req, route)).rejects.toThrow("boom"); // admitted again, not shed
    expect(gate.shed()).toEqual({ inflight: 0, lag: 0 });
  });
});

describe("overloadConfig", () => {
  it("reads PULSE_MAX_INFLIGHT and PULSE_MAX_EVENT_LOOP_LAG_MS, with 0 meaning off and nonsense meaning the default", () => {
    expect(overloadConfig({})).toMatchObject({ maxInflight: DEFAULT_MAX_INFLIGHT, maxLagMs: 0 });
    expect(overloadConfig({ PULSE_MAX_INFLIGHT: "0" }).maxInflight).toBe(0);
    expect(overloadConfig({ PULSE_MAX_INFLIGHT: "8", PULSE_MAX_EVENT_LOOP_LAG_MS: "40" })).toMatchObject({ maxInflight: 8, maxLagMs: 40 });
    expect(overloadConfig({ PULSE_MAX_INFLIGHT: "-1" }).maxInflight).toBe(DEFAULT_MAX_INFLIGHT);
    expect(overloadConfig({ PULSE_MAX_INFLIGHT: "many" }).maxInflight).toBe(DEFAULT_MAX_INFLIGHT);
  });
});

describe("guardProductApiAtTheSocket", () => {
  it("sheds product API requests on the node:http server before its handler runs, lets the rest through, and releases on close", async () => {
    const gate = createAdmission({ ...config, maxInflight: 1 }, () => 0, () => 0);
    const uninstall = guardProductApiAtTheSocket(() => gate);
    const held: (() => void)[] = [];
    let handled = 0;
    const server = http.createServer((req, res) => {
      handled++;
      if (req.url === "/api/v1/usage/reports") held.push(() => res.writeHead(201).end("{}"));
      else res.writeHead(200).end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (p: string, body: object = {}) => fetch(base + p, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    try {
      const first = post("/api/v1/usage/reports");
      while (held.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(gate.inflight()).toBe(1);

      const shed = await post("/api/v1/usage/reports");
      expect(shed.status).toBe(503);
      expect(shed.headers.get("Retry-After")).toBe("2");
      expect(shed.headers.get("Content-Type")).toBe("application/problem+json");
      expect(await shed.json()).toMatchObject({ status: 503, title: "Service Unavailable" });

      const update = await post("/api/v1/license/update");
      expect(update.status).toBe(503);
      expect(update.headers.get("Retry-After")).toBe("86400");
      expect(await update.json()).toMatchObject({ result: "GenerationFailed", message: "General license key generation error has occurred" });

      // Not the product API: never shed.
      expect((await fetch(base + "/login")).status).toBe(200);
      expect((await post("/api/portal/something")).status).toBe(200);
      expect(handled).toBe(3); // the held report, /login and the portal POST: the shed ones never reached the handler

      held[0]();
      expect((await first).status).toBe(201);
      while (gate.inflight() > 0) await new Promise((r) => setTimeout(r, 5));
      const again = post("/api/v1/usage/reports");
      while (held.length < 2) await new Promise((r) => setTimeout(r, 5));
      held[1]();
      expect((await again).status).toBe(201);
      expect(gate.shed()).toEqual({ inflight: 2, lag: 0 });
    } finally {
      uninstall();
      await new Promise((r) => server.close(r));
    }
  });

  it("releases the slot when the client goes away before the answer", async () => {
    const gate = createAdmission({ ...config, maxInflight: 1 }, () => 0, () => 0);
    const uninstall = guardProductApiAtTheSocket(() => gate);
    let arrived = 0;
    const server = http.createServer(() => void arrived++); // never answers
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const controller = new AbortController();
      const pending = fetch(base + "/api/v1/usage/reports", { method: "POST", body: "{}", signal: controller.signal }).catch(() => "aborted");
      while (arrived === 0) await new Promise((r) => setTimeout(r, 5));
      expect(gate.inflight()).toBe(1);
      controller.abort();
      expect(await pending).toBe("aborted");
      while (gate.inflight() > 0) await new Promise((r) => setTimeout(r, 5));
      expect(gate.inflight()).toBe(0);
    } finally {
      uninstall();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe("requestPath: the path the guard compares, as Next.js routes it", () => {
  it("reads a path, a path with a query, and a request target written as a full URL alike", () => {
    expect(requestPath("/api/v1/usage/reports")).toBe("/api/v1/usage/reports");
    expect(requestPath("/api/v1/usage/reports?x=1")).toBe("/api/v1/usage/reports");
    expect(requestPath("http://portal.example/api/v1/usage/reports")).toBe("/api/v1/usage/reports");
    expect(PRODUCT_API_PATHS).toContain(requestPath("http://127.0.0.1:3000/api/v1/license/update?a=b"));
    expect(requestPath(undefined)).toBe("/");
  });
});
