import { providerRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { deliveryListQuery } from "@/lib/schemas/notifications";
import { parseWith } from "@/lib/schemas/parse";
import { listWebhookDeliveries } from "@/lib/server/notifications/webhooks";

export const dynamic = "force-dynamic";

export const GET = providerRoute("webhooks:read", {}, ({ ctx, params, query }) =>
  listWebhookDeliveries(ctx, params.endpointId, parseWith(deliveryListQuery, listQueryFrom(query), "The query")),
);
