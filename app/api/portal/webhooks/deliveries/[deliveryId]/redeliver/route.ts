import { providerRoute } from "@/lib/http/route";
import { kickJobRunner } from "@/lib/server/jobs/runner";
import { redeliver } from "@/lib/server/notifications/webhooks";
import { idParam } from "@/lib/http/path-id";

/** Redeliver by hand: pending again, sent by the background runner at once. */
export const POST = providerRoute("webhooks:manage", {}, async ({ ctx, params }) => {
  const delivery = await redeliver(ctx, idParam(params, "deliveryId", "Delivery not found."));
  kickJobRunner();
  return delivery;
});
