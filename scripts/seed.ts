// npm run db:seed                                      demo data into an empty database (npm start does this too)
// npm run db:seed -- --licenses 10000 [--org NAME]     also that many licenses in one organization
//                                                      (default Globex Hosting), for scale tests
import { systemNow } from "../lib/clock";
import { createDb } from "../lib/db";
import { isEmpty, loadDemoData } from "../prisma/demo-data";
import { createBulkLicenses } from "./lib/bulk-licenses";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const db = createDb();
  try {
    if (await isEmpty(db)) {
      await loadDemoData(db, systemNow());
      console.log("Demo data loaded.");
    } else {
      console.log("The database already has data; demo data not loaded again.");
    }
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
