// Output: the activity log (GET /api/portal/activity), one audit event per item, newest first.
// The query it takes is auditListQuery (lib/schemas/support.ts).
import { z } from "zod";
import { isoDateTime, pageOf } from "./common";

export const activityItemSchema = z
  .strictObject({
    id: z.string(),
    at: isoDateTime,
    actorType: z.enum(["USER", "INSTALLATION", "SYSTEM", "TOKEN"]),
    /** Who, readable: the user's email, the installation id, or "system". */
    actorLabel: z.string(),
    action: z.string().meta({ example: "license.auto_reported_on" }),
    targetType: z.string(),
    targetId: z.string(),
    /** JSON snapshots where the action changes something; null otherwise. */
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: "ActivityItem" });
export type ActivityItem = z.infer<typeof activityItemSchema>;

export const activityPageSchema = pageOf(activityItemSchema).meta({ id: "ActivityPage" });
export type ActivityPage = z.infer<typeof activityPageSchema>;
