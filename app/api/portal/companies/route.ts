import { json, providerRoute } from "@/lib/http/route";
import { companyCreateSchema } from "@/lib/schemas/companies";
import { createCompany, listCompanies } from "@/lib/server/companies";

export const dynamic = "force-dynamic";

export const GET = providerRoute("company:read", {}, ({ ctx }) => listCompanies(ctx));

export const POST = providerRoute("company:manage", { body: companyCreateSchema }, async ({ ctx, body }) =>
  json(await createCompany(ctx, body), { status: 201 }),
);
