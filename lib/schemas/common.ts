// Building blocks of the output schemas: the wire forms of times, dates, periods and pages.
// Plain zod (no OpenAPI extension), so that client components may import the schemas' files;
// a schema that the OpenAPI document shows as a component carries `.meta({ id })`.
import { z } from "zod";

/** An instant, as `Date#toISOString()` writes it (UTC). */
export const isoDateTime = z.iso.datetime();
/** A date that is a date: YYYY-MM-DD. */
export const dateString = z.iso.date();
/** A reporting period: YYYY-MM. */
export const periodString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "A period is written YYYY-MM.");
export const count = z.number().int().min(0);

/** The page of a paginated list: its items, how many there are in all, and where this page is. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), total: count, page: z.number().int().min(1), pageSize: z.number().int().min(1) });
}

/** The results of POST /api/v1/license/update (PRODUCT-API.md), also a license's last check. */
export const UPDATE_RESULTS = ["Success", "NotRequired", "UnsupportedLicenseType", "ContractTerminated", "InvalidLicense", "GenerationFailed"] as const;
export type UpdateResultName = (typeof UPDATE_RESULTS)[number];
