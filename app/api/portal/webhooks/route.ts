import { json, providerRoute } from "@/lib/http/route";
import { webhookEndpointInput } from "@/lib/schemas/notifications";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/server/notifications/webhooks";

export const dynamic = "force-dynamic";

export const GET = providerRoute("webhooks:read", {}, ({ ctx }) => listWebhookEndpoints(ctx));
/** 201 with the signing secret, shown this once. */
export const POST = providerRoute("webhooks:manage", { body: webhookEndpointInput }, async ({ ctx, body }) => json(await createWebhookEndpoint(ctx, body), { status: 201 }));
