import type { NotificationPage } from "@/lib/schemas/notifications";
import { Card, EmptyState, PageHeader } from "../ui/card";
import { Pagination } from "../ui/pagination";
import { NotificationList } from "./notification-list";

/** The notifications page (providers and support staff): a page of the list, with its pagination. */
export function NotificationsView({ page, path, settingsHref }: { page: NotificationPage; path: string; settingsHref?: string }) {
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          <>
            What needs your attention, newest first. Each links to what it is about.
            {settingsHref && (
              <>
                {" "}
                Choose which ones are also emailed in <a className="text-brand-800 underline" href={settingsHref}>Settings &gt; Notifications</a>.
              </>
            )}
          </>
        }
      />
      {page.total === 0 ? (
        <Card>
          <EmptyState title="No notifications yet">Reports coming due, keys expiring, failing update checks and case answers will show here.</EmptyState>
        </Card>
      ) : (
        <>
          <NotificationList items={page.items} unread={page.unread} />
          <Pagination page={page.page} pageSize={page.pageSize} total={page.total} noun="notifications" href={(p) => `${path}?page=${p}`} />
        </>
      )}
    </>
  );
}
