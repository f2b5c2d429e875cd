// `npm run db:backup [-- --out FILE]`: a consistent backup of the portal's database
// (DATABASE_URL, default the SQLite file of the data folder) while the portal serves it.
// SQLite: SQLite's online backup API; PostgreSQL: pg_dump -Fc. The file is written 0600.
// Default FILE: <data folder>/backups/pulse-<UTC time>.db (SQLite) or .dump (PostgreSQL).
import path from "node:path";
import { Command } from "commander";
import { databaseKind, databaseUrl, dataDir } from "../lib/config";
import { backupDatabase, shownUrl } from "./lib/backup";

const program = new Command("db:backup")
  .description("Back up the portal's database (DATABASE_URL) while it serves")
  .option("--out <file>", "where to write the backup (must not exist)")
  .parse();

async function main() {
  const url = databaseUrl();
  const kind = databaseKind(url);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "Z");
  const out = (program.opts().out as string | undefined) ?? path.join(dataDir(), "backups", `pulse-${stamp}.${kind === "sqlite" ? "db" : "dump"}`);
  const started = Date.now();
  const r = await backupDatabase(url, out);
  console.log(
    `Backed up ${shownUrl(url)} (${kind === "sqlite" ? "SQLite online backup" : "pg_dump -Fc"}) to ${r.file}: ` +
      `${r.bytes} bytes, mode 0600, ${r.counts.organizations} organizations, ${r.counts.licenses} licenses, ${r.counts.usageReports} usage reports, in ${Date.now() - started} ms.`,
  );
  console.log(`Restore it with: npm run db:restore -- ${r.file}`);
  // eslint-disable-next-line no-restricted-syntax -- names the files to keep; it logs no secret
  console.log("The data folder's secrets (signing-keys.json, auth-secret) are not in it: keep a copy of them too.");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`Backup failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
