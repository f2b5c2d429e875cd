import { json, providerRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { periodParam } from "@/lib/schemas/usage";
import { copyPreviousManualRows } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

/** "Copy last month's rows": last month's manual rows whose product and type this month lacks. */
export const POST = providerRoute("usage:submit", {}, async ({ ctx, params }) =>
  json(await copyPreviousManualRows(ctx, parseWith(periodParam, params.period, "The period")), { status: 201 }),
);
