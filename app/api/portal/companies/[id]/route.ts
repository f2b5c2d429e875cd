import { providerRoute } from "@/lib/http/route";
import { companyUpdateSchema } from "@/lib/schemas/companies";
import { updateCompany } from "@/lib/server/companies";

export const dynamic = "force-dynamic";

export const PATCH = providerRoute("company:manage", { body: companyUpdateSchema }, ({ ctx, params, body }) => updateCompany(ctx, params.id, body));
