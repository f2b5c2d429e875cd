// Runs once when the server starts.
export async function register() {
  if (process.env.PULSE_TEST_CLOCK === "1") {
    console.warn("WARNING: PULSE_TEST_CLOCK=1 — the test clock endpoints are enabled. Never run production like this.");
  }
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // A setting that would fail requests one by one stops the start instead, saying which.
    const { configurationProblems } = await import("./lib/config");
    const { parseTrustedProxies } = await import("./lib/http/client-address");
    const problems = configurationProblems(process.env, parseTrustedProxies);
    if (problems.length > 0) {
      for (const problem of problems) console.error(`Configuration: ${problem}`);
      process.exit(1);
    }
    // Every request carries its socket's address, for the client address (lib/http/peer-address.ts).
    (await import("./lib/http/peer-address")).installPeerStamp();
    // Load shedding of the product API, before Next.js handles a request (lib/http/overload.ts).
    (await import("./lib/http/overload")).guardProductApiAtTheSocket();
    // The background runner (automatic submission): from durable job rows, in every instance.
    const { startJobRunner } = await import("./lib/server/jobs/runner");
    startJobRunner();
  }
}
