import { parseWith } from "@/lib/http/body";
import { providerRoute } from "@/lib/http/route";
import { adjustmentInput, periodParam } from "@/lib/schemas/usage";
import { setAdjustment } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const PUT = providerRoute("usage:submit", { body: adjustmentInput }, ({ ctx, params, body }) =>
  setAdjustment(ctx, parseWith(periodParam, params.period, "The period"), body),
);
