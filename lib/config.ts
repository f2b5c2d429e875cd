// Configuration read from the environment, with the embedded defaults of the README.
// No secrets are printed; generated ones live in the data folder.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const created = new Set<string>();

/** The data folder, created on first use (once per process: this is read on every request). */
export function dataDir(): string {
  const dir = path.resolve(process.env.PULSE_DATA_DIR || "./data");
  if (!created.has(dir)) {
    mkdirSync(dir, { recursive: true });
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
