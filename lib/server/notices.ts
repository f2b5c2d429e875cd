import "server-only";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { DismissedNotice, PendingNotice } from "../schemas/notices";
import type { ProviderContext } from "./context";

/** The organization's notices that this user has not dismissed yet, newest first. */
export async function pendingNotices(ctx: ProviderContext): Promise<PendingNotice[]> {
  const rows = await getDb().notice.findMany({
    where: { organizationId: ctx.actor.organizationId, dismissals: { none: { userId: ctx.actor.userId } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 5,
    select: { id: true, kind: true, message: true, createdAt: true },
  });
  return rows.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() }));
}

/** Dismisses a notice for this user; dismissing it again changes nothing. Another organization's notice is "not found". */
export async function dismissNotice(ctx: ProviderContext, noticeId: string): Promise<DismissedNotice> {
  const db = getDb();
  const notice = await db.notice.findFirst({ where: { id: noticeId, organizationId: ctx.actor.organizationId }, select: { id: true } });
  if (!notice) throw new AppError("NOT_FOUND", "Notice not found.");
  // The unique (noticeId, userId) index makes a repeated or racing dismissal one row.
  await db.noticeDismissal.upsert({
    where: { noticeId_userId: { noticeId: notice.id, userId: ctx.actor.userId } },
    create: { noticeId: notice.id, userId: ctx.actor.userId, dismissedAt: ctx.now },
    update: { dismissedAt: ctx.now },
    select: { id: true },
  });
  return { dismissed: true };
}
