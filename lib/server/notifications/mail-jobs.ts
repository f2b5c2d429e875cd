import "server-only";
import { getDb } from "../../db";
import { addDays, startOfDate } from "../../domain/dates";
import { isNotificationType, NOTIFICATION_TYPE_LABEL } from "../../domain/notifications";
import type { TakenJob } from "../store/jobs";
import { portalUrl, sendMail, unsubscribeUrl, type Mail } from "./mailer";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface Item {
  type: string;
  title: string;
  link: string;
  createdAt: Date;
}

const kindLabel = (type: string) => (isNotificationType(type) ? NOTIFICATION_TYPE_LABEL[type] : type);

/** A notification mail (one, or a day's digest): plain text and simple HTML, a link to each page, an unsubscribe link per kind. */
export function composeMail(user: { id: string; email: string; name: string }, items: readonly Item[], digestDay?: string): Mail {
  const base = portalUrl();
  const types = [...new Set(items.map((i) => i.type))];
  const subject = digestDay ? `VCSP Pulse: ${items.length} notification${items.length === 1 ? "" : "s"} of ${digestDay}` : `VCSP Pulse: ${items[0].title}`;
  const unsubscribe = types.map((t) => ({ type: t, url: unsubscribeUrl(user.id, t) }));
  const text = [
    `Hello ${user.name},`,
    "",
    ...items.flatMap((i) => [`- ${i.title}`, `  ${base}${i.link}`]),
    "",
    `All notifications: ${base}/notifications`,
    `Choose which mails you get: ${base}/settings/notifications`,
    ...unsubscribe.map((u) => `Stop mails about "${kindLabel(u.type)}": ${u.url}`),
  ].join("\n");
  const html = [
    `<p>Hello ${escape(user.name)},</p>`,
    "<ul>",
    ...items.map((i) => `<li><a href="${escape(base + i.link)}">${escape(i.title)}</a></li>`),
    "</ul>",
    `<p><a href="${escape(base)}/notifications">All notifications</a> · <a href="${escape(base)}/settings/notifications">Choose which mails you get</a></p>`,
    ...unsubscribe.map((u) => `<p style="font-size:12px;color:#555"><a href="${escape(u.url)}">Stop mails about “${escape(kindLabel(u.type))}”</a></p>`),
  ].join("\n");
  return {
    to: user.email,
    subject,
    text,
    html,
    // One-click unsubscribe (RFC 8058) for the first kind; the body links each kind.
    headers: { "List-Unsubscribe": `<${unsubscribe[0].url.replace("/unsubscribe?", "/api/unsubscribe?")}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/** Mail attempts before the outbox row fails; between them 5 min, 10 min, 20 min, ... */
const MAIL_ATTEMPTS = 6;

/** Sends; when the server cannot take it, the outbox row waits and tries again (at least once, never lost). */
async function sendOrRetry(job: TakenJob, mail: Mail, now: Date): Promise<void | { retryAt: Date }> {
  try {
    await sendMail(mail);
  } catch (error) {
    if (job.attempts >= MAIL_ATTEMPTS) throw error;
    console.warn(`Mail ${job.key} not sent (attempt ${job.attempts}): ${error instanceof Error ? error.message : error}`);
    return { retryAt: new Date(now.getTime() + 5 * 60_000 * 2 ** (job.attempts - 1)) };
  }
}

/** The outbox row of one notification's mail. A kind turned off meanwhile sends nothing. */
export async function runMailJob(job: TakenJob, now: Date): Promise<void | { retryAt: Date }> {
  const { notificationId } = JSON.parse(job.payload) as { notificationId: string };
  const n = await getDb().notification.findUnique({
    where: { id: notificationId },
    select: { type: true, title: true, link: true, createdAt: true, user: { select: { id: true, email: true, name: true, notificationPrefs: { select: { type: true, email: true } } } } },
  });
  if (!n || n.user.notificationPrefs.some((p) => p.type === n.type && !p.email)) return;
  return sendOrRetry(job, composeMail(n.user, [n]), now);
}

/** The outbox row of a user's daily digest: the day's notifications of the kinds still on, in one mail. */
export async function runDigestJob(job: TakenJob, now: Date): Promise<void | { retryAt: Date }> {
  const { userId, day } = JSON.parse(job.payload) as { userId: string; day: string };
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, notificationPrefs: { select: { type: true, email: true } } } });
  if (!user) return;
  const off = new Set(user.notificationPrefs.filter((p) => !p.email).map((p) => p.type));
  const items = (await getDb().notification.findMany({
    where: { userId, createdAt: { gte: startOfDate(day), lt: startOfDate(addDays(day, 1)) } },
    orderBy: { createdAt: "asc" },
    select: { type: true, title: true, link: true, createdAt: true },
  })).filter((n) => !off.has(n.type));
  if (items.length === 0) return;
  return sendOrRetry(job, composeMail(user, items, day), now);
}

