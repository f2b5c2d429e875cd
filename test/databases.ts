// Test databases: one migrated template with the demo data per run, and a fresh copy of it for
// every test file, so files run in parallel without seeing each other's writes.
// SQLite (default) copies a file; PostgreSQL (PULSE_TEST_DB=pg with DATABASE_URL_PG) clones a
// database with CREATE DATABASE ... TEMPLATE.
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";

export type TestDbKind = "sqlite" | "postgresql";

export function testDbKind(): TestDbKind {
  return process.env.PULSE_TEST_DB === "pg" ? "postgresql" : "sqlite";
}

export function pgAdminUrl(): string {
  const url = process.env.DATABASE_URL_PG;
  if (!url) throw new Error("PULSE_TEST_DB=pg needs DATABASE_URL_PG (npm run pg:start prints it)");
  return url;
}

export function pgUrlFor(database: string): string {
  const url = new URL(pgAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export async function pgAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh copy of the template for one test file; returns its DATABASE_URL. */
export async function cloneTemplate(template: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const suffix = randomBytes(6).toString("hex");
  if (testDbKind() === "sqlite") {
    const dir = path.join(path.dirname(template), "files");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${suffix}.db`);
    copyFileSync(template, file);
    return { url: `file:${file}`, drop: async () => {} };
  }
  const name = `pulse_test_${suffix}`;
  await pgAdmin(async (client) => {
    // Two clones of one template at once can fail with "being accessed by other users".
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        if (attempt >= 40 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return {
    url: pgUrlFor(name),
    drop: () => pgAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
