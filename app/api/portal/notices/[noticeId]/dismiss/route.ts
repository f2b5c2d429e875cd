import { providerRoute } from "@/lib/http/route";
import { dismissNotice } from "@/lib/server/notices";

// Any user of the organization (viewers too) may dismiss a notice for themselves.
export const POST = providerRoute("overview:read", {}, ({ ctx, params }) => dismissNotice(ctx, params.noticeId));
