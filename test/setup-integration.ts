// Runs in each integration test file's worker: gives the file its own database.
import { afterAll, inject } from "vitest";
import { cloneTemplate } from "./databases";
import { getDb } from "../lib/db";

const db = await cloneTemplate(inject("dbTemplate"));
process.env.DATABASE_URL = db.url;
// One data folder for the run: the demo keys of the template were signed with its signing key.
process.env.PULSE_DATA_DIR = inject("testDataDir");
process.env.NEXTAUTH_SECRET = "integration-test-secret-integration-test-secret";
// The tests act as a few demo users and make far more writes a minute than a person would (races
// of 50 concurrent submits, fuzzing): the per-user write limit (60 a minute by default) is tested
// on its own in rate-limit.int.test.ts, which sets it.
process.env.PULSE_RATE_LIMIT_WRITES_PER_USER = "1000000";

afterAll(async () => {
  await getDb().$disconnect();
  await db.drop();
});
