import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { getDb } from "../../db";
import { isDelivered, nextWebhookAttempt, webhookUrlRefusal } from "../../domain/notifications";
import { AppError } from "../../errors";
import type {
  CreatedWebhookEndpoint,
  WebhookDeliveryPage,
  WebhookDeliveryView,
  WebhookEndpointInput,
  WebhookEndpointView,
} from "../../schemas/notifications";
import { writeAudit } from "../audit";
import type { ProviderContext } from "../context";
import { writeJobs, type TakenJob } from "../store/jobs";
import { WEBHOOK_JOB } from "./emit";
import { addressPolicy, postWebhook } from "./webhook-http";

const notFound = () => new AppError("NOT_FOUND", "Webhook endpoint not found.");

function endpointView(e: { id: string; url: string; types: string; createdAt: Date }, counts: { deliveries: number; failed: number }): WebhookEndpointView {
  return { id: e.id, url: e.url, types: JSON.parse(e.types) as string[], createdAt: e.createdAt.toISOString(), ...counts };
}

/** Settings > Webhooks: the organization's endpoints, newest first. */
export async function listWebhookEndpoints(ctx: ProviderContext): Promise<WebhookEndpointView[]> {
  const db = getDb();
  const endpoints = await db.webhookEndpoint.findMany({ where: { organizationId: ctx.actor.organizationId, deletedAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const counts = await db.webhookDelivery.groupBy({ by: ["endpointId", "status"], where: { organizationId: ctx.actor.organizationId, endpointId: { in: endpoints.map((e) => e.id) } }, _count: { _all: true } });
  return endpoints.map((e) => {
    const mine = counts.filter((c) => c.endpointId === e.id);
    return endpointView(e, { deliveries: mine.reduce((s, c) => s + c._count._all, 0), failed: mine.filter((c) => c.status === "FAILED").reduce((s, c) => s + c._count._all, 0) });
  });
}

/** Registers an endpoint (HTTPS; see webhookUrlRefusal) with a new signing secret, returned this once. */
export async function createWebhookEndpoint(ctx: ProviderContext, input: WebhookEndpointInput): Promise<CreatedWebhookEndpoint> {
  const refusal = webhookUrlRefusal(input.url, addressPolicy());
  if (refusal) throw new AppError("UNPROCESSABLE", refusal, { errors: [{ path: "url", message: refusal }] });
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const types = [...new Set(input.types)];
  const created = await getDb().$transaction(async (tx) => {
    const e = await tx.webhookEndpoint.create({ data: { organizationId: ctx.actor.organizationId, url: input.url, types: JSON.stringify(types), secret, createdAt: ctx.now } });
    await writeAudit(tx, ctx, { organizationId: ctx.actor.organizationId, action: "webhook.created", targetType: "WebhookEndpoint", targetId: e.id, after: { url: e.url, types } });
    return e;
  });
  return { ...endpointView(created, { deliveries: 0, failed: 0 }), secret };
}

/** Deletes an endpoint: its pending deliveries are not sent. */
export async function deleteWebhookEndpoint(ctx: ProviderContext, id: string): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const e = await tx.webhookEndpoint.findFirst({ where: { id, organizationId: ctx.actor.organizationId, deletedAt: null }, select: { id: true, url: true } });
    if (!e) throw notFound();
    await tx.webhookEndpoint.updateMany({ where: { id: e.id, organizationId: ctx.actor.organizationId }, data: { deletedAt: ctx.now } });
    await tx.webhookDelivery.updateMany({ where: { endpointId: e.id, organizationId: ctx.actor.organizationId, status: "PENDING" }, data: { status: "FAILED", lastError: "The endpoint was deleted.", nextAttemptAt: null } });
    await writeAudit(tx, ctx, { organizationId: ctx.actor.organizationId, action: "webhook.deleted", targetType: "WebhookEndpoint", targetId: e.id, before: { url: e.url } });
  });
}

const deliverySelect = {
  id: true, endpointId: true, eventId: true, status: true, attempts: true, lastStatusCode: true, lastError: true,
  lastAttemptAt: true, nextAttemptAt: true, deliveredAt: true, createdAt: true, event: { select: { type: true, title: true } },
} as const;

type DeliveryRow = { id: string; endpointId: string; eventId: string; status: "PENDING" | "DELIVERED" | "FAILED"; attempts: number; lastStatusCode: number | null; lastError: string | null; lastAttemptAt: Date | null; nextAttemptAt: Date | null; deliveredAt: Date | null; createdAt: Date; event: { type: string; title: string } };

function deliveryView(d: DeliveryRow): WebhookDeliveryView {
  const iso = (x: Date | null) => x?.toISOString() ?? null;
  return {
    id: d.id, endpointId: d.endpointId, eventId: d.eventId, eventType: d.event.type, title: d.event.title, status: d.status, attempts: d.attempts,
    lastStatusCode: d.lastStatusCode, lastError: d.lastError, lastAttemptAt: iso(d.lastAttemptAt), nextAttemptAt: iso(d.status === "PENDING" ? d.nextAttemptAt : null),
    deliveredAt: iso(d.deliveredAt), createdAt: d.createdAt.toISOString(),
  };
}

/** An endpoint's deliveries, newest first: status, attempts, the last answer's code. */
export async function listWebhookDeliveries(ctx: ProviderContext, endpointId: string, q: { page: number; pageSize: number }): Promise<WebhookDeliveryPage> {
  const db = getDb();
  const e = await db.webhookEndpoint.findFirst({ where: { id: endpointId, organizationId: ctx.actor.organizationId }, select: { id: true } });
  if (!e) throw notFound();
  const where = { endpointId: e.id, organizationId: ctx.actor.organizationId };
  const [rows, total] = await Promise.all([
    db.webhookDelivery.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize, select: deliverySelect }),
    db.webhookDelivery.count({ where }),
  ]);
  return { items: rows.map(deliveryView), total, page: q.page, pageSize: q.pageSize };
}

/** Redeliver by hand: the delivery is pending again (a new round of attempts), with the same webhook-id. */
export async function redeliver(ctx: ProviderContext, deliveryId: string): Promise<WebhookDeliveryView> {
  return getDb().$transaction(async (tx) => {
    const d = await tx.webhookDelivery.findFirst({ where: { id: deliveryId, organizationId: ctx.actor.organizationId, endpoint: { deletedAt: null } }, select: { id: true } });
    if (!d) throw new AppError("NOT_FOUND", "Delivery not found.");
    await tx.webhookDelivery.updateMany({ where: { id: d.id, organizationId: ctx.actor.organizationId }, data: { status: "PENDING", attempts: 0, nextAttemptAt: ctx.now, deliveredAt: null } });
    await writeJobs(tx, [{ key: `${WEBHOOK_JOB}:${d.id}`, kind: WEBHOOK_JOB, organizationId: ctx.actor.organizationId, payload: { deliveryId: d.id }, runAt: ctx.now }], ctx.now, true);
    await writeAudit(tx, ctx, { organizationId: ctx.actor.organizationId, action: "webhook.redelivered", targetType: "WebhookDelivery", targetId: d.id });
    return deliveryView(await tx.webhookDelivery.findUniqueOrThrow({ where: { id: d.id }, select: deliverySelect }));
  });
}

/** The body and headers of an event for an endpoint (Standard Webhooks): `webhook-id` is the event id, the same on every attempt. */
export function signedRequest(secret: string, event: { id: string; type: string; createdAt: Date; organizationId: string | null; data: string }, at: Date) {
  const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), organizationId: event.organizationId, data: JSON.parse(event.data) as unknown });
  const signature = new Webhook(secret).sign(event.id, at, body);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "VCSP-Pulse-Webhooks/1",
      "webhook-id": event.id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
  };
}

/**
 * The outbox row of one delivery: one attempt. A 2xx within 10 s is delivered; otherwise the next
 * attempt is scheduled by the retry schedule (returned to the runner, which keeps the row
 * pending until then), and after the last one the delivery is failed.
 */
export async function runWebhookJob(job: TakenJob, now: Date): Promise<void | { retryAt: Date }> {
  const { deliveryId } = JSON.parse(job.payload) as { deliveryId: string };
  const db = getDb();
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { id: true, status: true, attempts: true, endpoint: { select: { url: true, secret: true, deletedAt: true } }, event: true } });
  if (!d || d.status !== "PENDING" || d.endpoint.deletedAt) return;
  const { body, headers } = signedRequest(d.endpoint.secret, d.event, now);
  const answer = await postWebhook(d.endpoint.url, headers, body);
  const attempts = d.attempts + 1;
  const delivered = isDelivered(answer.status);
  const retryAt = delivered ? null : nextWebhookAttempt(attempts, now);
  await db.webhookDelivery.updateMany({
    where: { id: d.id, status: "PENDING" },
    data: {
      attempts, lastAttemptAt: now, lastStatusCode: answer.status,
      lastError: delivered ? null : (answer.error ?? `Answered ${answer.status}`),
      status: delivered ? "DELIVERED" : retryAt ? "PENDING" : "FAILED",
      deliveredAt: delivered ? now : null,
      nextAttemptAt: retryAt,
    },
  });
  if (retryAt) return { retryAt };
}
