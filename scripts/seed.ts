// Loads the demo data into an empty database (npm run db:seed). `npm start` does this itself.
import { systemNow } from "../lib/clock";
import { createDb } from "../lib/db";
import { isEmpty, loadDemoData } from "../prisma/demo-data";

async function main() {
  const db = createDb();
  try {
    if (!(await isEmpty(db))) {
      console.log("The database already has data; demo data not loaded.");
      return;
    }
    await loadDemoData(db, systemNow());
    console.log("Demo data loaded.");
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
