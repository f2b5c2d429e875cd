import type { Metadata } from "next";
import { isNotificationType, NOTIFICATION_TYPE_LABEL } from "@/lib/domain/notifications";
import { describeUnsubscribe } from "@/lib/server/notifications/inbox";

export const metadata: Metadata = { title: "Unsubscribe" };
export const dynamic = "force-dynamic";

/** The unsubscribe link of a notification mail: works without signing in; the button turns off that one kind. */
export default async function UnsubscribePage({ searchParams }: PageProps<"/unsubscribe">) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const done = typeof params.done === "string" && isNotificationType(params.done) ? NOTIFICATION_TYPE_LABEL[params.done] : null;
  const what = token ? describeUnsubscribe(token) : null;
  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <h1 className="text-xl font-semibold text-slate-900">VCSP Pulse email</h1>
      {done ? (
        <p className="mt-4 text-sm text-slate-700" role="status">
          Done: you will get no more emails about “{done}”. It still shows under the bell in the portal, and you can turn emails back on in Settings &gt; Notifications.
        </p>
      ) : what ? (
        <form method="post" action="/api/unsubscribe" className="mt-4 space-y-4">
          <p className="text-sm text-slate-700">Stop emails about “{what.label}”? Other kinds of email stay as they are.</p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="rounded-md bg-brand-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-800">
            Unsubscribe
          </button>
        </form>
      ) : (
        <p className="mt-4 text-sm text-slate-700">This unsubscribe link is not valid. Sign in and choose your emails in Settings &gt; Notifications.</p>
      )}
    </main>
  );
}
