// The product API offered twice what one instance can serve (lib/http/overload.ts): the
// production build on SQLite with 1,000 licenses, driven from this process.
// 1. Capacity C: a mix of update checks (valid keys) and usage reports (new report ids), half
//    each, 50 connections for 10 s with autocannon, shedding off.
// 2. For each of shedding on (PULSE_MAX_INFLIGHT, default lib/http/overload.ts's) and off (0), on
//    a fresh server: 2C offered for 20 s at a fixed rate (open loop: each request is sent when it
//    is due, whether or not the earlier ones were answered, and timed from when it was sent, with
//    the generator's lateness reported; a client gives up after 10 s), while a slow loop fetches /login and /api/health (the portal's pages);
//    then, after 3 s, C/2 for 5 s (recovery: every request should be served).
// Reported: served and shed req/s, latency of shed and served answers, portal latency during
// the overload, errors and timeouts, the recovery, and whether every report answered 201 is in
// the database (and no shed one). Writes the "Overload" section of bench/RESULTS.md; it prints
// figures and never fails on timing.
import autocannon from "autocannon";
import http from "node:http";
import { Worker } from "node:worker_threads";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../lib/db";
import { DEFAULT_MAX_INFLIGHT } from "../lib/http/overload";
import { prepareBulkKeys, type BenchKey } from "./bulk-keys";
import { writeResultsSection } from "./results";
import { startServer, stopServer } from "./server";

const LICENSES = 1000;
const PORT = Number(process.env.BENCH_PORT || 3212);
const BASE = `http://127.0.0.1:${PORT}`;
const OVERLOAD_S = Number(process.env.BENCH_OVERLOAD_SECONDS || 20);
const RECOVERY_S = 5;
const CLIENT_TIMEOUT_MS = 10_000;
const SHEDDING_INFLIGHT = process.env.BENCH_MAX_INFLIGHT || String(DEFAULT_MAX_INFLIGHT);


interface Req {
  path: string;
  body: string;
  reportId?: string;
}

function requestMaker(keys: BenchKey[], tag: string) {
  const period = new Date().toISOString().slice(0, 7);
  let n = 0;
  return (): Req => {
    const k = keys[n % keys.length];
    n++;
    const installationId = `bench-install-${n % 997}`;
    if (n % 2 === 0) return { path: "/api/v1/license/update", body: JSON.stringify({ licenseKey: k.jws, installationId, productVersion: "13.0.1.1071" }) };
    const reportId = `ovl-${tag}-${n}`;
    const body = JSON.stringify({
      licenseKey: k.jws,
      installationId,
      reportId,
      kind: "weekly",
      period,
      collectedAt: new Date(Date.now() - 60_000).toISOString(),
      workloads: [{ type: k.workloadType, count: n % 500, newCount: 0 }],
    });
    return { path: "/api/v1/usage/reports", body, reportId };
  };
}

interface Outcome {
  status: number; // 0: error, -1: timeout
  /** From when the request was written to its connection to its answer. */
  ms: number;
  /** From when it was sent (handed to the client's connection pool, which may make it wait for a connection). */
  fromSentMs: number;
  /** How late the generator sent it (ms after it was due). */
  lagMs: number;
  req: Req;
}

// The open-loop generator, in worker threads (plain JavaScript, evaluated): on this shared 2-core
// machine one thread of the bench could not send 2C on time, so the server never saw the load.
const GENERATOR = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { base, rate, seconds, reqs, timeoutMs } = workerData;
// A pool of keep-alive connections, as a proxy in front of the instance keeps: without a bound,
// thousands of new connections a second waited in the kernel's accept queue of the starved server
// (SYNs dropped past its backlog, retried after 1 and 3 s), where nothing in the process sees them.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const results = new Array(reqs.length);
let done = 0;
let start = performance.now();
function send(i) {
  const due = start + (i * 1000) / rate;
  const sent = performance.now();
  let finished = false;
  let written = 0;
  const finish = (status) => {
    if (finished) return;
    finished = true;
    const end = performance.now();
    results[i] = [status, end - (written || sent), sent - due, end - sent];
    if (++done === reqs.length) { agent.destroy(); parentPort.postMessage(results); }
  };
  const q = reqs[i];
  const r = http.request(base + q.path, { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(q.body) } }, (res) => {
    res.resume();
    res.on("end", () => finish(res.statusCode || 0));
    res.on("error", () => finish(0));
  });
  const timer = setTimeout(() => { finish(-1); r.destroy(); }, timeoutMs);
  r.on("close", () => clearTimeout(timer));
  r.on("error", () => finish(0));
  r.on("finish", () => (written = performance.now()));
  r.end(q.body);
}
let next = 0;
function tick() {
  const due = Math.min(reqs.length, Math.floor(((performance.now() - start) / 1000) * rate));
  while (next < due) send(next++);
  if (next < reqs.length) setTimeout(tick, 2);
}
// The pool's connections are opened first (256 health checks at once, their sockets kept alive),
// so that the timed requests measure the server, not the kernel's accept queue.
let opened = 0;
for (let k = 0; k < 256; k++) {
  http.get(base + "/api/health", { agent }, (res) => {
    res.resume();
    res.on("end", () => { if (++opened === 256) { start = performance.now(); tick(); } });
  }).on("error", () => { if (++opened === 256) { start = performance.now(); tick(); } });
}
`;

/** `rate` requests a second for `seconds`, each sent when due (open loop), from `threads` worker threads. */
async function openLoop(rate: number, seconds: number, next: () => Req, threads = 2): Promise<Outcome[]> {
  const all = Array.from({ length: Math.round(rate * seconds) }, next);
  const parts = Array.from({ length: threads }, (_, t) => all.filter((_, i) => i % threads === t));
  const results = await Promise.all(
    parts.map(
      (reqs) =>
        new Promise<[number, number, number, number][]>((resolve, reject) => {
          const w = new Worker(GENERATOR, { eval: true, workerData: { base: BASE, rate: rate / threads, seconds, reqs, timeoutMs: CLIENT_TIMEOUT_MS } });
          w.once("message", (m: [number, number, number, number][]) => {
            resolve(m);
            void w.terminate();
          });
          w.once("error", reject);
        }),
    ),
  );
  return parts.flatMap((reqs, t) => reqs.map((req, i) => ({ status: results[t][i][0], ms: results[t][i][1], lagMs: results[t][i][2], fromSentMs: results[t][i][3], req })));
}

/** GET `path` every 250 ms until stopped; the latency of each. */
function portalLoop(paths: string[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const out: { ms: number; status: number }[] = [];
  let stop = false;
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const t0 = performance.now();
      const status = await new Promise<number>((resolve) => {
        const r = http.get(BASE + paths[i % paths.length], { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        r.setTimeout(CLIENT_TIMEOUT_MS, () => {
          r.destroy();
          resolve(-1);
        });
        r.on("error", () => resolve(0));
      });
      out.push({ ms: performance.now() - t0, status });
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return async () => {
    stop = true;
    await loop;
    agent.destroy();
    return out;
  };
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const f = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(0));

function capacity(next: () => Req): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: BASE,
        connections: 50,
        duration: 10,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (r) => {
              const q = next();
              return { ...r, path: q.path, body: q.body };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result.requests.average)),
    );
  });
}

interface Run {
  label: string;
  offered: number;
  served: number;
  shed: number;
  timeouts: number;
  errors: number;
  other: number;
  servedP50: number;
  servedP99: number;
  shedP50: number;
  shedP99: number;
  shedMax: number;
  shedFromSentP50: number;
  shedFromSentP99: number;
  portalP50: number;
  portalP99: number;
  portalMax: number;
  portalFailed: number;
  recoveryOk: number;
  recoveryTotal: number;
  recoveryP99: number;
  generatorLagP99: number;
  acknowledged: number;
  acknowledgedFound: number;
  shedReportsStored: number;
}

async function countReports(databaseUrl: string, ids: string[]): Promise<number> {
  const db = createDb({ url: databaseUrl });
  try {
    let found = 0;
    for (let i = 0; i < ids.length; i += 500) found += await db.usageReport.count({ where: { reportId: { in: ids.slice(i, i + 500) } } });
    return found;
  } finally {
    await db.$disconnect();
  }
}

async function overload(label: string, maxInflight: string, rate: number, keys: BenchKey[], dataDir: string, databaseUrl: string): Promise<Run> {
  process.env.PULSE_MAX_INFLIGHT = maxInflight;
  const server = await startServer(dataDir, databaseUrl, PORT);
  try {
    const warm = requestMaker(keys, `${label}-warm`);
    await openLoop(Math.round(rate / 4), 3, warm);
    const next = requestMaker(keys, label);
    const stopPortal = portalLoop(["/login", "/api/health"]);
    const outcomes = await openLoop(rate, OVERLOAD_S, next);
    const portal = await stopPortal();
    await new Promise((r) => setTimeout(r, 3000));
    const recovery = await openLoop(Math.round(rate / 4), RECOVERY_S, requestMaker(keys, `${label}-rec`));
    const served = outcomes.filter((o) => o.status >= 200 && o.status < 300);
    const shed = outcomes.filter((o) => o.status === 503 || o.status === 429);
    const acknowledged = outcomes.concat(recovery).filter((o) => o.status === 201 && o.req.reportId).map((o) => o.req.reportId!);
    const shedReports = shed.filter((o) => o.req.reportId).map((o) => o.req.reportId!);
    const portalOk = portal.filter((p) => p.status === 200);
    const recoveryOk = recovery.filter((o) => o.status >= 200 && o.status < 300);
    return {
      label,
      offered: rate,
      served: served.length / OVERLOAD_S,
      shed: shed.length,
      timeouts: outcomes.filter((o) => o.status === -1).length,
      errors: outcomes.filter((o) => o.status === 0).length,
      other: outcomes.filter((o) => o.status > 0 && !(o.status >= 200 && o.status < 300) && o.status !== 503 && o.status !== 429).length,
      servedP50: pct(served.map((o) => o.ms), 50),
      servedP99: pct(served.map((o) => o.ms), 99),
      shedP50: pct(shed.map((o) => o.ms), 50),
      shedP99: pct(shed.map((o) => o.ms), 99),
      shedMax: pct(shed.map((o) => o.ms), 100),
      shedFromSentP50: pct(shed.map((o) => o.fromSentMs), 50),
      shedFromSentP99: pct(shed.map((o) => o.fromSentMs), 99),
      portalP50: pct(portalOk.map((p) => p.ms), 50),
      portalP99: pct(portalOk.map((p) => p.ms), 99),
      portalMax: pct(portal.map((p) => p.ms), 100),
      portalFailed: portal.length - portalOk.length,
      recoveryOk: recoveryOk.length,
      recoveryTotal: recovery.length,
      recoveryP99: pct(recoveryOk.map((o) => o.ms), 99),
      generatorLagP99: pct(outcomes.map((o) => o.lagMs), 99),
      acknowledged: acknowledged.length,
      acknowledgedFound: await countReports(databaseUrl, acknowledged),
      shedReportsStored: await countReports(databaseUrl, shedReports),
    };
  } finally {
    await stopServer(server);
  }
}

export default async function overloadBench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-bench-overload-"));
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  const saved = process.env.PULSE_MAX_INFLIGHT;
  try {
    const keys = await prepareBulkKeys(databaseUrl, dir, LICENSES);

    process.env.PULSE_MAX_INFLIGHT = "0";
    const server = await startServer(dir, databaseUrl, PORT);
    let c: number;
    try {
      const next = requestMaker(keys, "cap");
      await capacity(next); // warm-up
      c = await capacity(next);
    } finally {
      await stopServer(server);
    }
    const rate = Math.round(2 * c);
    console.log(`\nCapacity C (update checks and reports, half each, 50 connections): ${c.toFixed(0)} req/s; offering 2C = ${rate} req/s for ${OVERLOAD_S} s`);
    const runs = [await overload("shedding on", SHEDDING_INFLIGHT, rate, keys, dir, databaseUrl), await overload("shedding off", "0", rate, keys, dir, databaseUrl)];
    for (const r of runs) console.log(r);

    const rowsMd = runs.map(
      (r) =>
        `| ${r.label} (PULSE_MAX_INFLIGHT=${r.label === "shedding on" ? SHEDDING_INFLIGHT : 0}) | ${r.offered} | ${f(r.served)} | ${r.shed} | ${f(r.shedP50)} / ${f(r.shedP99)} / ${f(r.shedMax)} (from sent: ${f(r.shedFromSentP50)} / ${f(r.shedFromSentP99)}) | ${f(r.servedP50)} / ${f(r.servedP99)} | ${r.timeouts} / ${r.errors} / ${r.other} | ${f(r.portalP50)} / ${f(r.portalP99)} / ${f(r.portalMax)} (${r.portalFailed} failed) | ${r.recoveryOk} of ${r.recoveryTotal} (p99 ${f(r.recoveryP99)} ms) | ${r.acknowledgedFound} of ${r.acknowledged} (shed stored: ${r.shedReportsStored}) | ${f(r.generatorLagP99)} |`,
    );
    writeResultsSection(
      "overload",
      [
        "## Overload",
        "",
        `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`npm run bench -- overload\` (bench/overload.bench.ts) on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, SQLite, ${LICENSES} licenses; the load generator runs on the same cores.`,
        `Capacity C of one instance (update checks and usage reports, half each, 50 connections, 10 s, shedding off): **${c.toFixed(0)} req/s**. Then 2C = ${rate} req/s offered for ${OVERLOAD_S} s at a fixed rate (open loop from two worker threads; each request timed from when it was written to its connection, and the generator's lateness against the schedule shown; a client gives up after ${CLIENT_TIMEOUT_MS / 1000} s), on a fresh server each, while a loop fetched /login and /api/health every 250 ms; then, 3 s later, C/2 for ${RECOVERY_S} s.`,
        "",
        "| Run | offered req/s | served req/s | shed (503) | shed latency p50 / p99 / max (ms) | served p50 / p99 (ms) | timeouts / errors / other | portal p50 / p99 / max (ms) | recovery: served | reports answered 201 found in the database | generator lateness p99 (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        ...rowsMd,
        "",
        "Shed: 503 answers (GenerationFailed with Retry-After 86400 on the update endpoint, a problem document with Retry-After 2-4 s on the reports endpoint), counted by the clients. Latencies are from when a request was written to its connection (the client keeps a pool of 256 keep-alive connections per generator thread, 512 in all, opened before the timed requests, as a proxy in front of an instance would; \"from sent\" adds the wait for a free connection) to its answer, so they include the wait before the server reads the request; timeouts are requests unanswered after 10 s. Served requests are 200 (update checks, reports duplicate) and 201 (reports); every report answered 201 was looked up in the database afterwards, and no shed one was stored.",
        "",
        "Where the queue forms (measured with a `--require` probe counting node:http requests and connections in the server): Next.js works on a request for 2.5 to 5 ms before its route handler runs, about half of what an update check costs. A first version that shed only at the top of `productRoute` shed nothing at 2C (0 of 1,400 requests, 616 timeouts, C = 35 req/s on a machine with a load average of 15): the backlog waited in front of the handler, where a count of the requests in the handler does not see it. Shedding is therefore done on the node:http server's `request` event, before Next.js (`guardProductApiAtTheSocket`, installed by instrumentation.ts), where a shed answer costs a fraction of a millisecond. What it cannot shed is the wait before Node reads a request at all: new connections and the event loop's delay while the admitted requests run, which is what the shed latency above is made of.",
        "",
        "Shedding off, what cannot be served at once queues (compare the served p99 and the timeouts of the two rows); a request that times out on the client may still be stored later: a report that timed out was not acknowledged, and its retry is answered 200 duplicate. The two rows run one after the other, so a change in the machine's load between them shows in their difference.",
        "",
      ].join("\n"),
    );
  } finally {
    if (saved === undefined) delete process.env.PULSE_MAX_INFLIGHT;
    else process.env.PULSE_MAX_INFLIGHT = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}
