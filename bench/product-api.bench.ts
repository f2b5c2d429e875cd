// The product API under load: the production build on a realistic data set (1,000 licenses),
// driven from this process (the server is another process, a fresh one per endpoint). For GET
// /api/health (the baseline), POST /api/v1/license/update (valid keys, NotRequired) and POST
// /api/v1/usage/reports (unique report ids): throughput at saturation (autocannon, 50
// connections, 10 s, after a warm-up), latency at a fixed offered rate of 100 requests/s
// (loadtest, after a warm-up), errors, throughput as a ratio of the baseline (measured before and
// after the endpoints, the mean of the two), and the server's peak RSS under each load. SQLite,
// then PostgreSQL when DATABASE_URL_PG is set.
// Writes bench/RESULTS.md. It prints figures; it never fails on timing.
import autocannon from "autocannon";
import { loadTest, type LoadTestOptions, type LoadTestResult } from "loadtest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { withScratchPgDatabase } from "../scripts/lib/scratch-pg";
import { prepareBulkKeys } from "./bulk-keys";
import { writeResultsSection } from "./results";
import { startServer, stopServer, withPeakRss } from "./server";

const LICENSES = 1000;
const PORT = 3211;
const BASE = `http://127.0.0.1:${PORT}`;
const SATURATION_S = Number(process.env.BENCH_SECONDS || 10);


type Target = { name: string; method: "GET" | "POST"; path: string; body?: () => string };

function run(t: Target, opts: { connections: number; duration: number }): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: BASE + t.path,
        method: t.method,
        connections: opts.connections,
        duration: opts.duration,
        headers: { "content-type": "application/json" },
        requests: [t.body ? { method: t.method, setupRequest: (req) => ({ ...req, body: t.body!() }) } : { method: t.method }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/**
 * Latency at a fixed offered rate: one request every 1000/rate ms whether or not the earlier ones
 * have been answered (open loop, keep-alive connections), timed from the moment it is sent (when
 * it is due, unless the generator itself falls behind; requests still unanswered when the run
 * ends are not counted). loadtest does this; autocannon's `overallRate` does not: each connection
 * sends its quota for the second back to back at the start of the second and then waits, and it
 * "corrects" for coordinated omission with a 1 ms expected interval, so what it reports is
 * latency under bursts at full concurrency, not at 100 requests/s.
 */
async function fixedRate(t: Target, rate: number, seconds: number): Promise<{ p50: number; p99: number; errors: number }> {
  const options: LoadTestOptions = {
    url: BASE + t.path,
    method: t.method,
    requestsPerSecond: rate,
    maxSeconds: seconds,
    agentKeepAlive: true,
    contentType: "application/json",
    // A function body is called for every request (the type definitions lag behind the code).
    ...(t.body ? { body: t.body as unknown as object } : {}),
    quiet: true,
  };
  const open = (o: LoadTestOptions) =>
    new Promise<LoadTestResult>((resolve, reject) => loadTest(o, (err: Error | null, r: LoadTestResult) => (err ? reject(err) : resolve(r))));
  await open({ ...options, maxSeconds: 2 }); // the generator's own warm-up: its connections and code
  const result = await open(options);
  return { p50: result.percentiles[50], p99: result.percentiles[99], errors: result.totalErrors };
}

interface Row {
  name: string;
  rps: number;
  ratio: number;
  p50: number;
  p99: number;
  errors: number;
  peakMb: number;
  /** The baseline only: its saturation throughput measured again after the endpoints. */
  rpsAfter?: number;
}

async function measure(kind: string, databaseUrl: string, dataDir: string): Promise<Row[]> {
  const keys = await prepareBulkKeys(databaseUrl, dataDir, LICENSES);
  const period = new Date().toISOString().slice(0, 7);
  let n = 0;
  const targets: Target[] = [
    { name: "GET /api/health (baseline)", method: "GET", path: "/api/health" },
    {
      name: "POST /api/v1/license/update",
      method: "POST",
      path: "/api/v1/license/update",
      body: () => {
        const k = keys[n++ % keys.length];
        return JSON.stringify({ licenseKey: k.jws, installationId: `bench-install-${n % 997}`, productVersion: "13.0.1.1071" });
      },
    },
    {
      name: "POST /api/v1/usage/reports",
      method: "POST",
      path: "/api/v1/usage/reports",
      body: () => {
        const k = keys[n++ % keys.length];
        return JSON.stringify({
          licenseKey: k.jws,
          installationId: `bench-install-${n % 997}`,
          reportId: `bench-${process.pid}-${n}`,
          kind: "weekly",
          period,
          collectedAt: new Date(Date.now() - 60_000).toISOString(),
          workloads: [{ type: k.workloadType, count: n % 500, newCount: 0 }],
        });
      },
    },
  ];
  const out: Row[] = [];
  // A server of its own for each endpoint, so that each load starts from the same state: in one
  // process the later loads inherited the heap the earlier ones had grown (V8 seldom gives memory
  // back), which made the peak RSS and the latency tails depend on the order of the endpoints.
  for (const t of targets) {
    const server = await startServer(dataDir, databaseUrl, PORT);
    try {
      await run(t, { connections: 50, duration: 3 }); // warm-up
      const { result: sat, peakMb } = await withPeakRss(server, () => run(t, { connections: 50, duration: SATURATION_S }));
      const fixed = await fixedRate(t, 100, 20); // 2,000 requests: the p99 is the 20th slowest
      const errors = sat.errors + sat.non2xx + fixed.errors;
      out.push({ name: t.name, rps: sat.requests.average, ratio: 0, p50: fixed.p50, p99: fixed.p99, errors, peakMb });
    } finally {
      await stopServer(server);
    }
  }
  // The baseline once more, after the endpoints: between runs it moves by a third (546 to 774
  // req/s on the same machine), so a single measurement taken first would let any drift during
  // the run count against the endpoints measured later. The ratios use the mean of the two.
  const again = await startServer(dataDir, databaseUrl, PORT);
  let baselineAfter: number;
  try {
    await run(targets[0], { connections: 50, duration: 3 });
    baselineAfter = (await run(targets[0], { connections: 50, duration: SATURATION_S })).requests.average;
  } finally {
    await stopServer(again);
  }
  const baseline = (out[0].rps + baselineAfter) / 2;
  for (const r of out) r.ratio = r.rps / baseline;
  out[0].ratio = 1;
  out[0].rpsAfter = baselineAfter;
  console.log(`\n${kind}: ${LICENSES} licenses, 50 connections for ${SATURATION_S} s; latency at 100 requests/s`);
  console.log("  endpoint                          req/s   ratio   p50 ms   p99 ms   errors   peak RSS MB");
  for (const r of out) {
    console.log(`  ${r.name.padEnd(30)} ${r.rps.toFixed(0).padStart(8)} ${r.ratio.toFixed(2).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(8)} ${r.peakMb.toFixed(0).padStart(12)}`);
  }
  console.log(`  baseline again after the endpoints: ${baselineAfter.toFixed(0)} req/s; the ratios use the mean, ${baseline.toFixed(0)}`);
  return out;
}

function table(kind: string, rows: Row[]): string {
  const base = rows[0].peakMb;
  return [
    `### ${kind}`,
    "",
    "| Endpoint | req/s at saturation | ratio to baseline | p50 at 100 req/s (ms) | p99 at 100 req/s (ms) | errors | peak RSS (MB) | RSS / baseline |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.name} | ${r.rps.toFixed(0)}${r.rpsAfter === undefined ? "" : ` (after the endpoints: ${r.rpsAfter.toFixed(0)})`} | ${r.ratio.toFixed(2)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.peakMb.toFixed(0)} | ${(r.peakMb / base).toFixed(2)} |`),
    "",
    "The ratios are to the mean of the baseline's two measurements, before and after the endpoints.",
    "",
  ].join("\n");
}

export default async function productApiBench() {
  const sections: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-bench-api-"));
  try {
    sections.push(table("SQLite", await measure("SQLite", `file:${path.join(dir, "bench.db")}`, dir)));
    const admin = process.env.DATABASE_URL_PG;
    if (admin) {
      const pgDir = mkdtempSync(path.join(os.tmpdir(), "pulse-bench-api-pg-"));
      try {
        sections.push(table("PostgreSQL", await withScratchPgDatabase(admin, "pulse_bench_api", (url) => measure("PostgreSQL", url, pgDir))));
      } finally {
        rmSync(pgDir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = [
    "## Product API",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`npm run bench\` (bench/product-api.bench.ts) on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    "Goals: update check ≥ 0.5 of the baseline on SQLite (0.4 on PostgreSQL), ingestion ≥ 0.4 (0.3); p99 < 25 ms at 100 req/s; no errors; peak RSS under product load ≤ 1.2 × baseline.",
    "",
  ].join("\n");
  writeResultsSection("product-api", `${header}\n${sections.join("\n")}`);
}
