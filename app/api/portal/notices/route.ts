import { providerRoute } from "@/lib/http/route";
import { pendingNotices } from "@/lib/server/notices";

export const dynamic = "force-dynamic";

/** The notices this user has not dismissed yet. */
export const GET = providerRoute("overview:read", {}, ({ ctx }) => pendingNotices(ctx));
