"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { NotificationItem } from "@/lib/schemas/notifications";
import { Button } from "../ui/button";
import { LocalDate } from "../ui/local-date";
import { cn } from "../ui/cn";
import { useMarkRead } from "./hooks";

/** The notification center's page: newest first; opening one marks it read; mark read, mark all read. */
export function NotificationList({ items, unread }: { items: NotificationItem[]; unread: number }) {
  const router = useRouter();
  const mark = useMarkRead();
  async function markRead(input: { ids: string[] } | { all: true }, message: string) {
    try {
      await mark.mutateAsync(input);
      toast.success(message);
      router.refresh();
    } catch (error) {
      toast.error(`Not marked read: ${error instanceof Error ? error.message : "the request failed"}.`);
    }
  }
  return (
    <>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700">{unread === 0 ? "No unread notifications." : `${unread} unread`}</p>
        <Button variant="secondary" disabled={unread === 0 || mark.isPending} onClick={() => markRead({ all: true }, "All notifications marked read.")}>
          Mark all read
        </Button>
      </div>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Notifications">
        {items.map((n) => (
          <li key={n.id} className={cn("flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between", !n.readAt && "bg-brand-50")}>
            <div className="min-w-0">
              <Link
                href={n.link}
                className="font-medium text-brand-800 underline-offset-2 hover:underline"
                onClick={() => {
                  if (!n.readAt) mark.mutate({ ids: [n.id] });
                }}
              >
                {!n.readAt && <span className="sr-only">Unread: </span>}
                {n.title}
              </Link>
              <p className="text-xs text-slate-600">
                <LocalDate value={n.createdAt} withTime /> · {n.type}
              </p>
            </div>
            {!n.readAt && (
              <Button variant="ghost" className="self-start sm:self-auto" aria-label={`Mark read: ${n.title}`} disabled={mark.isPending} onClick={() => markRead({ ids: [n.id] }, "Marked read.")}>
                Mark read
              </Button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
