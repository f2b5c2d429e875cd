import { providerRoute } from "@/lib/http/route";
import { kickJobRunner } from "@/lib/server/jobs/runner";
import { redeliver } from "@/lib/server/notifications/webhooks";

/** Redeliver by hand: pending again, sent by the background runner at once. */
export const POST = providerRoute("webhooks:manage", {}, async ({ ctx, params }) => {
  const delivery = await redeliver(ctx, params.deliveryId);
  kickJobRunner();
  return delivery;
});
