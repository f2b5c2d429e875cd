// Output: the notices a user of an organization sees until they dismiss them
// (GET /api/portal/notices, POST /api/portal/notices/{noticeId}/dismiss).
import { z } from "zod";
import { isoDateTime } from "./common";

export const noticeSchema = z
  .strictObject({
    id: z.string(),
    kind: z.string().meta({ example: "auto-reporting-enabled" }),
    message: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: "Notice" });
export type PendingNotice = z.infer<typeof noticeSchema>;

/** The notices this user has not dismissed yet, newest first (at most five). */
export const pendingNoticesSchema = z.array(noticeSchema);

export const dismissedNoticeSchema = z.strictObject({ dismissed: z.literal(true) });
export type DismissedNotice = z.infer<typeof dismissedNoticeSchema>;
