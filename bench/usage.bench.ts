// Submit Usage at scale: one organization with 2,000 auto-reported licenses whose servers reported
// a month (one installation each, four weekly reports), on the production build. Measures the
// server time of the period's report page (GET /usage/P, the whole HTML) and of its JSON
// (GET /api/portal/usage/P), then one submission of the period (POST .../submit: 2,000 new signed
// key versions, lines, extensions and audit events in one transaction), then the submitted page.
// Another organization submits a month of 250 licenses first, as a warm-up.
// SQLite, then PostgreSQL when DATABASE_URL_PG is set. Goals: submission under 1 s and the
// page's server time under 300 ms on SQLite. Prints figures and writes its section of
// bench/RESULTS.md; it never fails on timing.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { authSecret } from "../lib/config";
import { createDb } from "../lib/db";
import { findProduct } from "../lib/domain/catalog";
import { addDays, periodOf, shiftPeriod } from "../lib/domain/dates";
import { createBulkLicenses } from "../scripts/lib/bulk-licenses";
import { prepareDatabase } from "../scripts/lib/prepare";
import { withScratchPgDatabase } from "../scripts/lib/scratch-pg";
import { writeResultsSection } from "./results";
import { startServer, stopServer } from "./server";

const AUTO = Number(process.env.BENCH_AUTO_LICENSES || 2000);
const PORT = 3212;
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = 20;

interface Figures {
  kind: string;
  licenses: number;
  reports: number;
  page: [number, number];
  json: [number, number];
  submitMs: number;
  extended: number;
  submittedPage: [number, number];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timed(url: string, cookie: string, init: RequestInit = {}): Promise<{ ms: number; status: number; text: string }> {
  const t = performance.now();
  const res = await fetch(url, { ...init, headers: { cookie, ...init.headers } });
  const text = await res.text();
  return { ms: performance.now() - t, status: res.status, text };
}

async function series(url: string, cookie: string): Promise<[number, number]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const r = await timed(url, cookie);
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.text.slice(0, 200)}`);
    if (i >= 3) times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  return [pct(times, 50), pct(times, 95)];
}

async function measure(kind: string, url: string, dataDir: string): Promise<Figures> {
  process.env.DATABASE_URL = url;
  process.env.PULSE_DATA_DIR = dataDir;
  const now = new Date();
  const period = shiftPeriod(periodOf(now), -1);
  await prepareDatabase(url);
  const db = createDb({ url });
  // Created two months ago, expiring 20 to 70 days from now: every one is extended.
  await createBulkLicenses(db, "Globex Hosting", AUTO, now, { allAutoReported: true, createdAt: new Date(now.getTime() - 60 * 86_400_000), expiresInDays: [20, 70] });
  const licenses = await db.license.findMany({ where: { licenseId: { startsWith: "LIC-BULK" } }, select: { id: true, organizationId: true, productId: true, currentVersion: true } });
  let reports = 0;
  for (let start = 0; start < licenses.length; start += 250) {
    const rows = [];
    const workloads = [];
    for (const l of licenses.slice(start, start + 250)) {
      const type = findProduct(l.productId)!.workloadTypes[0].id;
      for (let week = 0; week < 4; week++) {
        const id = randomUUID();
        const collectedAt = new Date(`${addDays(`${period}-01`, 7 * week + 2)}T03:00:00Z`);
        rows.push({
          id, organizationId: l.organizationId, licenseId: l.id, installationId: `srv-${l.id.slice(0, 8)}`, reportId: `bench-${l.id}-${week}`,
          kind: "weekly" as const, period, collectedAt, receivedAt: collectedAt, contentHash: id, versionPresented: l.currentVersion,
        });
        workloads.push({ usageReportId: id, type, count: 10 + week * 3 + (start % 50) });
      }
    }
    await db.$transaction([db.usageReport.createMany({ data: rows }), db.usageReportWorkload.createMany({ data: workloads })]);
    reports += rows.length;
  }
  // A warm-up submission by another organization (250 auto-reported licenses), so that the timed
  // one is not the server's first run of that code.
  await db.organization.update({ where: { name: "Acme Cloud Services" }, data: { autoReportingEnabled: true } });
  await createBulkLicenses(db, "Acme Cloud Services", 250, now, { allAutoReported: true, createdAt: new Date(now.getTime() - 60 * 86_400_000), expiresInDays: [20, 70], prefix: "LIC-WARM" });
  const bob = await db.user.findUniqueOrThrow({ where: { email: "bob@globex.test" } });
  const alice = await db.user.findUniqueOrThrow({ where: { email: "alice@acme.test" } });
  await db.$disconnect();

  const server = await startServer(dataDir, url, PORT);
  try {
    const token = await encode({
      token: { sub: bob.id, uid: bob.id, email: bob.email, name: bob.name, role: bob.role, organizationId: bob.organizationId },
      secret: authSecret(),
    });
    const cookie = `next-auth.session-token=${token}`;
    const warm = await encode({
      token: { sub: alice.id, uid: alice.id, email: alice.email, name: alice.name, role: alice.role, organizationId: alice.organizationId },
      secret: authSecret(),
    });
    const warmUp = await timed(`${BASE}/api/portal/usage/${period}/submit`, `next-auth.session-token=${warm}`, { method: "POST" });
    if (warmUp.status !== 200) throw new Error(`warm-up submit: ${warmUp.status} ${warmUp.text.slice(0, 300)}`);
    const page = await series(`${BASE}/usage/${period}`, cookie);
    const json = await series(`${BASE}/api/portal/usage/${period}`, cookie);
    const submit = await timed(`${BASE}/api/portal/usage/${period}/submit`, cookie, { method: "POST" });
    if (submit.status !== 200) throw new Error(`submit: ${submit.status} ${submit.text.slice(0, 300)}`);
    const extended = (JSON.parse(submit.text) as { extended: unknown[] }).extended.length;
    const submittedPage = await series(`${BASE}/usage/${period}`, cookie);
    const f = { kind, licenses: licenses.length, reports, page, json, submitMs: submit.ms, extended, submittedPage };
    console.log(`\n${kind}: ${f.licenses} auto-reported licenses, ${f.reports} usage reports for ${period}`);
    console.log(`  report page GET /usage/${period}            p50 ${page[0].toFixed(0)} ms, p95 ${page[1].toFixed(0)} ms (goal < 300 ms on SQLite)`);
    console.log(`  report JSON GET /api/portal/usage/${period} p50 ${json[0].toFixed(0)} ms, p95 ${json[1].toFixed(0)} ms`);
    console.log(`  Submit Usage (one request)                 ${submit.ms.toFixed(0)} ms, ${extended} keys extended (goal < 1 s on SQLite)`);
    console.log(`  submitted report page                      p50 ${submittedPage[0].toFixed(0)} ms, p95 ${submittedPage[1].toFixed(0)} ms`);
    return f;
  } finally {
    await stopServer(server);
  }
}

export default async function usageBench() {
  const results: Figures[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-bench-usage-"));
  try {
    results.push(await measure("SQLite", `file:${path.join(dir, "bench.db")}`, dir));
    const admin = process.env.DATABASE_URL_PG;
    if (admin) {
      const pgDir = mkdtempSync(path.join(os.tmpdir(), "pulse-bench-usage-pg-"));
      try {
        results.push(await withScratchPgDatabase(admin, "pulse_bench_usage", (url) => measure("PostgreSQL", url, pgDir)));
      } finally {
        rmSync(pgDir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = (v: number) => v.toFixed(0);
  writeResultsSection(
    "usage",
    [
      "## Monthly usage: submitting a period of 2,000 auto-reported licenses",
      "",
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`npm run bench -- usage\` (bench/usage.bench.ts) on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; production build, times over HTTP from the same machine (${RUNS} runs after 3 warm-ups).`,
      "Goals: submission under 1 s and the report page's server time under 300 ms on SQLite.",
      "",
      "| Database | licenses | usage reports | report page p50 / p95 (ms) | report JSON p50 / p95 (ms) | Submit Usage (ms) | keys extended | submitted page p50 / p95 (ms) |",
      "|---|---|---|---|---|---|---|---|",
      ...results.map((r) => `| ${r.kind} | ${r.licenses} | ${r.reports} | ${ms(r.page[0])} / ${ms(r.page[1])} | ${ms(r.json[0])} / ${ms(r.json[1])} | ${ms(r.submitMs)} | ${r.extended} | ${ms(r.submittedPage[0])} / ${ms(r.submittedPage[1])} |`),
      "",
    ].join("\n"),
  );
}
