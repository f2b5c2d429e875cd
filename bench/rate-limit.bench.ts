// `npm run bench -- rate-limit`: what the shared request limits cost (lib/server/rate-limit.ts).
// Hits a second through each way of keeping the counters, on SQLite and (DATABASE_URL_PG) on
// PostgreSQL, 16 hits in flight:
// - memoryCounters: this process only (what the product API used before the limits were shared);
// - leases, one busy client: one name at its full rate, 1,200 hits a window against a limit of
//   1,200 (blocks of 60), the windows following each other;
// - leases, the same client spread over two instances (two database clients);
// - leases, a new name on every hit (a fleet of distinct addresses, each seen once a minute): the
//   worst case, one database write per hit;
// - databaseCounters: one database write per hit (the sign-in throttle's store).
// Prints figures and writes its section of bench/RESULTS.md; never fails on timing.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "../lib/db";
import { databaseCounters, databaseLeases, hit, leasedLimiter, memoryCounters, type Limiter } from "../lib/server/rate-limit";
import { prepareDatabase } from "../scripts/lib/prepare";
import { withScratchPgDatabase } from "../scripts/lib/scratch-pg";
import { writeResultsSection } from "./results";

const HITS = 12_000;
const LIMIT = 1_200;
const WINDOW = 60_000;
const IN_FLIGHT = 16;

interface Row {
  kind: string;
  scenario: string;
  perSecond: number;
  writes: number;
  allowed: number;
}

async function run(fn: (i: number) => Promise<boolean>): Promise<{ perSecond: number; allowed: number }> {
  let next = 0;
  let allowed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < HITS) {
        const i = next++;
        if (await fn(i)) allowed++;
      }
    }),
  );
  return { perSecond: HITS / ((performance.now() - started) / 1000), allowed };
}

/** The i-th hit's time: a new window every LIMIT hits, so a busy client stays at its full rate. */
const timeOf = (i: number, base: number) => new Date(base + Math.floor(i / LIMIT) * WINDOW + 1_000);

async function countWrites(db: Db): Promise<number> {
  const rows = await db.rateLimitBucket.count();
  return rows;
}

async function measure(kind: string, url: string): Promise<Row[]> {
  process.env.DATABASE_URL = url;
  await prepareDatabase(url);
  const db = createDb({ url });
  const second = createDb({ url });
  const rows: Row[] = [];
  let base = Date.parse("2030-01-01T00:00:00Z");
  const scenario = async (name: string, fn: (i: number, base: number) => Promise<boolean>, countingLimiter?: { calls: number }) => {
    base += 1000 * WINDOW; // fresh windows for each scenario
    const b = base;
    const before = await countWrites(db);
    const r = await run((i) => fn(i, b));
    const writes = countingLimiter ? countingLimiter.calls : (await countWrites(db)) - before;
    rows.push({ kind, scenario: name, perSecond: r.perSecond, writes, allowed: r.allowed });
    console.log(`${kind}: ${name}: ${r.perSecond.toFixed(0)} hits/s, ${writes} database writes, ${r.allowed} allowed`);
  };
  const counted = (backend: ReturnType<typeof databaseLeases>) => {
    const c = { calls: 0, reserve: (...a: Parameters<typeof backend.reserve>) => ((c.calls += 1), backend.reserve(...a)) };
    return c;
  };

  const memory = memoryCounters();
  await scenario("memoryCounters (per instance, before)", async (i, b) => (await hit(memory, "address:a", LIMIT, WINDOW, timeOf(i, b))).allowed, { calls: 0 });

  const one = counted(databaseLeases(() => db));
  const leased: Limiter = leasedLimiter(one);
  await scenario("leases, one busy client", async (i, b) => (await leased.hit("address:busy", LIMIT, WINDOW, timeOf(i, b))).allowed, one);

  const a = counted(databaseLeases(() => db));
  const c = counted(databaseLeases(() => second));
  const two = [leasedLimiter(a), leasedLimiter(c)];
  const both = { get calls() { return a.calls + c.calls; } };
  await scenario("leases, one busy client over two instances", async (i, b) => (await two[i % 2].hit("address:spread", LIMIT, WINDOW, timeOf(i, b))).allowed, both);

  // Twice the limit offered each window, spread over the two instances: allowed / limit is the
  // cross-instance figure (at most 1, at least 1 - 2 * 59 / 1200).
  const a2 = counted(databaseLeases(() => db));
  const c2 = counted(databaseLeases(() => second));
  const twoOver = [leasedLimiter(a2), leasedLimiter(c2)];
  const both2 = { get calls() { return a2.calls + c2.calls; } };
  const overTime = (i: number, b: number) => new Date(b + Math.floor(i / (2 * LIMIT)) * WINDOW + 1_000);
  await scenario("leases, two instances offered twice the limit", async (i, b) => (await twoOver[i % 2].hit("address:over", LIMIT, WINDOW, overTime(i, b))).allowed, both2);

  const cold = counted(databaseLeases(() => db));
  const coldLimiter = leasedLimiter(cold);
  await scenario("leases, a new name every hit (worst case)", async (i, b) => (await coldLimiter.hit(`address:n${i}`, LIMIT, WINDOW, new Date(b + 1_000))).allowed, cold);

  await scenario("databaseCounters (a write per hit)", async (i, b) => (await hit(databaseCounters, "address:db", LIMIT, WINDOW, timeOf(i, b))).allowed, { calls: HITS });

  await db.$disconnect();
  await second.$disconnect();
  return rows;
}

export default async function rateLimitBench() {
  const rows: Row[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-bench-rate-"));
  try {
    process.env.PULSE_DATA_DIR = dir;
    rows.push(...(await measure("SQLite", `file:${path.join(dir, "bench.db")}`)));
    const admin = process.env.DATABASE_URL_PG;
    if (admin) rows.push(...(await withScratchPgDatabase(admin, "pulse_bench_rate", (url) => measure("PostgreSQL", url))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeResultsSection(
    "rate-limit",
    [
      "## Request limits shared across instances (leases)",
      "",
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`npm run bench -- rate-limit\` (bench/rate-limit.bench.ts) on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${HITS} hits, ${IN_FLIGHT} in flight, limit ${LIMIT} a minute (blocks of ${Math.ceil(LIMIT / 20)}), the windows following each other so that the busy client is always at its limit.`,
      "",
      "| Database | store | hits/s | counter updates | allowed |",
      "|---|---|---|---|---|",
      ...rows.map((r) => `| ${r.kind} | ${r.scenario} | ${r.perSecond.toFixed(0)} | ${r.writes} | ${r.allowed} |`),
      "",
      `A busy client costs about one counter update per ${Math.ceil(LIMIT / 20)} hits. A name seen once a window (a new address) costs one counter update per hit, but the updates an instance asks for while a statement is out go together in the next statement (store/rate-limits.ts), so the worst case still runs several times faster than databaseCounters' statement per hit. Offered twice the limit over two instances (${(HITS / (2 * LIMIT)).toFixed(0)} windows), the allowed count is at most ${HITS / 2} (the limit each window) and at least the limit less two blocks each window.`,
    ].join("\n"),
  );
}
