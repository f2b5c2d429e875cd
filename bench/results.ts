// bench/RESULTS.md holds one section per benchmark; each run replaces its own section only.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const FILE = path.join(__dirname, "RESULTS.md");
const TITLE = "# Benchmark results\n\nWritten by `npm run bench`; each benchmark replaces its own section.\n";

export function writeResultsSection(id: string, markdown: string): void {
  const begin = `<!-- ${id} -->`;
  const end = `<!-- /${id} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  let text = existsSync(FILE) ? readFileSync(FILE, "utf8") : TITLE;
  if (!text.startsWith("# Benchmark results")) text = TITLE;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  text = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, text);
  console.log(`\nWritten to bench/RESULTS.md (${id})`);
}
