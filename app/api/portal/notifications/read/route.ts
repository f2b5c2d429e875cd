import { userRoute } from "@/lib/http/route";
import { markReadInput } from "@/lib/schemas/notifications";
import { markRead } from "@/lib/server/notifications/inbox";

/** Marks the user's notifications read: `{ ids }` or `{ all: true }`. */
export const POST = userRoute({ body: markReadInput }, ({ ctx, body }) => markRead(ctx, body));
