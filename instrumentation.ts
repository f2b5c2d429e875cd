// Runs once when the server starts.
export async function register() {
  if (process.env.PULSE_TEST_CLOCK === "1") {
    console.warn("WARNING: PULSE_TEST_CLOCK=1 — the test clock endpoints are enabled. Never run production like this.");
  }
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Every request carries its socket's address, for the client address (lib/http/peer-address.ts).
    (await import("./lib/http/peer-address")).installPeerStamp();
    // Load shedding of the product API, before Next.js handles a request (lib/http/overload.ts).
    (await import("./lib/http/overload")).guardProductApiAtTheSocket();
    // The background runner (automatic submission): from durable job rows, in every instance.
    const { startJobRunner } = await import("./lib/server/jobs/runner");
    startJobRunner();
  }
}
