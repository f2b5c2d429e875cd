import { providerRoute } from "@/lib/http/route";
import { licenseCompanySchema } from "@/lib/schemas/companies";
import { assignLicenseCompany } from "@/lib/server/companies";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const PUT = providerRoute("company:manage", { body: licenseCompanySchema }, ({ ctx, params, body }) => assignLicenseCompany(ctx, idParam(params, "licenseId", "License not found."), body));
