// Parsing with the schemas of this folder, for every caller: the route wrappers (lib/http), the
// services that check an input against facts they read (lib/server) and scripts. A mismatch is
// one AppError("BAD_REQUEST") that names each field; lib/http turns it into a 400.
import type { ZodType } from "zod";
import { AppError, type FieldError } from "../errors";

/** zod's issues as the field errors of an AppError (and of a problem+json document). */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

/** Parses `data` with a zod schema; a mismatch is a BAD_REQUEST naming each field. */
export function parseWith<T>(schema: ZodType<T>, data: unknown, what = "The request"): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues);
  throw new AppError("BAD_REQUEST", `${what} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`, { errors });
}
