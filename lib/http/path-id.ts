// An id from a route's path (a license id, a company's, a token's...): text that can name a row,
// else "not found" without a query. PostgreSQL text cannot hold U+0000, so a lookup by an id
// holding it (`/api/portal/licenses/%00`) failed with a 500 there while SQLite answered 404;
// found by test/integration/portal-fuzz.int.test.ts. No id of the portal is near 200 characters.
import { AppError } from "../errors";

export const MAX_PATH_ID = 200;

/** True when `raw` could be an id: 1 to 200 characters, no U+0000. */
export function isPathId(raw: string | undefined): raw is string {
  return typeof raw === "string" && raw.length > 0 && raw.length <= MAX_PATH_ID && !raw.includes("\u0000");
}

/** The path parameter `name` as an id, or a 404 (never a 400 that tells ids apart). */
export function idParam(params: Record<string, string>, name: string, notFound = "Not found."): string {
  const raw = params[name];
  if (!isPathId(raw)) throw new AppError("NOT_FOUND", notFound);
  return raw;
}
