import { z } from "zod";

export const testClockSchema = z.object({
  now: z.iso.datetime({ offset: true, message: "now must be an ISO 8601 date-time, e.g. 2027-01-15T10:00:00Z" }),
});
