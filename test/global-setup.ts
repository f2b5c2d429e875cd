import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDb } from "../lib/db";
import { loadDemoData } from "../prisma/demo-data";
import { deployMigrations } from "../scripts/lib/migrator";
import { pgAdmin, pgUrlFor, testDbKind } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    dbTemplate: string;
    testDataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulse-int-"));
  process.env.PULSE_DATA_DIR = dir; // the signing key that signs the demo keys lives here
  let template: string;
  let url: string;
  if (testDbKind() === "sqlite") {
    template = path.join(dir, "template.db");
    url = `file:${template}`;
  } else {
    template = `pulse_tmpl_${process.pid}`;
    await pgAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${template}`);
    });
    url = pgUrlFor(template);
  }
  await deployMigrations(url);
  const db = createDb({ url });
  await loadDemoData(db, new Date());
  if (testDbKind() === "sqlite") await db.$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  await db.$disconnect();
  project.provide("dbTemplate", template);
  project.provide("testDataDir", dir);

  return async () => {
    if (testDbKind() === "postgresql") {
      await pgAdmin(async (c) => {
        const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'pulse_test_%' OR datname = $1", [template]);
        for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
