import { json, providerRoute } from "@/lib/http/route";
import { apiTokenCreateSchema } from "@/lib/schemas/api-tokens";
import { createApiToken, listApiTokens } from "@/lib/server/api-tokens";

export const dynamic = "force-dynamic";

// Session only (providerRoute knows no tokens): a token can neither create, list nor revoke tokens.
export const GET = providerRoute("settings:read", {}, ({ ctx }) => listApiTokens(ctx));

export const POST = providerRoute("token:manage", { body: apiTokenCreateSchema }, async ({ ctx, body }) =>
  json(await createApiToken(ctx, body), { status: 201 }),
);
