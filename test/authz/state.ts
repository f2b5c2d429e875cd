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

/** Per model, a hash of its rows (sorted, so the order the database returns them in does not matter). */
export async function stateHashes(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const model of MODELS) {
    const rows = (await (db as unknown as Record<string, { findMany(): Promise<unknown[]> }>)[delegate(model)].findMany()).map(stable).sort();
    out[model] = createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16) + `:${rows.length}`;
  }
  return out;
}
