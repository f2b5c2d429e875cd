import { providerRoute } from "@/lib/http/route";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { deliveryListQuery } from "@/lib/schemas/notifications";
import { parseWith } from "@/lib/schemas/parse";
import { listWebhookDeliveries } from "@/lib/server/notifications/webhooks";
import { idParam } from "@/lib/http/path-id";

export const dynamic = "force-dynamic";

export const GET = providerRoute("webhooks:read", {}, ({ ctx, params, query }) =>
  listWebhookDeliveries(ctx, idParam(params, "endpointId", "Endpoint not found."), parseWith(deliveryListQuery, listQueryFrom(query), "The query")),
);
