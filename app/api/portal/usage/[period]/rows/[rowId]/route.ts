import { providerRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { periodParam } from "@/lib/schemas/usage";
import { removeManualRow } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const DELETE = providerRoute("usage:submit", {}, ({ ctx, params }) =>
  removeManualRow(ctx, parseWith(periodParam, params.period, "The period"), params.rowId),
);
