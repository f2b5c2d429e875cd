import { providerRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { periodParam } from "@/lib/schemas/usage";
import { submitReport } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const POST = providerRoute("usage:submit", {}, ({ ctx, params }) => submitReport(ctx, parseWith(periodParam, params.period, "The period")));
