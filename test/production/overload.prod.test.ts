// Load shedding on the production build (lib/http/overload.ts): with PULSE_MAX_INFLIGHT=2 and two
// product requests held in flight (their bodies arrive slowly), one more product request is
// answered 503 with Retry-After (a problem document on the reports endpoint, GenerationFailed on
// the update endpoint), the portal's pages still answer, and once the held requests finish,
// product requests are served again; every report answered 201 is in the database.
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db";
import { startProduction, type ProductionServer } from "./server";

let server: ProductionServer;
let key: string;
const period = new Date().toISOString().slice(0, 7);
let n = 0;

function report(extra: Record<string, unknown> = {}) {
  return {
    licenseKey: key,
    installationId: "vbr-overload-test-01",
    reportId: `overload-${process.pid}-${n++}`,
    kind: "weekly",
    period,
    collectedAt: new Date(Date.now() - 60_000).toISOString(),
    workloads: [{ type: "VBR_VM", count: 10 + n, newCount: 0 }],
    ...extra,
  };
}

const post = (p: string, body: unknown) =>
  fetch(server.url + p, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });

/**
 * A report whose body is sent only in part: once the server has its headers it holds an in-flight
 * slot until `finish`. If it came when every slot was taken it is answered at once (503);
 * `answered` says so.
 */
function heldReport(body: { reportId: string }) {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const state = { answered: false, reportId: body.reportId };
  const req = http.request(server.url + "/api/v1/usage/reports", { method: "POST", agent: false, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on("response", (res) => {
      state.answered = true;
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on("error", reject);
  });
  req.write(text.slice(0, half));
  return {
    state,
    answer,
    finish() {
      req.end(text.slice(half));
      return answer;
    },
  };
}

beforeAll(async () => {
  server = await startProduction({ env: { PULSE_MAX_INFLIGHT: "2" } });
  const db = createDb({ url: `file:${path.join(server.dataDir, "pulse.db")}` });
  try {
    const license = await db.license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" }, select: { id: true, currentVersion: true } });
    key = (await db.keyVersion.findUniqueOrThrow({ where: { licenseId_version: { licenseId: license.id, version: license.currentVersion } } })).jws;
  } finally {
    await db.$disconnect();
  }
});

afterAll(async () => {
  await server?.stop();
});

describe("product API overload (PULSE_MAX_INFLIGHT=2)", () => {
  it("sheds the excess with 503 and Retry-After, keeps the portal answering, and recovers; every 201 is stored", async () => {
    const accepted: string[] = [];
    const before = report();
    const first = await post("/api/v1/usage/reports", before);
    expect(first.status).toBe(201);
    accepted.push(before.reportId);

    // Two held reports take the two slots. One that came while a probe still had a slot was shed
    // (503 at once): it is replaced. An admitted probe's slot is released when its response closes,
    // which may be a moment after the client has it, so probe until a report and then an update
    // check are both shed while both held reports are still waiting.
    const update = { licenseKey: key, installationId: "vbr-overload-test-01", productVersion: "13.0.1.1071" };
    let held: ReturnType<typeof heldReport>[] = [];
    let shed: { report: Response; update: Response } | undefined;
    for (let i = 0; i < 200 && !shed; i++) {
      for (const h of held.filter((h) => h.state.answered)) expect((await h.answer).status).toBe(503);
      held = held.filter((h) => !h.state.answered);
      while (held.length < 2) held.push(heldReport(report()));
      await new Promise((r) => setTimeout(r, 50));
      const probe = report();
      const res = await post("/api/v1/usage/reports", probe);
      if (res.status === 201) accepted.push(probe.reportId);
      else expect(res.status).toBe(503);
      const check = await post("/api/v1/license/update", update);
      expect([200, 503]).toContain(check.status);
      if (res.status === 503 && check.status === 503 && held.every((h) => !h.state.answered)) shed = { report: res, update: check };
    }
    expect(shed).toBeDefined();
    expect(Number(shed!.report.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(shed!.report.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await shed!.report.json()).toMatchObject({ status: 503, title: "Service Unavailable" });
    // The update endpoint's own 503: GenerationFailed with its Retry-After (PRODUCT-API.md).
    expect(shed!.update.headers.get("Retry-After")).toBe("86400");
    // Answered before Next.js (and proxy.ts) see them, the shed answers still carry nosniff.
    for (const res of [shed!.report, shed!.update]) expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await shed!.update.json()).toMatchObject({ result: "GenerationFailed" });

    // The portal is not shed.
    expect((await fetch(server.url + "/login", { signal: AbortSignal.timeout(30_000) })).status).toBe(200);
    expect((await fetch(server.url + "/api/health", { signal: AbortSignal.timeout(30_000) })).status).toBe(200);

    // The held requests finish and are served (one still on its way when the probes were shed
    // may have been shed itself); then product requests are admitted again.
    const answers = await Promise.all(held.map((h) => h.finish()));
    for (const [i, a] of answers.entries()) {
      expect([201, 503]).toContain(a.status);
      if (a.status === 201) accepted.push(held[i].state.reportId);
    }
    expect(answers.some((a) => a.status === 201)).toBe(true);
    const after = report();
    const again = await post("/api/v1/usage/reports", after);
    expect(again.status).toBe(201);
    accepted.push(after.reportId);
    expect((await post("/api/v1/license/update", update)).status).toBe(200);

    // Nothing acknowledged is lost, and the shed report was not stored.
    const db = createDb({ url: `file:${path.join(server.dataDir, "pulse.db")}` });
    try {
      const stored = await db.usageReport.count({ where: { reportId: { startsWith: `overload-${process.pid}-` } } });
      expect(stored).toBe(accepted.length);
    } finally {
      await db.$disconnect();
    }
  });
});
