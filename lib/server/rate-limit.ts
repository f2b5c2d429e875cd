// Fixed-window rate limits: one counter per name and window, and two places to keep it.
// - databaseCounters: a row per window (an atomic increment), shared by all app instances. The
//   sign-in throttle uses it (lib/server/sign-in.ts).
// - memoryCounters(): this process's memory. The product API uses it (lib/http/route.ts): a
//   database write per request would cost the hot path more than the check itself, so those
//   limits are per app instance (documented in the README): behind a load balancer with N
//   instances a client can make up to N times the configured rate.
import "server-only";
import { getDb } from "../db";

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  /** Seconds until the current window ends. */
  retryAfter: number;
}

/** One window of one counter: `key` names both. */
export interface RateLimitWindow {
  key: string;
  /** The window's number since the epoch (its start divided by its length). */
  index: number;
  endsAt: Date;
}

/** Where the counters are kept. */
export interface RateLimitStore {
  /** Adds one hit to the window's counter; answers the new count. */
  increment(window: RateLimitWindow, now: Date): Promise<number>;
  /** Takes one hit back off the window's counter (never below zero). */
  decrement(window: RateLimitWindow): Promise<void>;
}

function windowOf(name: string, now: Date, windowMs: number): RateLimitWindow & { retryAfter: number } {
  const index = Math.floor(now.getTime() / windowMs);
  const endsAt = new Date((index + 1) * windowMs);
  return { key: `${name}@${index}`, index, endsAt, retryAfter: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000)) };
}

/** Counts one hit against `name` in a fixed window of `windowMs` and says whether it is within `limit`. */
export async function hit(store: RateLimitStore, name: string, limit: number, windowMs: number, now: Date): Promise<RateLimitResult> {
  const w = windowOf(name, now, windowMs);
  const count = await store.increment(w, now);
  return { allowed: count <= limit, count, retryAfter: w.retryAfter };
}

/** Takes one hit back off the current window (an attempt that turned out fine). */
export async function forgive(store: RateLimitStore, name: string, windowMs: number, now: Date): Promise<void> {
  await store.decrement(windowOf(name, now, windowMs));
}

/** Counters in the database (table RateLimitBucket), shared by every app instance. */
export const databaseCounters: RateLimitStore = {
  async increment(w, now) {
    const row = await getDb().rateLimitBucket.upsert({
      where: { key: w.key },
      create: { key: w.key, count: 1, expiresAt: w.endsAt },
      update: { count: { increment: 1 } },
    });
    if (row.count === 1 && w.index % 16 === 0) {
      // Now and then, drop windows that have ended.
      await getDb().rateLimitBucket.deleteMany({ where: { expiresAt: { lt: now } } });
    }
    return row.count;
  },
  async decrement(w) {
    await getDb().rateLimitBucket.updateMany({ where: { key: w.key, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
  },
};

/** Counters in this process's memory; windows that have ended are dropped when a new one starts. */
export function memoryCounters(): RateLimitStore {
  const counters = new Map<string, { count: number; endsAt: number }>();
  let lastIndex: number | undefined;
  return {
    async increment(w, now) {
      if (w.index !== lastIndex) {
        const t = now.getTime();
        for (const [key, c] of counters) if (c.endsAt <= t) counters.delete(key);
        lastIndex = w.index;
      }
      const c = counters.get(w.key) ?? { count: 0, endsAt: w.endsAt.getTime() };
      c.count += 1;
      counters.set(w.key, c);
      return c.count;
    },
    async decrement(w) {
      const c = counters.get(w.key);
      if (c && c.count > 0) c.count -= 1;
    },
  };
}
