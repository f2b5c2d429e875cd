// `npm run db:restore -- FILE [--force]`: restores a backup made by `npm run db:backup` into the
// database of DATABASE_URL (default the SQLite file of the data folder). A database that holds
// data already (the one the portal serves, most likely) is replaced only with --force; stop the
// portal first. SQLite: SQLite's backup API from the file; PostgreSQL: pg_restore.
import { Command } from "commander";
import { databaseUrl } from "../lib/config";
import { restoreDatabase, shownUrl } from "./lib/backup";

const program = new Command("db:restore")
  .description("Restore a backup of `npm run db:backup` into DATABASE_URL")
  .argument("<file>", "the backup file")
  .option("--force", "replace a database that holds data (stop the portal first)", false)
  .parse();

async function main() {
  const [file] = program.args;
  const url = databaseUrl();
  const r = await restoreDatabase(file, url, Boolean(program.opts().force));
  console.log(
    `Restored ${file} into ${shownUrl(url)}${r.replaced ? ", replacing what it held (--force)" : " (it was empty)"}: ` +
      `${r.counts.organizations} organizations, ${r.counts.licenses} licenses, ${r.counts.usageReports} usage reports.`,
  );
  // eslint-disable-next-line no-restricted-syntax -- names the files to keep; it logs no secret
  console.log("Start the portal on it with the data folder's secrets of the backed-up installation (signing-keys.json, auth-secret), or the license keys it issued will not verify.");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`Restore refused or failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
