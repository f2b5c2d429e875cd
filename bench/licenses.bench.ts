// Manage Licenses at scale: 10,000 licenses in one organization, and the server time of the
// list (the query behind the page and GET /api/portal/licenses) for what a provider does on it.
// Runs on SQLite, and on PostgreSQL too when DATABASE_URL_PG is set. Prints figures; never fails on timing.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../lib/db";
import { licenseListQuery } from "../lib/schemas/licenses";
import { listLicenses } from "../lib/server/license-list";
import { createBulkLicenses } from "../scripts/lib/bulk-licenses";
import { prepareDatabase } from "../scripts/lib/prepare";
import { withScratchPgDatabase } from "../scripts/lib/scratch-pg";

const COUNT = Number(process.env.BENCH_LICENSES || 10_000);
const RUNS = 30;

const CASES: [string, Record<string, string>][] = [
  ["first page, default sort (expiration)", {}],
  ["search 'tenant 004'", { query: "tenant 004" }],
  ["filter product VB365", { product: "VB365" }],
  ["filter state EXPIRING", { state: "EXPIRING" }],
  ["filter state ACTIVE", { state: "ACTIVE" }],
  ["sort by points desc", { sort: "points", dir: "desc" }],
  ["last page (200 a page)", { pageSize: "200", page: String(Math.ceil((COUNT + 4) / 200)) }],
];

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(kind: string, url: string) {
  process.env.DATABASE_URL = url;
  await prepareDatabase(url);
  const db = createDb({ url });
  const seedStart = performance.now();
  await createBulkLicenses(db, "Globex Hosting", COUNT, new Date());
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const org = await db.organization.findUniqueOrThrow({ where: { name: "Globex Hosting" } });
  const bob = await db.user.findUniqueOrThrow({ where: { email: "bob@globex.test" } });
  await db.$disconnect();
  const ctx = { actor: { type: "user" as const, userId: bob.id, email: bob.email, role: bob.role, organizationId: org.id }, now: new Date() };
  console.log(`\n${kind}: ${COUNT.toLocaleString("en")} licenses created in ${seedSeconds.toFixed(1)} s; list server time over ${RUNS} runs:`);
  console.log("  case                                      total   p50 ms   p95 ms");
  for (const [name, q] of CASES) {
    const query = licenseListQuery.parse(q);
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < RUNS + 3; i++) {
      const t = performance.now();
      const page = await listLicenses(ctx, query);
      if (i >= 3) times.push(performance.now() - t); // the first runs warm the caches
      total = page.total;
    }
    times.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(40)} ${String(total).padStart(6)} ${pct(times, 50).toFixed(1).padStart(8)} ${pct(times, 95).toFixed(1).padStart(8)}`);
  }
}

export default async function run() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-bench-"));
  process.env.PULSE_DATA_DIR = dir;
  try {
    await measure("SQLite", `file:${path.join(dir, "bench.db")}`);
    const admin = process.env.DATABASE_URL_PG;
    if (admin) {
      await withScratchPgDatabase(admin, "pulse_bench", (url) => measure("PostgreSQL", url));
    } else {
      console.log("\nPostgreSQL: skipped (set DATABASE_URL_PG to include it)");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
