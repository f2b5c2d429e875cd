import "server-only";
import { getDb } from "../db";

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  /** Seconds until the current window ends. */
  retryAfter: number;
}

function windowOf(now: Date, windowMs: number) {
  const index = Math.floor(now.getTime() / windowMs);
  const endsAt = new Date((index + 1) * windowMs);
  return { index, endsAt, retryAfter: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000)) };
}

/**
 * Counts one hit against `name` in a fixed window and says whether it is within `limit`.
 * The counter is a database row (an atomic increment), so all app instances share it.
 */
export async function hit(name: string, limit: number, windowMs: number, now: Date): Promise<RateLimitResult> {
  const w = windowOf(now, windowMs);
  const key = `${name}@${w.index}`;
  const row = await getDb().rateLimitBucket.upsert({
    where: { key },
    create: { key, count: 1, expiresAt: w.endsAt },
    update: { count: { increment: 1 } },
  });
  if (row.count === 1 && w.index % 16 === 0) {
    // Now and then, drop windows that have ended.
    await getDb().rateLimitBucket.deleteMany({ where: { expiresAt: { lt: now } } });
  }
  return { allowed: row.count <= limit, count: row.count, retryAfter: w.retryAfter };
}

/** Takes one hit back off the current window (an attempt that turned out fine). */
export async function forgive(name: string, windowMs: number, now: Date): Promise<void> {
  const w = windowOf(now, windowMs);
  await getDb().rateLimitBucket.updateMany({ where: { key: `${name}@${w.index}`, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}
