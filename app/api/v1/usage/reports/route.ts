// POST /api/v1/usage/reports — a product reports usage (PRODUCT-API.md)
import { json, productRoute } from "@/lib/http/route";
import { usageReportRequest } from "@/lib/schemas/product-api";
import { ingestUsageReport } from "@/lib/server/usage-reports";

export const dynamic = "force-dynamic";

export const POST = productRoute({ body: usageReportRequest }, async ({ ctx, body }) => {
  const { created, answer } = await ingestUsageReport(ctx, body);
  return json(answer, { status: created ? 201 : 200 });
});
