import { providerRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { parseWith } from "@/lib/schemas/parse";
import { periodParam, reportPageQuery } from "@/lib/schemas/usage";
import { getReport } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const GET = providerRoute("usage:read", {}, ({ ctx, params, query }) =>
  getReport(ctx, parseWith(periodParam, params.period, "The period"), parseWith(reportPageQuery, listQueryFrom(query), "The query")),
);
