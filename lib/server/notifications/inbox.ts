import "server-only";
import { getDb } from "../../db";
import { NOTIFICATION_TYPE_LABEL, PROVIDER_NOTIFICATION_TYPES, STAFF_NOTIFICATION_TYPES, isNotificationType } from "../../domain/notifications";
import { AppError } from "../../errors";
import type {
  MarkReadInput,
  MarkReadResult,
  NotificationListQuery,
  NotificationPage,
  NotificationSettings,
  NotificationSettingsInput,
} from "../../schemas/notifications";
import { writeAudit } from "../audit";
import type { Context, UserActor } from "../context";
import { readUnsubscribeToken } from "./mailer";

/** A signed-in person's call (provider user or support staff): notifications are per user. */
export type UserContext = Context & { actor: UserActor };

const unreadCount = (userId: string) => getDb().notification.count({ where: { userId, readAt: null } });

/** The user's notifications, newest first, a page at a time, with the unread count (the bell). */
export async function listNotifications(ctx: UserContext, q: NotificationListQuery): Promise<NotificationPage> {
  const userId = ctx.actor.userId;
  const where = { userId, ...(q.unread === "1" ? { readAt: null } : {}) };
  const db = getDb();
  const [rows, total, unread] = await Promise.all([
    db.notification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
      select: { id: true, type: true, title: true, link: true, createdAt: true, readAt: true },
    }),
    db.notification.count({ where }),
    unreadCount(userId),
  ]);
  return {
    items: rows.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null })),
    total, unread, page: q.page, pageSize: q.pageSize,
  };
}

/** Marks some of the user's notifications read (another user's ids change nothing), or all. */
export async function markRead(ctx: UserContext, input: MarkReadInput): Promise<MarkReadResult> {
  const userId = ctx.actor.userId;
  const { count } = await getDb().notification.updateMany({
    where: { userId, readAt: null, ...("ids" in input ? { id: { in: input.ids } } : {}) },
    data: { readAt: ctx.now },
  });
  return { marked: count, unread: await unreadCount(userId) };
}

const typesFor = (actor: UserActor): readonly string[] => (actor.role === "SUPPORT_STAFF" ? STAFF_NOTIFICATION_TYPES : PROVIDER_NOTIFICATION_TYPES);

export async function notificationSettings(ctx: UserContext): Promise<NotificationSettings> {
  const user = await getDb().user.findUniqueOrThrow({ where: { id: ctx.actor.userId }, select: { notificationDigest: true, notificationPrefs: { select: { type: true, email: true } } } });
  const off = new Set(user.notificationPrefs.filter((p) => !p.email).map((p) => p.type));
  return {
    digest: user.notificationDigest,
    kinds: typesFor(ctx.actor).map((type) => ({ type, label: isNotificationType(type) ? NOTIFICATION_TYPE_LABEL[type] : type, email: !off.has(type) })),
  };
}

/** Settings > Notifications: email per kind on or off, and the daily digest instead of single mails. */
export async function updateNotificationSettings(ctx: UserContext, input: NotificationSettingsInput): Promise<NotificationSettings> {
  const allowed = typesFor(ctx.actor);
  const email = Object.entries(input.email ?? {});
  const unknown = email.filter(([t]) => !allowed.includes(t));
  if (unknown.length) throw new AppError("UNPROCESSABLE", `Unknown notification kind: ${unknown[0][0]}`, { errors: unknown.map(([t]) => ({ path: `email.${t}`, message: "Unknown notification kind" })) });
  const userId = ctx.actor.userId;
  await getDb().$transaction(async (tx) => {
    for (const [type, on] of email) {
      await tx.notificationPreference.upsert({ where: { userId_type: { userId, type } }, create: { userId, type, email: on }, update: { email: on }, select: { userId: true } });
    }
    if (input.digest !== undefined) await tx.user.update({ where: { id: userId }, data: { notificationDigest: input.digest }, select: { id: true } });
    await writeAudit(tx, ctx, { organizationId: ctx.actor.organizationId, action: "user.notification_settings", targetType: "User", targetId: ctx.actor.email, after: { ...(input.digest !== undefined ? { digest: input.digest } : {}), ...(email.length ? { email: Object.fromEntries(email) } : {}) } });
  });
  return notificationSettings(ctx);
}

/**
 * The unsubscribe link of a mail: turns email off for the one kind its signed token names, for
 * the user it names, without a session. A token this portal did not sign is refused.
 */
export async function unsubscribe(now: Date, token: string): Promise<{ type: string; label: string; email: string }> {
  const t = readUnsubscribeToken(token);
  if (!t || !isNotificationType(t.type)) throw new AppError("NOT_FOUND", "This unsubscribe link is not valid.");
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: t.userId }, select: { id: true, email: true, organizationId: true } });
  if (!user) throw new AppError("NOT_FOUND", "This unsubscribe link is not valid.");
  await db.$transaction(async (tx) => {
    await tx.notificationPreference.upsert({ where: { userId_type: { userId: user.id, type: t.type } }, create: { userId: user.id, type: t.type, email: false }, update: { email: false }, select: { userId: true } });
    await writeAudit(tx, { actor: { type: "system", label: `${user.email} (unsubscribe link)` }, now }, { organizationId: user.organizationId, action: "user.notification_settings", targetType: "User", targetId: user.email, after: { email: { [t.type]: false } } });
  });
  return { type: t.type, label: NOTIFICATION_TYPE_LABEL[t.type], email: user.email };
}

/** What an unsubscribe link names, to show before it is used (GET does not change anything). */
export function describeUnsubscribe(token: string): { type: string; label: string } | null {
  const t = readUnsubscribeToken(token);
  return t && isNotificationType(t.type) ? { type: t.type, label: NOTIFICATION_TYPE_LABEL[t.type] } : null;
}
