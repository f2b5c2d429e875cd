import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forgive, grantedOf, hit, leaseBlock, leasedLimiter, memoryCounters, memoryLeases, type RateLimitStore, type RateLimitWindow } from "./rate-limit";

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);

describe("hit (fixed window)", () => {
  it("allows `limit` hits a window, then refuses until the next window, with the seconds left", async () => {
    const store = memoryCounters();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hit(store, "a", 3, MINUTE, at(`2026-06-01T10:00:${String(10 + i).padStart(2, "0")}Z`)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    expect(results[3].retryAfter).toBe(47);
    expect(await hit(store, "a", 3, MINUTE, at("2026-06-01T10:01:00Z"))).toMatchObject({ allowed: true, count: 1, retryAfter: 60 });
  });

  it("counts each name apart, and forgive takes one hit back", async () => {
    const store = memoryCounters();
    const now = at("2026-06-01T10:00:30Z");
    await hit(store, "a", 1, MINUTE, now);
    expect((await hit(store, "b", 1, MINUTE, now)).allowed).toBe(true);
    expect((await hit(store, "a", 1, MINUTE, now)).allowed).toBe(false);
    await forgive(store, "a", MINUTE, now);
    await forgive(store, "a", MINUTE, now);
    await forgive(store, "a", MINUTE, now); // never below zero
    expect(await hit(store, "a", 1, MINUTE, now)).toMatchObject({ allowed: true, count: 1 });
  });

  it("hands the store the window's key, number and end", async () => {
    const seen: RateLimitWindow[] = [];
    const store: RateLimitStore = { increment: async (w) => (seen.push(w), 1), decrement: async () => undefined };
    await hit(store, "sign-in:x", 5, MINUTE, at("2026-06-01T10:00:30Z"));
    const index = Date.parse("2026-06-01T10:00:00Z") / MINUTE;
    expect(seen).toEqual([{ key: `sign-in:x@${index}`, index, endsAt: at("2026-06-01T10:01:00Z"), retryAfter: 30 }]);
  });
});

describe("memoryCounters", () => {
  it("drops the windows that have ended when a new one starts", async () => {
    const store = memoryCounters();
    for (let i = 0; i < 5; i++) await hit(store, `n${i}`, 10, MINUTE, at("2026-06-01T10:00:00Z"));
    // A later window: the old counters are gone, a name starts from 1 again.
    expect((await hit(store, "n0", 10, MINUTE, at("2026-06-01T10:05:00Z"))).count).toBe(1);
    expect((await hit(store, "n0", 10, MINUTE, at("2026-06-01T10:00:00Z"))).count).toBe(1);
  });
});

describe("leases (leasedLimiter)", () => {
  const now = at("2026-06-01T10:00:30Z");

  it("takes blocks of ceil(limit / 20), at least 1, and grants only what is within the limit", () => {
    expect([1, 20, 21, 60, 120, 1200].map(leaseBlock)).toEqual([1, 1, 2, 3, 6, 60]);
    expect(grantedOf(6, 6, 120)).toBe(6);
    expect(grantedOf(120, 6, 120)).toBe(6);
    expect(grantedOf(123, 6, 120)).toBe(3); // straddles: the remainder
    expect(grantedOf(126, 6, 120)).toBe(0);
    expect(grantedOf(200, 6, 120)).toBe(0);
  });

  it("serves a block's hits from memory: one reservation per block, then none once the window is exhausted", async () => {
    const backend = memoryLeases();
    const limiter = leasedLimiter(backend);
    const results = [];
    for (let i = 0; i < 150; i++) results.push(await limiter.hit("license:x", 120, MINUTE, now));
    expect(results.filter((r) => r.allowed)).toHaveLength(120);
    expect(results.slice(120).every((r) => !r.allowed && r.retryAfter === 30)).toBe(true);
    expect(backend.calls).toBe(20); // 120 / 6
    for (let i = 0; i < 100; i++) await limiter.hit("license:x", 120, MINUTE, now);
    expect(backend.calls).toBe(20); // refused locally
    // The next window starts afresh.
    expect((await limiter.hit("license:x", 120, MINUTE, at("2026-06-01T10:01:00Z"))).allowed).toBe(true);
  });

  it("waits for one lease when hits come at once, instead of each taking a block", async () => {
    const backend = memoryLeases();
    const limiter = leasedLimiter(backend);
    const results = await Promise.all(Array.from({ length: 10 }, () => limiter.hit("a", 100, MINUTE, now)));
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(backend.calls).toBe(2); // blocks of 5
  });

  it("a failing backend fails the hit, and the next hit tries again", async () => {
    let fail = true;
    const inner = memoryLeases();
    const limiter = leasedLimiter({ reserve: (w, b, n) => (fail ? Promise.reject(new Error("database down")) : inner.reserve(w, b, n)) });
    await expect(limiter.hit("a", 10, MINUTE, now)).rejects.toThrow("database down");
    fail = false;
    expect((await limiter.hit("a", 10, MINUTE, now)).allowed).toBe(true);
  });

  it("property: any number of instances sharing one backend allow at most the limit, and at least limit - instances * (block - 1)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(), { maxLength: 600 }),
        fc.boolean(),
        async (limit, instances, picks, concurrent) => {
          const backend = memoryLeases();
          const limiters = Array.from({ length: instances }, () => leasedLimiter(backend));
          const send = (pick: number) => limiters[pick % instances].hit("address:198.51.100.9", limit, MINUTE, now);
          const results = concurrent ? await Promise.all(picks.map(send)) : await (async () => {
            const out = [];
            for (const p of picks) out.push(await send(p));
            return out;
          })();
          const allowed = results.filter((r) => r.allowed).length;
          // The plain model (one counter): min(hits, limit).
          const model = Math.min(picks.length, limit);
          expect(allowed).toBeLessThanOrEqual(model);
          expect(allowed).toBeGreaterThanOrEqual(Math.min(picks.length, limit - instances * (leaseBlock(limit) - 1)));
          if (instances === 1 && !concurrent) expect(allowed).toBe(model);
        },
      ),
      { numRuns: 200 },
    );
  });
});
