import { describe, expect, it } from "vitest";
import { forgive, hit, memoryCounters, type RateLimitStore, type RateLimitWindow } from "./rate-limit";

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
