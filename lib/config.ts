// Configuration read from the environment, with the embedded defaults of the README.
// No secrets are printed; generated ones live in the data folder.
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const created = new Set<string>();

/** The data folder, created on first use (once per process: this is read on every request). */
export function dataDir(): string {
  const dir = path.resolve(process.env.PULSE_DATA_DIR || "./data");
  if (!created.has(dir)) {
    // Readable by the portal's user only when this creates it (it holds the secrets and the database).
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    created.add(dir);
  }
  return dir;
}

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url) return url;
  return `file:${path.join(dataDir(), "pulse.db")}`;
}

export function databaseKind(url = databaseUrl()): DatabaseKind {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${url.split(":")[0]}:...")`);
}

/** SQLite: the database file of a `file:` URL (null for an in-memory database). */
export function sqliteFile(url: string): string | null {
  const file = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return file === "" || file === ":memory:" ? null : file;
}

/** Owner-only permissions, as the secrets of the data folder have. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * SQLite: makes the database file readable and writable by its owner only (0600) before SQLite
 * opens it: a new file is created empty with that mode (SQLite takes an empty file for a new
 * database, and creates its -wal and -shm files with the database file's mode); an existing one
 * that others may read (made by an older version) is narrowed, with its -wal and -shm.
 */
export function secureSqliteFile(url: string): void {
  const file = sqliteFile(url);
  if (!file) return;
  try {
    closeSync(openSync(/*turbopackIgnore: true*/ file, "a", PRIVATE_FILE_MODE));
  } catch {
    return; // no folder or no right to create it: SQLite reports that itself
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(/*turbopackIgnore: true*/ f).mode & 0o077) !== 0) chmodSync(/*turbopackIgnore: true*/ f, PRIVATE_FILE_MODE);
    } catch {
      // missing (no -wal yet) or not ours: left as it is
    }
  }
}

/** Reads a secret file of the data folder, creating it with `make()` the first time. */
export function dataSecret(name: string, make: () => string): string {
  const file = path.join(dataDir(), name);
  if (existsSync(/*turbopackIgnore: true*/ file)) return readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
  const value = make();
  // "wx" fails if another process created it meanwhile; then read theirs.
  try {
    writeFileSync(/*turbopackIgnore: true*/ file, value + "\n", { mode: 0o600, flag: "wx" });
    return value;
  } catch {
    return readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
  }
}

export function authSecret(): string {
  return process.env.NEXTAUTH_SECRET || dataSecret("auth-secret", () => randomBytes(32).toString("base64url"));
}

export function testClockEnabled(): boolean {
  return process.env.PULSE_TEST_CLOCK === "1";
}

/** The settings that must be positive whole numbers when they are set (the request limits). */
const POSITIVE_INTEGER_SETTINGS = [
  "PULSE_RATE_LIMIT_PER_ADDRESS",
  "PULSE_RATE_LIMIT_PER_LICENSE",
  "PULSE_RATE_LIMIT_PER_TOKEN",
  "PULSE_RATE_LIMIT_WRITES_PER_USER",
] as const;

/**
 * What is wrong with the environment's settings, one line each; empty when nothing is. The server
 * refuses to start on any (instrumentation.ts): a limit of "abc" would otherwise fail every write,
 * and a mistyped PULSE_TRUSTED_PROXIES every request that reads the client address.
 */
export function configurationProblems(env: Record<string, string | undefined>, checkTrustedProxies: (value: string | undefined) => void): string[] {
  const problems: string[] = [];
  for (const name of POSITIVE_INTEGER_SETTINGS) {
    const raw = env[name];
    if (raw !== undefined && raw !== "" && !(Number.isInteger(Number(raw)) && Number(raw) >= 1)) {
      problems.push(`${name} must be a positive whole number (it is "${raw}")`);
    }
  }
  try {
    checkTrustedProxies(env.PULSE_TRUSTED_PROXIES);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  return problems;
}
