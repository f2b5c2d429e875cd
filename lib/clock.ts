// The one place that reads the system clock. Everything else receives `now` from here.
// With PULSE_TEST_CLOCK=1 (tests only) the time can be moved: an offset from real time kept in
// the database, so every server process and a restart agree on it.
import { testClockEnabled } from "./config";
import { getDb } from "./db";

const OFFSET_KEY = "testClock.offsetMs";

export function systemNow(): Date {
  return new Date(Date.now());
}

export async function now(): Promise<Date> {
  if (!testClockEnabled()) return systemNow();
  const row = await getDb().setting.findUnique({ where: { key: OFFSET_KEY } });
  return new Date(Date.now() + (row ? Number(row.value) : 0));
}

/** Moves the test clock to `at`; it keeps running from there. */
export async function setTestClock(at: Date): Promise<Date> {
  const offset = at.getTime() - Date.now();
  await getDb().setting.upsert({
    where: { key: OFFSET_KEY },
    create: { key: OFFSET_KEY, value: String(offset) },
    update: { value: String(offset) },
  });
  return at;
}

export async function resetTestClock(): Promise<void> {
  await getDb().setting.deleteMany({ where: { key: OFFSET_KEY } });
}
