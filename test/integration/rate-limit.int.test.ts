// Limits shared by app instances through the database (lib/server/rate-limit.ts, leases), the
// per-user write limit of the portal's route wrappers, and the client address the product API
// stores. On SQLite and (PULSE_TEST_DB=pg) PostgreSQL.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { POST as openCaseRoute } from "@/app/api/portal/cases/route";
import { setTestClock } from "@/lib/clock";
import { createDb, getDb } from "@/lib/db";
import { PEER_HEADER, peerStampFor } from "@/lib/http/peer-address";
import { writesPerUserPerMinute } from "@/lib/http/route";
import { databaseLeases, leaseBlock, leasedLimiter, type LeaseBackend } from "@/lib/server/rate-limit";
import { reserveBlocks, reserveBlocksReference, type Reservation } from "@/lib/server/store/rate-limits";
import { call, DEMO, request } from "../helpers";
import { keyOf, postUpdate } from "../product";

const MINUTE = 60_000;
// A second database client, as a second app instance would have.
const otherInstanceDb = createDb({ url: process.env.DATABASE_URL });
afterAll(async () => {
  await otherInstanceDb.$disconnect();
});

function counting(backend: LeaseBackend) {
  const counted = { calls: 0, reserve: (...args: Parameters<LeaseBackend["reserve"]>) => ((counted.calls += 1), backend.reserve(...args)) };
  return counted;
}

describe("leases shared through the database by two instances", () => {
  it("hit at once on both, allow at most the limit and at least the limit minus two blocks, at about one write per block", async () => {
    const now = new Date("2026-06-01T10:00:30Z");
    const limit = 200;
    const a = counting(databaseLeases());
    const b = counting(databaseLeases(() => otherInstanceDb));
    const instances = [leasedLimiter(a), leasedLimiter(b)];
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => instances[i % 2].hit("address:198.51.100.9", limit, MINUTE, now)));
    const allowed = results.filter((r) => r.allowed).length;
    expect(allowed).toBeLessThanOrEqual(limit);
    expect(allowed).toBeGreaterThanOrEqual(limit - 2 * leaseBlock(limit));
    // 200 / 10 = 20 blocks and a last look each: the database saw a write per block, not per hit.
    expect(a.calls + b.calls).toBeLessThanOrEqual(limit / leaseBlock(limit) + 2);
    // Exhausted: both refuse without touching the database until the window ends.
    const calls = a.calls + b.calls;
    for (let i = 0; i < 50; i++) expect((await instances[i % 2].hit("address:198.51.100.9", limit, MINUTE, now)).allowed).toBe(false);
    expect(a.calls + b.calls).toBe(calls);
    expect((await instances[0].hit("address:198.51.100.9", limit, MINUTE, new Date("2026-06-01T10:01:00Z"))).allowed).toBe(true);
  });

  it("property: allowed over any spread of hits on two instances agrees with one plain counter, within two blocks", async () => {
    const now = new Date("2026-06-01T11:00:30Z");
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.array(fc.boolean(), { maxLength: 120 }), async (limit, picks) => {
        const name = `prop:${randomUUID()}`;
        const instances = [leasedLimiter(databaseLeases()), leasedLimiter(databaseLeases(() => otherInstanceDb))];
        const results = await Promise.all(picks.map((second) => instances[second ? 1 : 0].hit(name, limit, MINUTE, now)));
        const allowed = results.filter((r) => r.allowed).length;
        const plain = Math.min(picks.length, limit); // the model: one counter for everybody
        expect(allowed).toBeLessThanOrEqual(plain);
        expect(allowed).toBeGreaterThanOrEqual(Math.min(picks.length, limit - 2 * (leaseBlock(limit) - 1)));
      }),
      { numRuns: 25 },
    );
  });
});

describe("reserveBlocks (the batched lease statement)", () => {
  it("parity with its Prisma reference: the same totals and rows for random batches, repeated keys included", async () => {
    const expiresAt = new Date("2026-06-01T10:01:00Z");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.record({ k: fc.integer({ min: 0, max: 5 }), block: fc.integer({ min: 1, max: 500 }) }), { maxLength: 8 }), { maxLength: 5 }), async (batches) => {
        const run = randomUUID();
        const as = (prefix: string, items: { k: number; block: number }[]): Reservation[] => items.map(({ k, block }) => ({ key: `${prefix}:${run}:${k}`, block, expiresAt }));
        for (const batch of batches) {
          const fast = await reserveBlocks(getDb(), as("fast", batch));
          const reference = await reserveBlocksReference(getDb(), as("ref", batch));
          const strip = (m: Map<string, number>) => [...m].map(([k, v]) => [k.split(":").pop(), v]).sort();
          expect(strip(fast)).toEqual(strip(reference));
        }
        const rows = async (prefix: string) =>
          (await getDb().rateLimitBucket.findMany({ where: { key: { startsWith: `${prefix}:${run}:` } } })).map((r) => [r.key.split(":").pop(), r.count, r.expiresAt.toISOString()]).sort();
        expect(await rows("fast")).toEqual(await rows("ref"));
      }),
      { numRuns: 20 },
    );
  });

  it("two instances' batches sharing keys in opposite orders never deadlock: rows are locked in key order", async () => {
    // Two clients of one database, as two app instances are (each with its own connections).
    const other = createDb();
    try {
      const expiresAt = new Date(Date.now() + 60_000);
      const keys = Array.from({ length: 30 }, (_, i) => `deadlock:${randomUUID()}:${i}`);
      const batch = (order: string[]): Reservation[] => order.map((key) => ({ key, block: 1, expiresAt }));
      for (let round = 0; round < 15; round++) {
        await Promise.all([reserveBlocks(getDb(), batch(keys)), reserveBlocks(other, batch([...keys].reverse())), reserveBlocks(getDb(), batch([...keys].reverse()))]);
      }
      const counts = await getDb().rateLimitBucket.findMany({ where: { key: { in: keys } }, select: { count: true } });
      expect(counts.map((c) => c.count)).toEqual(keys.map(() => 45));
    } finally {
      await other.$disconnect();
    }
  });
});

describe("writes per user", () => {
  const saved = process.env.PULSE_RATE_LIMIT_WRITES_PER_USER;
  afterEach(() => {
    delete process.env.PULSE_TEST_CLOCK;
    if (saved === undefined) delete process.env.PULSE_RATE_LIMIT_WRITES_PER_USER;
    else process.env.PULSE_RATE_LIMIT_WRITES_PER_USER = saved;
  });

  it("allows 60 writes a minute per user unless PULSE_RATE_LIMIT_WRITES_PER_USER says otherwise", () => {
    delete process.env.PULSE_RATE_LIMIT_WRITES_PER_USER;
    expect(writesPerUserPerMinute()).toBe(60);
    process.env.PULSE_RATE_LIMIT_WRITES_PER_USER = "5";
    expect(writesPerUserPerMinute()).toBe(5);
  });

  it("answers the 61st write of a minute 429 with Retry-After and creates nothing; another user is unaffected", async () => {
    // The test clock at the start of a minute, so that the writes share one window.
    delete process.env.PULSE_RATE_LIMIT_WRITES_PER_USER; // the default, 60
    process.env.PULSE_TEST_CLOCK = "1";
    await setTestClock(new Date("2031-03-03T10:00:00Z"));
    const caseBody = { type: "GENERAL_INQUIRY", problemArea: "VCSP_PULSE", severity: 3, summary: "Rate limit test", description: "x".repeat(9_000) };
    const open = async (as: string) => call(openCaseRoute, await request("POST", "/api/portal/cases", { as, body: caseBody }));
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await open(DEMO.alice)).status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const before = await getDb().supportCase.count();
    const refused = await open(DEMO.alice);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.json).toMatchObject({ status: 429, detail: expect.stringMatching(/^Too many changes: at most 60 a minute for one user/) });
    expect(await getDb().supportCase.count()).toBe(before);
    // Another user is not affected.
    expect((await open(DEMO.bob)).status).toBe(201);
  });
});

describe("the update session's client address", () => {
  it("is the socket's peer, not the X-Forwarded-For the client wrote; behind a trusted proxy, the address the proxy saw", async () => {
    const key = await keyOf("LIC-ACME1-00002");
    const body = { licenseKey: key, installationId: "vbr-address-01", productVersion: "13.0.1.1071" };
    const sessions = () => getDb().updateSession.findMany({ where: { installationId: "vbr-address-01" }, orderBy: { createdAt: "asc" }, select: { clientAddress: true } });
    expect((await postUpdate(body, { [PEER_HEADER]: peerStampFor("::ffff:198.51.100.9"), "x-forwarded-for": "203.0.113.66" })).status).toBe(200);
    process.env.PULSE_TRUSTED_PROXIES = "127.0.0.1";
    try {
      expect((await postUpdate(body, { [PEER_HEADER]: peerStampFor("127.0.0.1"), "x-forwarded-for": "203.0.113.66, 198.51.100.10" })).status).toBe(200);
    } finally {
      delete process.env.PULSE_TRUSTED_PROXIES;
    }
    expect((await sessions()).map((s) => s.clientAddress)).toEqual(["198.51.100.9", "198.51.100.10"]);
  });
});
