// lib/pg-direct.ts: the transactions that run without Prisma on PostgreSQL. On SQLite there is no
// pool and these paths go through Prisma.
import { describe, expect, it } from "vitest";
import { dbKind, pgPool } from "@/lib/db";
import { pgQuery, pgTransaction } from "@/lib/pg-direct";

describe("a transaction without Prisma", () => {
  it("fails when PostgreSQL rolled it back at COMMIT (a statement error caught inside), and writes nothing", async () => {
    const pool = pgPool();
    if (!pool) {
      expect(dbKind()).toBe("sqlite"); // no pool to run it on
      return;
    }
    const id = `pgd-${Date.now().toString(36)}`;
    await pgQuery(pool, `CREATE TABLE IF NOT EXISTS pg_direct_probe (id text PRIMARY KEY)`);
    const run = pgTransaction(pool, async (tx) => {
      await pgQuery(tx, `INSERT INTO pg_direct_probe (id) VALUES ($1)`, [id]);
      await pgQuery(tx, `SELECT 1 / 0`).catch(() => undefined);
      return "done";
    });
    await expect(run).rejects.toThrow(/rolled the transaction back at COMMIT/);
    expect(await pgQuery(pool, `SELECT id FROM pg_direct_probe WHERE id = $1`, [id])).toEqual([]);
    // The connection went back to the pool usable: the next transaction commits.
    await pgTransaction(pool, (tx) => pgQuery(tx, `INSERT INTO pg_direct_probe (id) VALUES ($1)`, [id]));
    expect(await pgQuery(pool, `SELECT id FROM pg_direct_probe WHERE id = $1`, [id])).toEqual([{ id }]);
    await pgQuery(pool, `DROP TABLE pg_direct_probe`);
  });
});
