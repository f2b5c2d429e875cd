import { providerRoute } from "@/lib/http/route";
import { dismissNotice } from "@/lib/server/notices";
import { idParam } from "@/lib/http/path-id";

// Any user of the organization (viewers too) may dismiss a notice for themselves.
export const POST = providerRoute("overview:read", {}, ({ ctx, params }) => dismissNotice(ctx, idParam(params, "noticeId", "Notice not found.")));
