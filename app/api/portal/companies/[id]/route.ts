import { providerRoute } from "@/lib/http/route";
import { companyUpdateSchema } from "@/lib/schemas/companies";
import { updateCompany } from "@/lib/server/companies";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const PATCH = providerRoute("company:manage", { body: companyUpdateSchema }, ({ ctx, params, body }) => updateCompany(ctx, idParam(params, "id", "Company not found."), body));
