// The SQLite hazard of TOOLCHAIN.md: without the guard, a write acknowledged to one request can
// be rolled back by another request's failed transaction. The same workload runs against a
// guarded and an unguarded client; the unguarded run proves the test can see the loss.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { guardSqliteAdapterFactory, RootClientInTransactionError } from "@/lib/sqlite-guard";
import { deployMigrations } from "@/scripts/lib/migrator";

let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "pulse-guard-"));
  url = `file:${path.join(dir, "guard.db")}`;
  await deployMigrations(url);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tick = () => new Promise((r) => setTimeout(r, 1));

/** 50 flows, each a failing transaction racing a plain write; returns how many acknowledged writes are stored. */
async function mixedWorkload(db: Db, tag: string) {
  const acknowledged: string[] = [];
  await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const failing = db
        .$transaction(async (tx) => {
          await tx.setting.create({ data: { key: `${tag}-tx-${i}`, value: "rolled back" } });
          await tick();
          throw new Error("this transaction fails");
        })
        .catch(() => undefined);
      const batchFailing = db
        .$transaction([
          db.setting.create({ data: { key: `${tag}-batch-${i}`, value: "rolled back" } }),
          db.setting.create({ data: { key: `${tag}-batch-${i}`, value: "duplicate key fails the batch" } }),
        ])
        .catch(() => undefined);
      const plain = (async () => {
        await tick();
        await db.setting.create({ data: { key: `${tag}-plain-${i}`, value: "acknowledged" } });
        acknowledged.push(`${tag}-plain-${i}`);
      })();
      await Promise.all([failing, batchFailing, plain]);
    }),
  );
  const stored = await db.setting.count({ where: { key: { in: acknowledged } } });
  const leaked = await db.setting.count({ where: { key: { startsWith: `${tag}-tx-` } } });
  return { acknowledged: acknowledged.length, stored, leaked };
}

describe("SQLite transaction guard", () => {
  it("loses no acknowledged write while other transactions fail", async () => {
    const db = createDb({ url });
    try {
      const result = await mixedWorkload(db, "guarded");
      expect(result.acknowledged).toBe(50);
      expect(result.stored).toBe(50);
      expect(result.leaked).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });

  it("is needed: without it the same workload loses acknowledged writes", async () => {
    const db = createDb({ url, unguarded: true });
    try {
      const result = await mixedWorkload(db, "unguarded");
      expect(result.acknowledged).toBe(50);
      expect(result.stored).toBeLessThan(result.acknowledged);
    } finally {
      await db.$disconnect();
    }
  });

  it("keeps a transaction's uncommitted rows invisible to other requests (and without it they are not)", async () => {
    const readDuringFailingTransaction = async (db: Db, key: string) => {
      const failing = db
        .$transaction(async (t) => {
          await t.setting.create({ data: { key, value: "x" } });
          await tick();
          throw new Error("fail");
        })
        .catch(() => undefined);
      await tick();
      const seen = await db.setting.count({ where: { key } });
      await failing;
      return seen;
    };
    const guarded = createDb({ url });
    const unguarded = createDb({ url, unguarded: true });
    try {
      expect(await readDuringFailingTransaction(guarded, "never-guarded")).toBe(0);
      expect(await readDuringFailingTransaction(unguarded, "never-unguarded")).toBe(1);
    } finally {
      await guarded.$disconnect();
      await unguarded.$disconnect();
    }
  });

  it("refuses at once a root-client query inside a transaction callback instead of deadlocking", async () => {
    const db = createDb({ url });
    try {
      await expect(
        db.$transaction(async (tx) => {
          await tx.setting.create({ data: { key: "misuse", value: "x" } });
          await db.setting.count(); // wrong client: must be tx
        }),
      ).rejects.toBeInstanceOf(RootClientInTransactionError);
      expect(await db.setting.count({ where: { key: "misuse" } })).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});

describe("a connection whose set-up fails", () => {
  it("is closed before the error is passed on, so that a retry does not leave one more open", async () => {
    const dispose = vi.fn(async () => undefined);
    const factory = { provider: "sqlite", adapterName: "fake", connect: async () => ({ dispose }) as unknown as SqlDriverAdapter } as unknown as SqlMigrationAwareDriverAdapterFactory;
    const guarded = guardSqliteAdapterFactory(factory, async () => {
      throw new Error("set-up failed");
    });
    await expect(guarded.connect()).rejects.toThrow("set-up failed");
    expect(dispose).toHaveBeenCalledTimes(1);
  });
});
