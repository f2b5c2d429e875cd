import { portalRoute, providerRoute } from "@/lib/http/route";
import { autoReportedPatch } from "@/lib/schemas/licenses";
import { getLicenseDetail, setAutoReported } from "@/lib/server/licenses";

export const dynamic = "force-dynamic";

export const GET = providerRoute("license:read", {}, ({ ctx, params }) => getLicenseDetail(ctx, params.licenseId));

// Stable (PRODUCT-API.md): a session or an admin API token.
export const PATCH = portalRoute("license:update", { body: autoReportedPatch }, ({ ctx, params, body }) =>
  setAutoReported(ctx, params.licenseId, body.autoReported),
);
