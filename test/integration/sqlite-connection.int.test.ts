// The SQLite connection's additions of lib/db.ts: prepared statements kept and reused
// (lib/sqlite-statements.ts), WAL checkpoints on a worker thread (lib/sqlite-checkpointer.ts) and
// the read connection beside it (sqliteReader).
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, openReader, sqliteReaderOf } from "@/lib/db";
import { BACKSTOP_PAGES, startCheckpointer } from "@/lib/sqlite-checkpointer";
import { reusePreparedStatements, sqliteRead } from "@/lib/sqlite-statements";
import { deployMigrations } from "@/scripts/lib/migrator";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "pulse-sqlite-conn-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The statements as @prisma/adapter-better-sqlite3 uses them: prepare(sql).bind(args), then reader / run / columns / raw().all. */
function adapterQuery(db: Database.Database, sql: string, args: unknown[]) {
  const stmt = db.prepare(sql).bind(args as never[]) as unknown as { reader: boolean; run(): Database.RunResult; columns(): { name: string }[]; raw(): { all(): unknown[][] } };
  if (!stmt.reader) return stmt.run();
  return { columns: stmt.columns().map((c) => c.name), rows: stmt.raw().all() };
}

describe("prepared statements", () => {
  it("prepares a statement once, binds each use afresh, and keeps reads and writes right", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    const prepare = vi.spyOn(db, "prepare");
    reusePreparedStatements(db);
    for (let i = 1; i <= 5; i++) adapterQuery(db, "INSERT INTO t (id, name) VALUES (?, ?)", [i, `n${i}`]);
    expect(adapterQuery(db, "SELECT name FROM t WHERE id = ?", [2])).toEqual({ columns: ["name"], rows: [["n2"]] });
    expect(adapterQuery(db, "SELECT name FROM t WHERE id = ?", [4])).toEqual({ columns: ["name"], rows: [["n4"]] });
    expect(adapterQuery(db, "SELECT name FROM t WHERE id = ?", [9])).toEqual({ columns: ["name"], rows: [] });
    expect(prepare).toHaveBeenCalledTimes(2); // one INSERT and one SELECT, each used several times
    // A failing use (a duplicate key) leaves the kept statement usable.
    expect(() => adapterQuery(db, "INSERT INTO t (id, name) VALUES (?, ?)", [1, "again"])).toThrow(/UNIQUE/);
    expect(adapterQuery(db, "INSERT INTO t (id, name) VALUES (?, ?)", [6, "n6"])).toMatchObject({ changes: 1 });
    expect(db.prepare("SELECT count(*) AS n FROM t").bind([]).raw().all()).toEqual([[6]]);
  });

  it("does not keep long statements, and keeps at most 400", () => {
    const db = new Database(":memory:");
    const prepare = vi.spyOn(db, "prepare");
    reusePreparedStatements(db);
    const long = `SELECT ${Array.from({ length: 2000 }, (_, i) => i).join(", ")}`;
    db.prepare(long);
    db.prepare(long);
    expect(prepare).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 401; i++) db.prepare(`SELECT ${i}`);
    db.prepare("SELECT 400"); // kept
    db.prepare("SELECT 0"); // the oldest, dropped
    expect(prepare).toHaveBeenCalledTimes(2 + 401 + 1);
  });
});

describe("checkpoints", () => {
  it("moves the log into the database file from another thread, with the request thread's own checkpoint as a backstop", async () => {
    const file = path.join(dir, "checkpoint.db");
    const url = `file:${file}`;
    await deployMigrations(url);
    const db = createDb({ url });
    try {
      const [{ wal_autocheckpoint }] = await db.$queryRawUnsafe<{ wal_autocheckpoint: bigint }[]>("PRAGMA wal_autocheckpoint");
      expect(Number(wal_autocheckpoint)).toBe(BACKSTOP_PAGES);
      const before = statSync(file).size;
      // About 2 MB: 500 pages, under the 1,000 at which SQLite checkpoints inside a commit by
      // default, and far under the backstop: only the worker puts them in the database file.
      await db.$transaction(async (tx) => {
        for (let i = 0; i < 500; i++) await tx.setting.create({ data: { key: `k${i}`, value: "x".repeat(4000) } });
      });
      let size = statSync(file).size;
      for (let i = 0; i < 60 && size < before + 1_500_000; i++) {
        await new Promise((r) => setTimeout(r, 100));
        size = statSync(file).size;
      }
      expect(size).toBeGreaterThan(before + 1_500_000);
      expect(await db.setting.count({ where: { key: { startsWith: "k" } } })).toBe(500);
    } finally {
      await db.$disconnect();
    }
  });

  it("closes, and a second close of a worker that has already exited returns at once", async () => {
    const file = path.join(dir, "close.db");
    new Database(file).close();
    const checkpointer = await startCheckpointer(file);
    await checkpointer.close();
    await checkpointer.close();
  });
});

describe("the read connection", () => {
  it("opens with the client, reads what is committed, refuses writes, closes with the client and opens again with it", async () => {
    const url = `file:${path.join(dir, "reader.db")}`;
    await deployMigrations(url);
    const db = createDb({ url });
    try {
      expect(sqliteReaderOf(db)).toBeNull(); // not before the client connects
      await db.setting.create({ data: { key: "r1", value: "committed" } });
      const reader = sqliteReaderOf(db)!;
      expect(reader.open).toBe(true);
      const read = (key: string) => sqliteRead<{ value: string }>(reader, 'SELECT "value" FROM "Setting" WHERE "key" = ?', [key]);
      expect(read("r1")).toEqual([{ value: "committed" }]);
      await db.$transaction(async (tx) => {
        await tx.setting.update({ where: { key: "r1" }, data: { value: "uncommitted" } });
        expect(read("r1")).toEqual([{ value: "committed" }]);
      });
      expect(read("r1")).toEqual([{ value: "uncommitted" }]);
      expect(() => reader.prepare('DELETE FROM "Setting"').run()).toThrow(/readonly/i);
      await db.$disconnect();
      expect(reader.open).toBe(false);
      expect(sqliteReaderOf(db)).toBeNull();
      // The next query connects the client again, and with it a new read connection.
      expect(await db.setting.count({ where: { key: "r1" } })).toBe(1);
      const again = sqliteReaderOf(db)!;
      expect(again).not.toBe(reader);
      expect(again.open).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it("is not opened where it would wait for the writer: a file not in WAL mode, or no file at all", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const rollback = path.join(dir, "rollback.db");
      const made = new Database(rollback);
      made.pragma("journal_mode = DELETE");
      made.close();
      expect(openReader(rollback)).toBeUndefined();
      expect(openReader(path.join(dir, "missing.db"))).toBeUndefined();
      expect(warn.mock.calls.map(([m]) => String(m))).toEqual([expect.stringMatching(/not in WAL mode/), expect.stringMatching(/did not open/)]);
      const wal = path.join(dir, "wal.db");
      const walMade = new Database(wal);
      walMade.pragma("journal_mode = WAL");
      walMade.close();
      const reader = openReader(wal)!;
      expect(reader.pragma("query_only", { simple: true })).toBe(1);
      reader.close();
    } finally {
      warn.mockRestore();
    }
  });
});
