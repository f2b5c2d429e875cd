import { providerRoute } from "@/lib/http/route";
import { revokeLicense } from "@/lib/server/licenses";

export const POST = providerRoute("license:revoke", {}, ({ ctx, params }) => revokeLicense(ctx, params.licenseId));
