import { json, providerRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { manualRowInput, periodParam } from "@/lib/schemas/usage";
import { addManualRow } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const POST = providerRoute("usage:submit", { body: manualRowInput }, async ({ ctx, params, body }) =>
  json(await addManualRow(ctx, parseWith(periodParam, params.period, "The period"), body), { status: 201 }),
);
