import { portalRoute, providerRoute } from "@/lib/http/route";
import { autoReportedPatch } from "@/lib/schemas/licenses";
import { getLicenseDetail, setAutoReported } from "@/lib/server/licenses";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const GET = providerRoute("license:read", {}, ({ ctx, params }) => getLicenseDetail(ctx, idParam(params, "licenseId", "License not found.")));

// Stable (PRODUCT-API.md): a session or an admin API token.
export const PATCH = portalRoute("license:update", { body: autoReportedPatch }, ({ ctx, params, body }) =>
  setAutoReported(ctx, idParam(params, "licenseId", "License not found."), body.autoReported),
);
