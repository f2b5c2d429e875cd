import { providerRoute } from "@/lib/http/route";
import { revokeApiToken } from "@/lib/server/api-tokens";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const DELETE = providerRoute("token:manage", {}, async ({ ctx, params }) => {
  await revokeApiToken(ctx, idParam(params, "id", "Token not found."));
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});
