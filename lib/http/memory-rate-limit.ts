// Fixed-window request counters for the product API, kept in this process's memory: a database
// write per request would cost the hot path more than the check itself. The limits are
// therefore per app instance (documented in the README): behind a load balancer with N
// instances a client can make up to N times the configured rate.
const windows = new Map<string, { index: number; count: number }>();
let lastPrune = 0;

export function hitInMemory(key: string, limit: number, windowMs: number, now: Date): { allowed: boolean; retryAfter: number } {
  const t = now.getTime();
  const index = Math.floor(t / windowMs);
  if (index !== lastPrune) {
    for (const [k, w] of windows) if (w.index < index) windows.delete(k);
    lastPrune = index;
  }
  const w = windows.get(key);
  const entry = w && w.index === index ? w : { index, count: 0 };
  entry.count += 1;
  windows.set(key, entry);
  const retryAfter = Math.max(1, Math.ceil(((index + 1) * windowMs - t) / 1000));
  return { allowed: entry.count <= limit, retryAfter };
}
