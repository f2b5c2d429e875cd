import { userRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { notificationListQuery } from "@/lib/schemas/notifications";
import { parseWith } from "@/lib/schemas/parse";
import { listNotifications } from "@/lib/server/notifications/inbox";

export const dynamic = "force-dynamic";

/** The signed-in user's notifications, newest first, with the unread count (the bell). */
export const GET = userRoute({}, ({ ctx, query }) => listNotifications(ctx, parseWith(notificationListQuery, listQueryFrom(query), "The query")));
