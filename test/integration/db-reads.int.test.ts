// reads() of lib/db.ts: independent reads run at once on the root client and one at a time on a
// transaction client (one connection: node-postgres would queue them with a warning).
import { describe, expect, it } from "vitest";
import { getDb, reads } from "@/lib/db";

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
