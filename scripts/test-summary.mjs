// Adds up the JSON reports of Vitest and Playwright into one closing line: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? ".test-results";
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : []) {
  const report = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  let p = 0, f = 0, s = 0;
  if (typeof report.numPassedTests === "number") {
    p = report.numPassedTests;
    f = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    s = report.numPendingTests + report.numTodoTests;
  } else if (report.stats) {
    p = report.stats.expected;
    f = report.stats.unexpected + report.stats.flaky;
    s = report.stats.skipped;
  }
  lines.push(`  ${path.basename(file, ".json")}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ""}`);
  passed += p;
  failed += f;
  skipped += s;
}
console.log(lines.join("\n"));
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
