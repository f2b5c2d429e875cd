import type { Metadata } from "next";
import Link from "next/link";
import { NotificationSettingsForm } from "@/components/notifications/notification-settings";
import { Card, PageHeader } from "@/components/ui/card";
import { providerContext, requireProvider } from "@/lib/auth/current-user";
import { notificationSettings } from "@/lib/server/notifications/inbox";

export const metadata: Metadata = { title: "Settings > Notifications" };

export default async function NotificationSettingsPage() {
  const user = await requireProvider();
  const settings = await notificationSettings(await providerContext(user));
  return (
    <>
      <PageHeader
        title="Settings > Notifications"
        description={
          <>
            Every notification shows under the bell. Choose which are also emailed to {user.email}. Each email has a link that turns its kind off without signing in.{" "}
            <Link href="/settings" className="text-brand-800 underline">Back to Settings</Link>
          </>
        }
      />
      <Card title="Email" className="max-w-3xl">
        <NotificationSettingsForm settings={settings} />
      </Card>
    </>
  );
}
