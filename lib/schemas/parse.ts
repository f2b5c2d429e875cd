// Parsing with the schemas of this folder, for every caller: the route wrappers (lib/http), the
// services that check an input against facts they read (lib/server) and scripts. A mismatch is
// one AppError("BAD_REQUEST") that names each field; lib/http turns it into a 400.
import type { ZodType } from "zod";
import { AppError, type FieldError } from "../errors";

/** zod's issues as the field errors of an AppError (and of a problem+json document). */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

/**
 * The path of the first string (a value or a key) holding U+0000, or null. No field of the portal
 * may hold it: PostgreSQL text cannot store it (an insert would fail with a 500), and SQLite
 * would store what PostgreSQL refuses. Found by test/integration/portal-fuzz.int.test.ts.
 */
export function nulPath(data: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof data === "string") return data.includes("\u0000") ? path : null;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      const found = nulPath(data[i], [...path, i]);
      if (found) return found;
    }
  } else if (data !== null && typeof data === "object") {
    for (const [key, value] of Object.entries(data)) {
      const found = key.includes("\u0000") ? [...path, key] : nulPath(value, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Parses `data` with a zod schema; a mismatch, or text holding U+0000, is a BAD_REQUEST naming each field. */
export function parseWith<T>(schema: ZodType<T>, data: unknown, what = "The request"): T {
  const nul = nulPath(data);
  if (nul) {
    const field = nul.map(String).join(".") || "The body";
    const errors = fieldErrors([{ path: nul, message: `${field} must not contain the NUL character (U+0000)` }]);
    throw new AppError("BAD_REQUEST", `${what} is invalid: ${errors[0].path}: ${errors[0].message}`, { errors });
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues);
  throw new AppError("BAD_REQUEST", `${what} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`, { errors });
}
