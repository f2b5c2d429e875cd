// Fixed-window rate limits: one counter per name and window, and three ways to keep it.
// - databaseCounters: a row per window (an atomic increment per hit), shared by all app
//   instances. The sign-in throttle uses it (lib/server/sign-in.ts): few hits, each one matters.
// - leasedLimiter(): shared by all app instances too, without a database write per hit: the
//   product API's limits, API tokens' limits and the per-user write limit (lib/http/route.ts).
//   See leasedLimiter below.
// - memoryCounters(): this process's memory only (tests and models).
import "server-only";
import { getDb, type Db } from "../db";
import { reserveBlocks, type Reservation } from "./store/rate-limits";

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

// ---------------------------------------------------------------------------------------------
// Leases: a limit shared by every app instance, at one database write per block of hits.
//
// Each window of each name has one database row (RateLimitBucket, key "name@index") whose count
// is the number of permits handed out so far to all instances together. An instance that needs a
// permit takes a whole block at once with one atomic `count = count + block` that answers the new
// count; of the block's permits, those numbered up to `limit` are its own (a block that straddles
// the limit grants only the remainder, one past it grants none), and it serves the next hits from
// them in memory. Every permit number 1..limit goes to exactly one instance, so all instances
// together never allow more than `limit` in a window, however many there are. The price: permits
// an instance leased but did not use by the window's end are lost, at most block - 1 per instance,
// so a client spread over N instances gets at least limit - N * (block - 1) when it asks for more
// than the limit. Once an instance has seen the count reach the limit, it refuses that window's
// further hits locally without touching the database until the window ends. Concurrent hits of
// one instance wait for one lease instead of each taking a block.
//
// The default block, ceil(limit / 20) (at least 1), keeps the database writes to about 20 per
// name and window at full rate, and the loss to 5% of the limit per instance.

export interface LeaseBackend {
  /** Adds `block` to the window's counter (creating it at `block`) in one atomic step; answers the new count. */
  reserve(window: RateLimitWindow, block: number, now: Date): Promise<number>;
}

/** The default block: ceil(limit / 20), at least 1. */
export function leaseBlock(limit: number): number {
  return Math.max(1, Math.ceil(limit / 20));
}

/** How many of the permits numbered total - block + 1 .. total are within `limit`. */
export function grantedOf(total: number, block: number, limit: number): number {
  return Math.max(0, Math.min(block, limit - (total - block)));
}

/**
 * Leases in the database (table RateLimitBucket), shared by every app instance on it. The
 * reservations asked for while a statement is out go together in the next one
 * (store/rate-limits.ts, reserveBlocks): one statement at a time per instance, as many keys as
 * have gathered. For two reservations of one key in a batch, the first gets total - second block.
 */
export function databaseLeases(db: () => Db = getDb): LeaseBackend {
  let lastSweep = 0;
  let queue: { reservation: Reservation; resolve: (total: number) => void; reject: (error: unknown) => void }[] = [];
  let running = false;

  async function flush(now: Date) {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          const totals = await reserveBlocks(db(), batch.map((q) => q.reservation));
          // Hand each waiter its own part of the key's new total, the later ones the higher numbers.
          const after = new Map<string, number>();
          for (let i = batch.length - 1; i >= 0; i--) {
            const { key, block } = batch[i].reservation;
            const total = after.get(key) ?? totals.get(key);
            if (total === undefined) {
              batch[i].reject(new Error(`reserveBlocks: no count for ${key}`));
              continue;
            }
            after.set(key, total - block);
            batch[i].resolve(total);
          }
        } catch (error) {
          for (const q of batch) q.reject(error);
        }
      }
      // At most once a minute per instance, drop the windows that have ended.
      if (now.getTime() - lastSweep >= 60_000) {
        lastSweep = now.getTime();
        await db().rateLimitBucket.deleteMany({ where: { expiresAt: { lt: now } } }).catch(() => undefined);
      }
    } finally {
      running = false;
      // Reservations that arrived during the sweep.
      if (queue.length > 0) void flush(now);
    }
  }

  return {
    reserve(w, block, now) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ reservation: { key: w.key, block, expiresAt: w.endsAt }, resolve, reject });
        if (!running) void flush(now);
      });
    },
  };
}

/** Leases in this process's memory: a stand-in for the database in unit tests and models. */
export function memoryLeases(): LeaseBackend & { counts: Map<string, number>; calls: number } {
  const counts = new Map<string, number>();
  const backend = {
    counts,
    calls: 0,
    async reserve(w: RateLimitWindow, block: number) {
      backend.calls++;
      const total = (counts.get(w.key) ?? 0) + block;
      counts.set(w.key, total);
      return total;
    },
  };
  return backend;
}

export interface Limiter {
  /** Counts one hit against `name` in a fixed window of `windowMs` and says whether it is within `limit`. */
  hit(name: string, limit: number, windowMs: number, now: Date): Promise<RateLimitResult>;
}

interface LeaseState {
  endsAt: number;
  /** Permits leased and not used yet. */
  available: number;
  /** The shared count has reached the limit: no more leases this window. */
  exhausted: boolean;
  /** Hits this instance saw in the window. */
  seen: number;
  pending?: Promise<void>;
}

/** A limiter shared through `backend` (the database by default); one per app instance. */
export function leasedLimiter(backend: LeaseBackend = databaseLeases(), blockOf: (limit: number) => number = leaseBlock): Limiter {
  const states = new Map<string, LeaseState>();
  let lastSweep = 0;
  return {
    async hit(name, limit, windowMs, now) {
      // The limit is part of the key: a changed setting starts its own count.
      const w = windowOf(`${name}#${limit}`, now, windowMs);
      const t = now.getTime();
      let s = states.get(w.key);
      if (!s) {
        if (t - lastSweep >= 1_000) {
          lastSweep = t;
          for (const [key, old] of states) if (old.endsAt <= t && !old.pending) states.delete(key);
        }
        s = { endsAt: w.endsAt.getTime(), available: 0, exhausted: false, seen: 0 };
        states.set(w.key, s);
      }
      s.seen++;
      const state = s;
      for (;;) {
        if (state.available > 0) {
          state.available--;
          return { allowed: true, count: state.seen, retryAfter: w.retryAfter };
        }
        if (state.exhausted || limit <= 0) return { allowed: false, count: state.seen, retryAfter: w.retryAfter };
        if (!state.pending) {
          const block = Math.max(1, Math.floor(blockOf(limit)));
          state.pending = backend
            .reserve(w, block, now)
            .then((total) => {
              state.available += grantedOf(total, block, limit);
              if (total >= limit) state.exhausted = true;
            })
            .finally(() => {
              state.pending = undefined;
            });
        }
        await state.pending;
      }
    },
  };
}
