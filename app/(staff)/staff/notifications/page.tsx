import type { Metadata } from "next";
import { NotificationsView } from "@/components/notifications/notifications-view";
import { requireStaff, staffContext } from "@/lib/auth/current-user";
import { listQueryFrom } from "@/lib/schemas/licenses";
import { notificationListQuery } from "@/lib/schemas/notifications";
import { listNotifications } from "@/lib/server/notifications/inbox";

export const metadata: Metadata = { title: "Notifications" };

export default async function StaffNotificationsPage({ searchParams }: PageProps<"/staff/notifications">) {
  const user = await requireStaff();
  const parsed = notificationListQuery.safeParse(listQueryFrom(new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])))));
  const page = await listNotifications(await staffContext(user), parsed.success ? parsed.data : { page: 1, pageSize: 20 });
  return <NotificationsView page={page} path="/staff/notifications" />;
}
