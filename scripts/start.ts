// `npm start`: creates the data folder and database, applies pending migrations, loads the demo
// data into an empty database, builds when there is no (or an outdated) build, and serves.
// `npm run dev` does the same but runs `next dev` instead of building.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { authSecret, databaseKind, databaseUrl, dataDir } from "../lib/config";
import { prepareDatabase } from "./lib/prepare";

const root = path.resolve(__dirname, "..");
const nextBin = require.resolve("next/dist/bin/next");
const dev = process.argv.includes("--dev");
// --prepare: migrations, demo data and the build, then exit without serving (the production
// tests of test/production start `next start` themselves, so that they can kill it).
const prepareOnly = process.argv.includes("--prepare");

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === "generated" || entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

function buildIsCurrent(): boolean {
  const marker = path.join(root, ".next/BUILD_ID");
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  const sources = ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.js", "package-lock.json", "prisma/schema.prisma"];
  return sources.every((s) => newestMtime(path.join(root, s)) <= built);
}

/** Where notification mails go: an SMTP server (PULSE_SMTP_URL, shown without its password) or .eml files in the data folder. */
function mailLine(data: string): string {
  const url = process.env.PULSE_SMTP_URL;
  if (!url) return `Mail: no PULSE_SMTP_URL, so notification emails are written as .eml files to ${path.join(data, "outbox")} (set PULSE_SMTP_URL=smtp://user:pass@host:587 to send them)`;
  try {
    const u = new URL(url);
    return `Mail: notification emails are sent over SMTP to ${u.protocol}//${u.host}`;
  } catch {
    return "Mail: PULSE_SMTP_URL is not a valid URL (smtp://user:pass@host:port); notification emails will fail until it is fixed";
  }
}

async function main() {
  const data = dataDir();
  process.env.NEXTAUTH_SECRET = authSecret();
  const port = process.env.PORT || "3000";
  const host = process.env.HOST || "127.0.0.1";
  process.env.NEXTAUTH_URL ||= `http://localhost:${port}`;
  console.log(`Data folder: ${data} (${databaseKind(databaseUrl())})`);
  for (const line of await prepareDatabase(databaseUrl())) console.log(line);

  if (!dev && !buildIsCurrent()) {
    console.log("Building the portal (next build)...");
    const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: process.env });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }

  if (prepareOnly) return;

  const child = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", port, "-H", host], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  console.log(`Portal: ${process.env.NEXTAUTH_URL}`);
  console.log(mailLine(data));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
