// The routes of the app, read from the files of app/: every `route.ts` with the HTTP methods it
// exports, and every `page.tsx` (GET). The authorization matrix (matrix.ts) must name exactly
// these, so a new route file without an entry fails test/authz/coverage.int.test.ts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

export interface RouteFile {
  /** The file, relative to the project root: app/api/portal/licenses/[licenseId]/route.ts */
  file: string;
  /** The URL pattern, route groups dropped: /api/portal/licenses/[licenseId] */
  pattern: string;
  kind: "api" | "page";
  /** For a route handler, the methods the file exports; a page answers GET. */
  methods: Method[];
}

const root = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, out: string[]) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name === "route.ts" || entry.name === "page.tsx") out.push(full);
  }
}

/** The URL pattern of a file under app/: `(group)` folders are not part of the URL. */
export function patternOf(file: string): string {
  const parts = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).filter((p) => p && !/^\(.*\)$/.test(p));
  return "/" + parts.join("/");
}

/** The HTTP methods a route file exports: `export const GET =`, `export async function GET`, `export { handler as GET }`. */
export function exportedMethods(source: string): Method[] {
  const found = new Set<Method>();
  for (const m of METHODS) {
    const direct = new RegExp(`export\\s+(?:const|let|async\\s+function|function)\\s+${m}\\b`);
    const renamed = new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b[^}]*\\}`);
    const plain = new RegExp(`export\\s*\\{[^}]*(?:^|[\\s,{])${m}(?:[\\s,}])[^}]*\\}`);
    if (direct.test(source) || renamed.test(source) || plain.test(source)) found.add(m);
  }
  return METHODS.filter((m) => found.has(m));
}

export function routeFiles(): RouteFile[] {
  const files: string[] = [];
  walk(path.join(root, "app"), files);
  return files
    .map((full): RouteFile => {
      const kind = full.endsWith("route.ts") ? "api" : "page";
      return {
        file: path.relative(root, full),
        pattern: patternOf(full),
        kind,
        methods: kind === "api" ? exportedMethods(readFileSync(full, "utf8")) : ["GET"],
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}
