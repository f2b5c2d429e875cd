// reads() of lib/db.ts: independent reads run at once on the root client and one at a time on a
// transaction client (one connection: node-postgres would queue them with a warning); and on
// PostgreSQL, what Prisma itself sends at once inside a transaction (lib/pg-transactions.ts).
import pg from "pg";
import { describe, expect, it } from "vitest";
import { dbKind, getDb, reads } from "@/lib/db";
import { licenseForKeySelect } from "@/lib/server/key-versions";

function tracked<T>(query: () => Promise<T>, state: { inFlight: number; most: number }) {
  return async () => {
    state.inFlight += 1;
    state.most = Math.max(state.most, state.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 10));
      return await query();
    } finally {
      state.inFlight -= 1;
    }
  };
}

describe("reads", () => {
  it("runs them at once on the root client and in order inside a transaction, with the same results", async () => {
    const db = getDb();
    const root = { inFlight: 0, most: 0 };
    const [orgs, users] = await reads(db, tracked(() => db.organization.count(), root), tracked(() => db.user.count(), root));
    expect(root.most).toBe(2);
    const inTx = { inFlight: 0, most: 0 };
    const [orgs2, users2] = await db.$transaction((tx) =>
      reads(tx, tracked(() => tx.organization.count(), inTx), tracked(() => tx.user.count(), inTx)),
    );
    expect(inTx.most).toBe(1);
    expect([orgs2, users2]).toEqual([orgs, users]);
    expect(orgs).toBeGreaterThan(0);
  });
});

describe("a transaction on PostgreSQL", () => {
  it("sends Prisma's relation queries one at a time on its connection, and rolls back as before", async () => {
    const db = getDb();
    if (dbKind() !== "postgresql") return; // SQLite: one connection, Prisma's queries are awaited there
    // node-postgres's own queue is what lib/pg-transactions.ts replaces: count the statements
    // that reach a connection while it is still running one (each of them warns).
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    let overlapping = 0;
    proto.query = function (this: { _activeQuery?: unknown; _queryQueue?: unknown[] }, ...args: unknown[]) {
      if (this._activeQuery || this._queryQueue?.length) overlapping += 1;
      return original.apply(this, args);
    };
    try {
      const license = await db.$transaction(async (tx) => {
        // Three relations: Prisma issues their queries together.
        const found = await tx.license.findFirstOrThrow({ select: licenseForKeySelect, orderBy: { licenseId: "asc" } });
        await Promise.all([tx.organization.count(), tx.user.count(), tx.license.count()]);
        return found;
      });
      expect(license.workloads.length).toBeGreaterThan(0);
      expect(overlapping).toBe(0);
      const failed = db.$transaction(async (tx) => {
        await tx.license.update({ where: { id: license.id }, data: { description: "rolled back" } });
        await Promise.all([tx.license.findFirstOrThrow({ where: { id: license.id }, select: licenseForKeySelect }), tx.user.count()]);
        throw new Error("stop");
      });
      await expect(failed).rejects.toThrow("stop");
      expect((await db.license.findUniqueOrThrow({ where: { id: license.id } })).description).not.toBe("rolled back");
      expect(overlapping).toBe(0);
    } finally {
      proto.query = original;
    }
  });
});
