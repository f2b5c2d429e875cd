// Runs in each integration test file's worker: gives the file its own database.
import { afterAll, inject } from "vitest";
import { cloneTemplate } from "./databases";
import { getDb } from "../lib/db";

const db = await cloneTemplate(inject("dbTemplate"));
process.env.DATABASE_URL = db.url;
// One data folder for the run: the demo keys of the template were signed with its signing key.
process.env.PULSE_DATA_DIR = inject("testDataDir");
process.env.NEXTAUTH_SECRET = "integration-test-secret-integration-test-secret";

afterAll(async () => {
  await getDb().$disconnect();
  await db.drop();
});
