import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "../../db";
import { toDateString, addDays, startOfDate } from "../../domain/dates";
import { isNotificationType, STAFF_NOTIFICATION_TYPES, WEBHOOK_EVENT_TYPES, type EventType } from "../../domain/notifications";
import { writeJobs, type JobToWrite } from "../store/jobs";
import { insertEvents, type EventRow } from "../store/events";

export const MAIL_JOB = "mail";
export const DIGEST_JOB = "mail_digest";
export const WEBHOOK_JOB = "webhook";

export interface NewEvent extends EventRow {
  type: EventType;
  /** False: an event for webhooks only, nobody is notified (a case moved to In progress). */
  notify?: boolean;
}

/**
 * Writes events in the caller's transaction (the one that makes the change they describe, or the
 * runner's for what time causes) and, for each event this call is the first to write: a
 * notification for each user it concerns, the outbox rows of their mails (one now, or the day's
 * digest) and a delivery with its outbox row for each webhook endpoint that wants the kind.
 * The outbox rows are Job rows, sent by the background runner after the commit. Returns how many
 * events were new.
 */
export async function emitEvents(tx: Tx, now: Date, events: readonly NewEvent[]): Promise<number> {
  const fresh = await insertEvents(tx, events, now);
  if (fresh.length === 0) return 0;
  const notifyOf = new Map(events.map((e) => [e.key, e.notify !== false]));
  const jobs: JobToWrite[] = [];

  const toNotify = fresh.filter((e) => notifyOf.get(e.key) && isNotificationType(e.type));
  if (toNotify.length) {
    const staffTypes = STAFF_NOTIFICATION_TYPES as readonly string[];
    const orgIds = [...new Set(toNotify.filter((e) => !staffTypes.includes(e.type)).map((e) => e.organizationId).filter((x): x is string => !!x))];
    const wantStaff = toNotify.some((e) => staffTypes.includes(e.type));
    const users = await tx.user.findMany({
      where: { OR: [...(orgIds.length ? [{ organizationId: { in: orgIds } }] : []), ...(wantStaff ? [{ role: "SUPPORT_STAFF" as const }] : [])] },
      select: { id: true, organizationId: true, role: true, notificationDigest: true, notificationPrefs: { select: { type: true, email: true } } },
    });
    const rows: { id: string; userId: string; eventId: string; type: string; title: string; link: string; createdAt: Date }[] = [];
    for (const e of toNotify) {
      const staff = staffTypes.includes(e.type);
      for (const u of users) {
        if (staff ? u.role !== "SUPPORT_STAFF" : u.role === "SUPPORT_STAFF" || u.organizationId !== e.organizationId) continue;
        const id = randomUUID();
        rows.push({ id, userId: u.id, eventId: e.id, type: e.type, title: e.title, link: e.link, createdAt: now });
        if (u.notificationPrefs.some((p) => p.type === e.type && !p.email)) continue;
        if (u.notificationDigest) {
          const day = toDateString(now);
          jobs.push({ key: `${DIGEST_JOB}:${u.id}:${day}`, kind: DIGEST_JOB, organizationId: u.organizationId, payload: { userId: u.id, day }, runAt: startOfDate(addDays(day, 1)) });
        } else {
          jobs.push({ key: `${MAIL_JOB}:${id}`, kind: MAIL_JOB, organizationId: u.organizationId, payload: { notificationId: id }, runAt: now });
        }
      }
    }
    if (rows.length) await tx.notification.createMany({ data: rows });
  }

  const hookable = fresh.filter((e) => e.organizationId && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(e.type));
  if (hookable.length) {
    const endpoints = await tx.webhookEndpoint.findMany({
      where: { organizationId: { in: [...new Set(hookable.map((e) => e.organizationId!))] }, deletedAt: null },
      select: { id: true, organizationId: true, types: true },
    });
    const deliveries: { id: string; endpointId: string; organizationId: string; eventId: string; createdAt: Date; nextAttemptAt: Date }[] = [];
    for (const e of hookable) {
      for (const ep of endpoints) {
        if (ep.organizationId !== e.organizationId || !(JSON.parse(ep.types) as string[]).includes(e.type)) continue;
        const id = randomUUID();
        deliveries.push({ id, endpointId: ep.id, organizationId: ep.organizationId, eventId: e.id, createdAt: now, nextAttemptAt: now });
        jobs.push({ key: `${WEBHOOK_JOB}:${id}`, kind: WEBHOOK_JOB, organizationId: ep.organizationId, payload: { deliveryId: id }, runAt: now });
      }
    }
    if (deliveries.length) await tx.webhookDelivery.createMany({ data: deliveries });
  }
  await writeJobs(tx, jobs, now);
  return fresh.length;
}

/** license.extended: written with the extension (Submit Usage, or the product's own monthly report). */
export function extendedEvent(organizationId: string, e: { licenseId: string; period: string; from: string; to: string; version: number }): NewEvent {
  return {
    key: `license.extended:${e.licenseId}:${e.period}`, type: "license.extended", organizationId, link: `/licenses/${e.licenseId}`,
    title: `Key ${e.licenseId} extended to ${e.to}`,
    data: { licenseId: e.licenseId, period: e.period, expirationDate: e.to, previousExpirationDate: e.from, keyVersion: e.version },
  };
}
