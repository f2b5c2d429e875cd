import { providerRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { periodParam } from "@/lib/schemas/usage";
import { removeManualRow } from "@/lib/server/monthly-reports";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const DELETE = providerRoute("usage:submit", {}, ({ ctx, params }) =>
  removeManualRow(ctx, parseWith(periodParam, params.period, "The period"), idParam(params, "rowId", "Row not found.")),
);
