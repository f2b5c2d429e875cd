import { userRoute } from "@/lib/http/route";
import { notificationSettingsInput } from "@/lib/schemas/notifications";
import { notificationSettings, updateNotificationSettings } from "@/lib/server/notifications/inbox";

export const dynamic = "force-dynamic";

export const GET = userRoute({}, ({ ctx }) => notificationSettings(ctx));
/** Per user: email per kind on or off, and the daily digest. */
export const PUT = userRoute({ body: notificationSettingsInput }, ({ ctx, body }) => updateNotificationSettings(ctx, body));
