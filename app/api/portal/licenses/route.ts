import { z } from "zod";
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

// The body is parsed by the service with the wizard's schema, built from the organization's facts
// (the wrapper reads it as JSON and refuses U+0000 in it).
export const POST = providerRoute("license:create", { body: z.unknown() }, async ({ ctx, body }) =>
  json(await createLicense(ctx, body), { status: 201 }),
);
