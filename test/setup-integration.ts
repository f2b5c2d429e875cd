// Runs in each integration test file's worker: gives the file its own database and data folder.
import { afterAll, inject } from "vitest";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { cloneTemplate } from "./databases";
import { getDb } from "../lib/db";

const db = await cloneTemplate(inject("dbTemplate"));
process.env.DATABASE_URL = db.url;
const dataDir = path.join(inject("testDataDir"), `data-${randomBytes(4).toString("hex")}`);
mkdirSync(dataDir, { recursive: true });
process.env.PULSE_DATA_DIR = dataDir;
process.env.NEXTAUTH_SECRET = "integration-test-secret-integration-test-secret";

afterAll(async () => {
  await getDb().$disconnect();
  await db.drop();
});
