import { providerRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { parseWith } from "@/lib/schemas/parse";
import { auditListQuery } from "@/lib/schemas/support";
import { listActivity } from "@/lib/server/activity";

export const dynamic = "force-dynamic";

export const GET = providerRoute("audit:read", {}, ({ ctx, query }) => listActivity(ctx, parseWith(auditListQuery, listQueryFrom(query), "The query")));
