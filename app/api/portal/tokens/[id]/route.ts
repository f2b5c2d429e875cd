import { providerRoute } from "@/lib/http/route";
import { revokeApiToken } from "@/lib/server/api-tokens";

export const dynamic = "force-dynamic";

export const DELETE = providerRoute("token:manage", {}, async ({ ctx, params }) => {
  await revokeApiToken(ctx, params.id);
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});
