import type { Metadata } from "next";
import Link from "next/link";
import { WebhooksSettings } from "@/components/notifications/webhooks";
import { PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { listWebhookEndpoints } from "@/lib/server/notifications/webhooks";

export const metadata: Metadata = { title: "Settings > Webhooks" };

export default async function WebhooksPage() {
  const user = await requireProvider();
  const endpoints = await listWebhookEndpoints(await providerContext(user));
  return (
    <>
      <PageHeader
        title="Settings > Webhooks"
        description={
          <>
            The portal POSTs each event of the kinds you choose to your HTTPS endpoint, signed (Standard Webhooks), at least once: without a 2xx answer
            within 10 s it tries again after about 1 min, 5 min, 30 min, 2 h, 8 h and 24 h, then marks the delivery failed; Redeliver sends it again with
            the same <code>webhook-id</code>. <Link href="/settings" className="text-brand-800 underline">Back to Settings</Link>
          </>
        }
      />
      <div className="max-w-5xl">
        <WebhooksSettings initial={endpoints} canManage={can(user.role, "webhooks:manage")} />
      </div>
    </>
  );
}
