import { providerRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { parseWith } from "@/lib/schemas/parse";
import { historyQuery } from "@/lib/schemas/usage";
import { usageHistory } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const GET = providerRoute("usage:read", {}, ({ ctx, query }) => usageHistory(ctx, parseWith(historyQuery, listQueryFrom(query), "The query")));
