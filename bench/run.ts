// `npm run bench [-- NAME]`: runs every benchmark in this folder (files named *.bench.ts), or those
// whose file name contains NAME, and prints their figures.
// Benchmarks arrive with the issues that set speed targets; until then there is nothing to run.
import { readdirSync } from "node:fs";
import path from "node:path";

async function main() {
  const only = process.argv[2];
  const benches = readdirSync(__dirname).filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only))).sort();
  if (benches.length === 0) console.log("No benchmarks yet.");
  for (const file of benches) {
    console.log(`Running ${file}...`);
    const bench = (await import(path.join(__dirname, file))) as { default: () => Promise<void> };
    await bench.default();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
