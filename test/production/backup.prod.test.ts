// Backups (issue 18, item 4) and the database files' permissions: `npm run db:backup` while the
// production server takes usage reports, `npm run db:restore` into a fresh database, and the
// restored copy holds everything acknowledged before the backup started, passes its integrity
// check and serves. On SQLite and, when DATABASE_URL_PG is set, on PostgreSQL.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isAck, newLedger, openSql, reportingLicenses, runLoad, serverOffset, send, sqliteIntegrity, storedReports } from "./load";
import { startProduction } from "./server";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const runId = randomBytes(3).toString("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SERVER_ENV = { PULSE_TEST_CLOCK: "1", PULSE_RATE_LIMIT_PER_ADDRESS: "100000000", PULSE_RATE_LIMIT_PER_LICENSE: "100000000", PULSE_DEMO_DATA: "1" };

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch((e) => console.warn(`cleanup: ${e}`));
});

/** Runs scripts/<script>.ts as `npm run db:backup` / `db:restore` do, with this environment; never throws (the exit code is returned). */
async function script(name: "backup" | "restore", args: string[], env: Record<string, string | undefined>) {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete e[k];
  try {
    const r = await run(tsx, [`scripts/${name}.ts`, ...args], { cwd: root, env: e });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const x = error as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? 1, stdout: x.stdout ?? "", stderr: x.stderr ?? "" };
  }
}

const mode = (file: string) => statSync(file).mode & 0o777;

interface Target {
  /** DATABASE_URL of the served database (undefined: the data folder's SQLite file). */
  source?: string;
  /** A fresh database to restore into: its environment for the scripts and the server, and its URL. */
  fresh: () => Promise<{ env: Record<string, string | undefined>; url: string; serve: { dataDir?: string; databaseUrl?: string } }>;
}

async function roundTrip(label: string, target: Target) {
  // SQLite: a data folder that `npm start` creates itself.
  const dataDir = target.source ? undefined : path.join(mkdtempSync(path.join(os.tmpdir(), "pulse-served-")), "data");
  const server = await startProduction({ dataDir, databaseUrl: target.source, env: SERVER_ENV });
  cleanups.push(() => server.stop());
  const url = target.source ?? `file:${path.join(server.dataDir, "pulse.db")}`;
  if (!target.source) {
    // The database files as `npm start` made them, while the portal serves: owner only, like the secrets.
    const db = url.slice("file:".length);
    expect(existsSync(`${db}-wal`)).toBe(true);
    expect({ db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`), folder: mode(server.dataDir) }).toEqual({ db: 0o600, wal: 0o600, shm: 0o600, folder: 0o700 });
  }
  const offsetMs = await serverOffset(server.url);
  const licenses = await reportingLicenses(url, new Date(Date.now() + offsetMs).toISOString().slice(0, 10));
  expect(licenses.length).toBeGreaterThan(2);

  // A writer keeps sending usage reports through the backup.
  const ledger = newLedger();
  const tag = `backup-${runId}-${label}`;
  let stop = false;
  let loadDone = false;
  const load = runLoad({ base: server.url, licenses, ledger, tag, workers: 4, requests: 20_000, stop: () => stop, offsetMs, checkShare: 0 }).finally(() => (loadDone = true));
  const acked = () => ledger.reports.filter((r) => isAck(r.answer));
  while (!loadDone && acked().length < 40) await sleep(5);
  const before = acked();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "pulse-backup-")), `pulse.${label === "sqlite" ? "db" : "dump"}`);
  const t0 = Date.now();
  const backup = await script("backup", ["--out", file], { DATABASE_URL: url });
  const backupMs = Date.now() - t0;
  const ackedByBackupEnd = acked().length;
  await sleep(300);
  stop = true;
  await load;
  expect(backup.stderr).toBe("");
  expect(backup.code).toBe(0);
  expect(backup.stdout).toContain(`to ${file}`);
  expect(ledger.unexpected).toEqual([]);
  expect(mode(file)).toBe(0o600);
  // The load kept going while the backup ran.
  expect(acked().length).toBeGreaterThan(before.length);

  // Restored into a fresh database.
  const fresh = await target.fresh();
  const restore = await script("restore", [file], fresh.env);
  expect(restore.stderr).toBe("");
  expect(restore.code).toBe(0);
  expect(restore.stdout).toMatch(/^Restored .* \(it was empty\)/);
  if (fresh.url.startsWith("file:")) {
    expect(sqliteIntegrity(fresh.url)).toBe("ok");
    expect(mode(fresh.url.slice("file:".length))).toBe(0o600);
  }
  let sql = await openSql(fresh.url);
  const stored = new Map((await storedReports(sql, tag)).map((s) => [`${s.licenseId}/${s.reportId}`, s]));
  const [{ n: organizations }] = await sql.all<{ n: number | string }>(`SELECT count(*) AS n FROM "Organization"`);
  await sql.close();
  const missing = before.filter((r) => stored.get(`${r.license.id}/${r.body.reportId}`)?.workloads !== r.body.workloads.length).map((r) => r.body.reportId);
  expect(missing).toEqual([]);

  // A second restore onto it is refused without --force, and changes nothing.
  const again = await script("restore", [file], fresh.env);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/holds data already .* nothing was changed/);
  sql = await openSql(fresh.url);
  expect((await storedReports(sql, tag)).length).toBe(stored.size);
  await sql.close();

  // The restored database serves.
  const restored = await startProduction({ ...fresh.serve, env: SERVER_ENV });
  cleanups.push(() => restored.stop());
  const health = await send(`${restored.url}/api/health`);
  expect(health.status).toBe(200);
  expect(health.body?.status).toBe("ok");
  await restored.stop();
  await server.stop();
  console.log(
    `[backup ${label}] reports acknowledged before the backup started ${before.length}, by its end ${ackedByBackupEnd}, in all ${acked().length}; ` +
      `in the restored copy ${stored.size} (all ${before.length} of before); backup ${backupMs} ms (with the script's start), ${statSync(file).size} bytes; ${Number(organizations)} organizations`,
  );
}

describe("npm run db:backup / db:restore: a round trip under write load", () => {
  it("SQLite: the database files are 0600 (and the data folder 0700); the online backup holds every report acknowledged before it started; backup and restored copy are 0600, sound, and serve; a second restore needs --force", async () => {
    await roundTrip("sqlite", {
      fresh: async () => {
        const dataDir = mkdtempSync(path.join(os.tmpdir(), "pulse-restored-"));
        return { env: { PULSE_DATA_DIR: dataDir, DATABASE_URL: undefined }, url: `file:${path.join(dataDir, "pulse.db")}`, serve: { dataDir } };
      },
    });
  }, 240_000);

  const adminUrl = process.env.DATABASE_URL_PG;
  if (adminUrl) {
    it("PostgreSQL: pg_dump's backup holds every report acknowledged before it started; pg_restore into a new database serves; a second restore needs --force", async () => {
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      const names = [`pulse_backup_${runId}`, `pulse_restored_${runId}`];
      for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
      cleanups.push(async () => {
        for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
        await admin.end();
      });
      const urlOf = (name: string) => {
        const u = new URL(adminUrl);
        u.pathname = `/${name}`;
        return u.toString();
      };
      await roundTrip("postgresql", {
        source: urlOf(names[0]),
        fresh: async () => ({ env: { DATABASE_URL: urlOf(names[1]) }, url: urlOf(names[1]), serve: { databaseUrl: urlOf(names[1]) } }),
      });
    }, 240_000);
  }
});
