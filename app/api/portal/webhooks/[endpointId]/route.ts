import { providerRoute } from "@/lib/http/route";
import { deleteWebhookEndpoint } from "@/lib/server/notifications/webhooks";

export const DELETE = providerRoute("webhooks:manage", {}, async ({ ctx, params }) => {
  await deleteWebhookEndpoint(ctx, params.endpointId);
  return new Response(null, { status: 204 });
});
