// Next's production server loads lib/db.ts more than once (the instrumentation hook that starts the
// background runner is bundled apart from the routes), and whichever copy makes the shared client
// first, the others must know it: its pool (PostgreSQL fast paths), its kind, its transactions.
import { describe, expect, it, vi } from "vitest";

describe("the database client across module copies", () => {
  it("a client made by one copy of lib/db is fully known to another copy", async () => {
    vi.resetModules();
    const first = await import("@/lib/db");
    const client = first.getDb();
    vi.resetModules();
    const second = await import("@/lib/db");
    expect(second).not.toBe(first); // two copies of the module, as in the production server
    expect(second.getDb()).toBe(client);
    expect(second.kindOf(client)).toBe(first.dbKind());
    expect(second.pgPool() !== null).toBe(first.dbKind() === "postgresql");
    await client.organization.count(); // connects (SQLite opens its read connection then)
    expect(second.sqliteReader()).toBe(first.sqliteReader());
    expect(second.sqliteReader() !== null).toBe(first.dbKind() === "sqlite");
    // A transaction client made through the first copy's wrapper is one for the second copy too.
    await client.$transaction(async (tx) => {
      expect(second.kindOf(tx)).toBe(first.dbKind());
      const order: string[] = [];
      // One after another on a transaction's connection (at once, they would interleave).
      await second.reads(
        tx,
        async () => {
          order.push("a starts");
          await new Promise((r) => setTimeout(r, 20));
          order.push("a ends");
        },
        async () => void order.push("b"),
      );
      expect(order).toEqual(["a starts", "a ends", "b"]);
    });
  });
});
