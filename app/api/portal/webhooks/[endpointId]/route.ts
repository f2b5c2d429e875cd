import { providerRoute } from "@/lib/http/route";
import { deleteWebhookEndpoint } from "@/lib/server/notifications/webhooks";
import { idParam } from "@/lib/http/path-id";

export const DELETE = providerRoute("webhooks:manage", {}, async ({ ctx, params }) => {
  await deleteWebhookEndpoint(ctx, idParam(params, "endpointId", "Endpoint not found."));
  return new Response(null, { status: 204 });
});
