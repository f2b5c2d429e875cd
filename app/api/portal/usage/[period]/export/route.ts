import { providerRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/schemas/parse";
import { periodParam } from "@/lib/schemas/usage";
import { exportReportCsv } from "@/lib/server/monthly-reports";

export const dynamic = "force-dynamic";

export const GET = providerRoute("usage:read", {}, async ({ ctx, params }) => {
  const { filename, csv } = await exportReportCsv(ctx, parseWith(periodParam, params.period, "The period"));
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" },
  });
});
