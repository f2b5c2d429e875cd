import { providerRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { adjustmentInput, periodParam } from "@/lib/schemas/usage";
import { setAdjustment } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const PUT = providerRoute("usage:submit", { body: adjustmentInput }, ({ ctx, params, body }) =>
  setAdjustment(ctx, parseWith(periodParam, params.period, "The period"), body),
);
