import { providerRoute } from "@/lib/http/route";
import { usageOverview } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

/** Monthly Usages > My Actions: the periods that need action, the current month, suspension, points per month. */
export const GET = providerRoute("usage:read", {}, ({ ctx }) => usageOverview(ctx));
