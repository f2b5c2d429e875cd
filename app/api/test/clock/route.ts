// The test clock of PRODUCT-API.md: only when the server runs with PULSE_TEST_CLOCK=1.
import { now, resetTestClock, setTestClock, systemNow } from "@/lib/clock";
import { runJobsOnce } from "@/lib/server/jobs/runner";
import { testClockEnabled } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { json, publicRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { testClockSchema } from "@/lib/schemas/test-clock";

export const dynamic = "force-dynamic";

function requireEnabled() {
  if (!testClockEnabled()) throw new AppError("NOT_FOUND", "Not found.");
}

export const GET = publicRoute(async () => {
  requireEnabled();
  return json({ now: (await now()).toISOString() });
});

export const PUT = publicRoute(async ({ req }) => {
  requireEnabled();
  const { now: at } = parseWith(testClockSchema(systemNow()), await readJsonBody(req));
  await setTestClock(new Date(at));
  // The background work that the new time makes due runs before the answer (automatic submission).
  await runJobsOnce();
  return json({ now: (await now()).toISOString() });
});

export const DELETE = publicRoute(async () => {
  requireEnabled();
  await resetTestClock();
  return json({ now: (await now()).toISOString() });
});
