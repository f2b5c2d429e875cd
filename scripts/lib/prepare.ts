import { systemNow } from "../../lib/clock";
import { databaseKind } from "../../lib/config";
import { createDb } from "../../lib/db";
import { isEmpty, loadDemoData } from "../../prisma/demo-data";
import { deployMigrations } from "./migrator";

/**
 * Brings the database at `url` up to date: pending migrations, then the demo data when the
 * database is empty (never on PostgreSQL in production unless PULSE_DEMO_DATA=1; PULSE_DEMO_DATA=0
 * turns it off everywhere). Running it again changes nothing. Returns what it did.
 */
export async function prepareDatabase(url: string): Promise<string[]> {
  const done: string[] = [];
  const applied = await deployMigrations(url);
  if (applied.length) done.push(`Database: applied ${applied.length} migration(s): ${applied.join(", ")}`);
  const db = createDb({ url });
  try {
    const production = process.env.NODE_ENV === "production" && databaseKind(url) === "postgresql";
    const wanted = process.env.PULSE_DEMO_DATA ? process.env.PULSE_DEMO_DATA === "1" : !production;
    if (wanted && (await isEmpty(db))) {
      await loadDemoData(db, systemNow());
      done.push("Database: demo data loaded (password for every demo user: pulse-demo-1).");
    }
  } finally {
    await db.$disconnect();
  }
  return done;
}
