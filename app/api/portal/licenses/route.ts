import { readJsonBody } from "@/lib/http/body";
import { json, portalRoute, providerRoute } from "@/lib/http/route";
import { licenseListQuery, listQueryFrom } from "@/lib/schemas/licenses";
import { parseWith } from "@/lib/schemas/parse";
import { listLicenses } from "@/lib/server/license-list";
import { createLicense } from "@/lib/server/licenses";

export const dynamic = "force-dynamic";

// Stable (PRODUCT-API.md): a session or an API token.
export const GET = portalRoute("license:read", {}, ({ ctx, query }) =>
  listLicenses(ctx, parseWith(licenseListQuery, listQueryFrom(query), "The query")),
);

// The body is parsed by the service with the wizard's schema, built from the organization's facts.
export const POST = providerRoute("license:create", {}, async ({ ctx, req }) =>
  json(await createLicense(ctx, await readJsonBody(req)), { status: 201 }),
);
