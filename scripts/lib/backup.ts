// Backups of the portal's database (`npm run db:backup`, `npm run db:restore`), while it serves.
// - SQLite: SQLite's online backup API (better-sqlite3's `backup()`): a consistent copy of the
//   database as of one moment, taken page by page while the portal keeps writing; restoring uses
//   the same API in the other direction, under SQLite's own locks.
// - PostgreSQL: pg_dump's custom format (-Fc), one consistent snapshot; pg_restore to restore.
// Backup files are the portal's data: written readable by their owner only (0600).
import { execFile } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";
import { databaseKind, PRIVATE_FILE_MODE, secureSqliteFile, sqliteFile } from "../../lib/config";

const execFileAsync = promisify(execFile);

/**
 * Runs pg_dump or pg_restore on `url` without its password on the command line (where `ps` shows
 * it) or in an error message: the password goes in PGPASSWORD, the URL without it in --dbname.
 */
async function runPgTool(tool: "pg_dump" | "pg_restore", args: string[], url: string): Promise<void> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  try {
    await execFileAsync(pgTool(tool), [...args, `--dbname=${u.toString()}`], {
      maxBuffer: 16 << 20,
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error instanceof Error ? error.message : String(error));
    throw new Error(`${tool} failed on ${shownUrl(url)}: ${password ? detail.replaceAll(password, "***") : detail}`);
  }
}

/** A PostgreSQL client program (pg_dump, pg_restore): from PATH's PostgreSQL or Debian's newest /usr/lib/postgresql/<version>/bin. */
export function pgTool(name: "pg_dump" | "pg_restore"): string {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, "bin", name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(root, versions[0], "bin", name);
  }
  return name;
}

/** A URL fit to print: without its password. */
export function shownUrl(url: string): string {
  if (databaseKind(url) === "sqlite") return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgresql://...";
  }
}

/** Creates `file` empty with mode 0600, refusing to replace an existing one. */
function createPrivate(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, "wx", PRIVATE_FILE_MODE));
}

/** better-sqlite3's backup step size meaning "every remaining page at once". */
const ALL_PAGES = 0x7fffffff;

function sqliteFileOf(url: string): string {
  const file = sqliteFile(url);
  if (!file) throw new Error("An in-memory database has nothing to back up");
  return file;
}

export interface BackupResult {
  file: string;
  bytes: number;
  /** What the copy holds, as counted in it. */
  counts: DatabaseCounts;
}

export interface DatabaseCounts {
  organizations: number;
  licenses: number;
  usageReports: number;
}

/** Writes a backup of the database at `url` to `out` (which must not exist yet). */
export async function backupDatabase(url: string, out: string): Promise<BackupResult> {
  const file = path.resolve(out);
  if (existsSync(file)) throw new Error(`${file} exists already: choose another --out`);
  createPrivate(file);
  try {
    if (databaseKind(url) === "sqlite") {
      const source = sqliteFileOf(url);
      if (!existsSync(source)) throw new Error(`There is no database at ${source}`);
      const db = new BetterSqlite3(source, { fileMustExist: true, timeout: 10_000 });
      try {
        // The copy is consistent as of its end: SQLite restarts it when a write comes between
        // two steps from another connection, so it takes every page in one step.
        await db.backup(file, { progress: () => ALL_PAGES });
      } finally {
        db.close();
      }
      // One self-contained file (no -wal beside it), checked.
      const copy = new BetterSqlite3(file, { fileMustExist: true });
      try {
        copy.pragma("journal_mode = DELETE");
      } finally {
        copy.close();
      }
      const check = sqliteIntegrity(file);
      if (check !== "ok") throw new Error(`The backup failed its integrity check: ${check}`);
    } else {
      await runPgTool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`], url);
    }
    chmodSync(file, PRIVATE_FILE_MODE);
    return { file, bytes: statSync(file).size, counts: await backupCounts(url, file) };
  } catch (error) {
    try {
      unlinkSync(file);
    } catch {
      // nothing written
    }
    throw error;
  }
}

/** SQLite's `PRAGMA integrity_check` of a file: "ok" or the problems found. */
export function sqliteIntegrity(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

const COUNTS_SQL = `SELECT (SELECT count(*) FROM "Organization") AS organizations, (SELECT count(*) FROM "License") AS licenses, (SELECT count(*) FROM "UsageReport") AS "usageReports"`;

function sqliteCounts(file: string): DatabaseCounts {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(COUNTS_SQL).get() as Record<string, number>;
    return { organizations: row.organizations, licenses: row.licenses, usageReports: row.usageReports };
  } finally {
    db.close();
  }
}

async function pgQuery<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function pgCounts(url: string): Promise<DatabaseCounts> {
  return pgQuery(url, async (c) => {
    const row = (await c.query(COUNTS_SQL)).rows[0] as Record<string, string>;
    return { organizations: Number(row.organizations), licenses: Number(row.licenses), usageReports: Number(row.usageReports) };
  });
}

/** What a backup holds: counted in the SQLite copy; for PostgreSQL, in the source (pg_dump's snapshot is not readable without restoring it). */
async function backupCounts(url: string, file: string): Promise<DatabaseCounts> {
  return databaseKind(url) === "sqlite" ? sqliteCounts(file) : pgCounts(url);
}

/** Whether the database at `url` holds anything (tables of the portal): a restore would replace it. */
export async function holdsData(url: string): Promise<boolean> {
  if (databaseKind(url) === "sqlite") {
    const file = sqliteFileOf(url);
    if (!existsSync(file) || statSync(file).size === 0) return false;
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
    try {
      return (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n > 0;
    } finally {
      db.close();
    }
  }
  return pgQuery(url, async (c) => Number((await c.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n) > 0);
}

export interface RestoreResult {
  replaced: boolean;
  counts: DatabaseCounts;
}

/**
 * Restores the backup `file` into the database at `url`. A database that holds data (the one the
 * portal serves, most likely) is replaced only with `force`; otherwise this throws and changes
 * nothing.
 */
export async function restoreDatabase(file: string, url: string, force: boolean): Promise<RestoreResult> {
  const backup = path.resolve(file);
  if (!existsSync(backup)) throw new Error(`There is no backup at ${backup}`);
  const replaced = await holdsData(url);
  if (replaced && !force) {
    throw new Error(
      `${shownUrl(url)} holds data already (it may be the database the portal is serving): nothing was changed. ` +
        "Restore into a new database, or stop the portal and run again with --force to replace it.",
    );
  }
  if (databaseKind(url) === "sqlite") {
    const target = sqliteFileOf(url);
    const check = sqliteIntegrity(backup);
    if (check !== "ok") throw new Error(`The backup failed its integrity check, nothing was changed: ${check}`);
    mkdirSync(path.dirname(path.resolve(target)), { recursive: true, mode: 0o700 });
    secureSqliteFile(url);
    const source = new BetterSqlite3(backup, { readonly: true, fileMustExist: true });
    try {
      // The backup API writes the target under SQLite's locks, in one step: another connection
      // (a portal still serving it, with --force) sees the old database or the restored one.
      await source.backup(target, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    secureSqliteFile(url);
    const restored = sqliteIntegrity(target);
    if (restored !== "ok") throw new Error(`The restored database failed its integrity check: ${restored}`);
    return { replaced, counts: sqliteCounts(target) };
  }
  const args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"];
  if (replaced) args.unshift("--clean", "--if-exists");
  await runPgTool("pg_restore", [...args, backup], url);
  return { replaced, counts: await pgCounts(url) };
}
