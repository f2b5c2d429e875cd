// A hash of every row of every model: a refused or malformed request must leave it as it was.
// Through Prisma's model delegates (no raw SQL), so it works on SQLite and PostgreSQL alike.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../../lib/db";

const schema = readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
/** Counters of requests (rate limits) change with every request by design, refused or not. */
const EXCLUDED = new Set(["RateLimitBucket"]);
export const MODELS = [...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]).filter((m) => !EXCLUDED.has(m));

const delegate = (name: string) => name[0].toLowerCase() + name.slice(1);

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v));
}

export interface StateOptions {
  /**
   * Leave out what an API token's calls write by design, refused or not: its audit rows
   * (api_token.call) and its lastUsedAt.
   */
  exceptTokenCalls?: boolean;
}

function keep(model: string, row: Record<string, unknown>, options: StateOptions): Record<string, unknown> | null {
  if (!options.exceptTokenCalls) return row;
  if (model === "AuditEvent" && row.action === "api_token.call") return null;
  if (model === "ApiToken") return { ...row, lastUsedAt: undefined };
  return row;
}

/** Per model, a hash of its rows (sorted, so the order the database returns them in does not matter). */
export async function stateHashes(db: Db, options: StateOptions = {}): Promise<Record<string, string>> {
  const delegates = db as unknown as Record<string, { findMany(): Promise<Record<string, unknown>[]> }>;
  const hashes = await Promise.all(
    MODELS.map(async (model) => {
      const rows = (await delegates[delegate(model)].findMany())
        .map((row) => keep(model, row, options))
        .filter((row) => row !== null)
        .map(stable)
        .sort();
      return [model, createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16) + `:${rows.length}`] as const;
    }),
  );
  return Object.fromEntries(hashes);
}
