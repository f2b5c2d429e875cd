// npm run db:seed                                      migrations, and demo data into an empty database (as npm start)
// npm run db:seed -- --licenses 10000 [--org NAME]     also that many licenses in one organization
//                                                      (default Globex Hosting), for scale tests
import { systemNow } from "../lib/clock";
import { databaseUrl } from "../lib/config";
import { createDb } from "../lib/db";
import { createBulkLicenses } from "./lib/bulk-licenses";
import { prepareDatabase } from "./lib/prepare";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  // Migrations and demo data first, exactly as `npm start` does them.
  for (const line of await prepareDatabase(databaseUrl())) console.log(line);
  const db = createDb();
  try {
    const licenses = Number(arg("licenses") ?? 0);
    if (licenses > 0) {
      const org = arg("org") ?? "Globex Hosting";
      const started = performance.now();
      await createBulkLicenses(db, org, licenses, systemNow());
      console.log(`Created ${licenses} licenses in ${org} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
