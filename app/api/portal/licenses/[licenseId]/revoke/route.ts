import { providerRoute } from "@/lib/http/route";
import { revokeLicense } from "@/lib/server/licenses";
import { idParam } from "@/lib/http/path-id";

export const POST = providerRoute("license:revoke", {}, ({ ctx, params }) => revokeLicense(ctx, idParam(params, "licenseId", "License not found.")));
