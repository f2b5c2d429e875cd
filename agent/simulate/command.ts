// `agent simulate`: sets up a throwaway database (SQLite in a temporary folder, or a new
// PostgreSQL database with --db postgresql), runs the simulation with a progress bar, prints the
// summary (a table, or --json: the summary alone, without timings) and writes the picture.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SingleBar, Presets } from "cli-progress";
import { Client } from "pg";
import { AgentError, EXIT } from "../core/errors";
import type { Outage } from "./portal";
import type { SimOptions, Summary } from "./simulation";

export interface SimulateFlags {
  licenses: number;
  months: number;
  seed: number;
  missRate: number;
  lateRate: number;
  autoSubmitRate: number;
  manualRate: number;
  outage?: string[];
  terminate: number;
  start: string;
  svg: string;
  db: string;
  json?: boolean;
  progress: boolean;
}

export function parseOutage(text: string): Outage {
  const m = /^(.+?)\.\.(.+)$/.exec(text);
  const at = (s: string) => new Date(/^\d{4}-\d\d-\d\d$/.test(s) ? `${s}T00:00:00Z` : s);
  if (!m || Number.isNaN(at(m[1]).getTime()) || Number.isNaN(at(m[2]).getTime()) || at(m[2]) <= at(m[1])) {
    throw new AgentError(`--outage ${text}: write FROM..TO, e.g. 2027-03-01..2027-03-03 or 2027-03-01T06:00Z..2027-03-01T18:00Z, with TO after FROM.`);
  }
  return { from: at(m[1]), to: at(m[2]) };
}

export async function simulateCommand(f: SimulateFlags, out: (line: string) => void, plant?: SimOptions["plant"]): Promise<number> {
  if (!/^\d{4}-\d\d-\d\d$/.test(f.start)) throw new AgentError(`--start ${f.start}: write the day as YYYY-MM-DD.`);
  if (f.db !== "sqlite" && f.db !== "postgresql") throw new AgentError(`--db ${f.db}: sqlite or postgresql.`);
  const outages = (f.outage ?? []).map(parseOutage);
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-sim-"));
  const db = await throwawayDatabase(f.db, dir);
  const saved = { DATABASE_URL: process.env.DATABASE_URL, PULSE_DATA_DIR: process.env.PULSE_DATA_DIR, PULSE_JOBS: process.env.PULSE_JOBS };
  process.env.DATABASE_URL = db.url;
  process.env.PULSE_DATA_DIR = dir;
  process.env.PULSE_JOBS = "0";
  const quietWarn = console.warn;
  const bar = f.progress ? new SingleBar({ format: "simulating {bar} {value}/{total} days | {eta_formatted} left", stream: process.stderr, hideCursor: true }, Presets.shades_classic) : null;
  const started = performance.now();
  try {
    const { deployMigrations } = await import("../../scripts/lib/migrator");
    await deployMigrations(db.url);
    const { simulate, GROUPS } = await import("./simulation");
    const { timelineSvg } = await import("./svg");
    console.warn = () => {}; // the job runner's warnings would tear the progress bar
    bar?.start(Math.ceil(f.months * 30.5), 0);
    const { summary, series } = await simulate({
      licenses: f.licenses, months: f.months, seed: f.seed, missRate: f.missRate, lateRate: f.lateRate, autoSubmitRate: f.autoSubmitRate,
      manualRate: f.manualRate, outages, terminate: f.terminate, start: new Date(`${f.start}T00:00:00Z`),
      onDay: (day, days) => {
        bar?.setTotal(days);
        bar?.update(day);
      },
      plant,
    });
    bar?.stop();
    console.warn = quietWarn;
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(f.svg, timelineSvg(series, GROUPS, summary.groupSizes, outages, `${f.licenses} licenses over ${f.months} months (seed ${f.seed})`));
    if (f.json) out(JSON.stringify(summary, null, 2));
    else {
      for (const line of table(summary)) out(line);
      out(`Wall time: ${seconds.toFixed(1)} s (${f.db}). Timeline picture: ${path.resolve(f.svg)}`);
    }
    if (summary.violation) {
      const v = summary.violation;
      console.error(`Invariant violated at ${v.at}: ${v.invariant}\n  ${v.detail}\n  Replay: npm run agent -- simulate ${replayArgs(f)}`);
      return EXIT.invariantViolated;
    }
    return EXIT.ok;
  } finally {
    bar?.stop();
    console.warn = quietWarn;
    const { getDb } = await import("../../lib/db");
    await getDb().$disconnect();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function throwawayDatabase(kind: string, dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === "sqlite") return { url: `file:${path.join(dir, "simulation.db")}`, drop: async () => {} };
  const admin = process.env.DATABASE_URL_PG;
  if (!admin) throw new AgentError("--db postgresql needs DATABASE_URL_PG (npm run pg:start prints it).");
  const name = `pulse_sim_${randomBytes(6).toString("hex")}`;
  const run = async (sql: string) => {
    const c = new Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function replayArgs(f: SimulateFlags): string {
  const a = [`--licenses ${f.licenses}`, `--months ${f.months}`, `--seed ${f.seed}`, `--miss-rate ${f.missRate}`, `--late-rate ${f.lateRate}`, `--auto-submit-rate ${f.autoSubmitRate}`, `--manual-rate ${f.manualRate}`, `--terminate ${f.terminate}`, `--start ${f.start}`];
  for (const o of f.outage ?? []) a.push(`--outage ${o}`);
  return a.join(" ");
}

export function table(s: Summary): string[] {
  const rows: [string, string | number][] = [
    ["Licenses (servers with automatic update / without)", `${s.licenses} (${s.servers.autoUpdate} / ${s.servers.manual})`],
    ["Organizations by provider profile", Object.entries(s.organizations).map(([k, v]) => `${k} ${v}`).join(", ")],
    ["Virtual time", `${s.from.slice(0, 10)} to ${s.to.slice(0, 10)} (${s.months} months)`],
    ...Object.entries(s.checks).sort().map(([k, v]): [string, number] => [`Checks: ${k}`, v]),
    ["Keys renewed (installed by servers)", s.keysRenewed],
    ["Reports sent: weekly / monthly / retries", `${s.reports.weekly} / ${s.reports.monthly} / ${s.reports.retried}`],
    ["Reports stored / duplicates / refused", `${s.reports.stored} / ${s.reports.duplicates} / ${s.reports.refused}`],
    ["Extended by the product's own monthly report", s.extended.byProductReport],
    ["Extended by Submit Usage (incl. automatic)", s.extended.bySubmitUsage],
    ["Submissions: on time / late / automatic", `${s.submissions.onTime} / ${s.submissions.late} / ${s.submissions.automatic}`],
    ["Licenses expired at the end", s.expired],
    ...Object.entries(s.expiredByGroup).sort().map(([k, v]): [string, number] => [`  expired: ${k}`, v]),
    ["Servers that turned automatic update off", Object.entries(s.turnedOff).map(([k, v]) => `${k} ${v}`).join(", ") || "0"],
    ["Organizations suspended: at the end / ever", `${s.organizationsSuspended.atEnd} / ${s.organizationsSuspended.ever}`],
    ["Invariant checks", s.invariantsChecked],
    ["Violations", s.violation ? `1: ${s.violation.invariant}` : 0],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
}
