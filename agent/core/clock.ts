// The agent's one reader of the system clock (a product server's own clock). With --test-clock
// the agent follows the portal's time instead (GET /api/test/clock).
export function systemNow(): Date {
  return new Date(Date.now());
}

/** Sleeps `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
