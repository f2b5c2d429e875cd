// For pages: a service's NOT_FOUND (another tenant's object, a number that does not exist) is the
// page's 404, as it is a route's (lib/http/problem.ts). Any other error goes on to the error page.
import { notFound } from "next/navigation";
import { AppError } from "../errors";

/**
 * A dynamic segment of the page's address, decoded. A malformed one (a broken %-escape such as
 * `/licenses/%E0%A4%A`) names nothing: Next's notFound(), not an error.
 */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    notFound();
  }
}

/** The promise's value; Next's notFound() when it fails with AppError NOT_FOUND. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
