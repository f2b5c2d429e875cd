import { AppError } from "../errors";
import { parseCaseNumber } from "../schemas/support";

/** The case number of a route's path; anything but digits is "not found", like a missing case. */
export function caseNumberParam(params: Record<string, string>): number {
  const n = parseCaseNumber(params.number ?? "");
  if (n === null) throw new AppError("NOT_FOUND", "Case not found.");
  return n;
}
