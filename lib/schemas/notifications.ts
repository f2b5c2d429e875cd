// Notifications and webhooks: the notification center (GET /api/portal/notifications), Settings >
// Notifications and Settings > Webhooks; what comes in and what goes out.
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "../domain/notifications";
import { count, isoDateTime, pageOf } from "./common";

export const notificationListQuery = z.object({
  page: z.coerce.number().int().min(1).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(100).optional().default(20),
  unread: z.enum(["1", "0"]).optional(),
});
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

export const notificationItemSchema = z
  .strictObject({
    id: z.string(),
    type: z.string().meta({ example: "usage.period_due" }),
    title: z.string(),
    /** The portal path of what it is about. */
    link: z.string(),
    createdAt: isoDateTime,
    readAt: isoDateTime.nullable(),
  })
  .meta({ id: "Notification" });
export type NotificationItem = z.infer<typeof notificationItemSchema>;

/** Newest first; `unread` counts all of the user's unread notifications (the bell). */
export const notificationPageSchema = pageOf(notificationItemSchema).extend({ unread: count }).meta({ id: "NotificationPage" });
export type NotificationPage = z.infer<typeof notificationPageSchema>;

/** Mark read: some notifications by id, or all of them. */
export const markReadInput = z.union([z.strictObject({ ids: z.array(z.string().max(64)).min(1).max(200) }), z.strictObject({ all: z.literal(true) })]);
export type MarkReadInput = z.infer<typeof markReadInput>;
export const markReadResultSchema = z.strictObject({ marked: count, unread: count });
export type MarkReadResult = z.infer<typeof markReadResultSchema>;

export const notificationSettingsSchema = z.strictObject({
  digest: z.boolean(),
  kinds: z.array(z.strictObject({ type: z.string(), label: z.string(), email: z.boolean() })),
}).meta({ id: "NotificationSettings" });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
export const notificationSettingsInput = z.strictObject({
  digest: z.boolean().optional(),
  email: z.record(z.string().max(64), z.boolean()).optional(),
});
export type NotificationSettingsInput = z.infer<typeof notificationSettingsInput>;

export const webhookEndpointInput = z.strictObject({
  url: z.string().trim().min(1, "Enter the endpoint's URL").max(2000, "At most 2,000 characters"),
  types: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "Choose at least one event kind"),
});
export type WebhookEndpointInput = z.infer<typeof webhookEndpointInput>;

export const webhookEndpointSchema = z.strictObject({
  id: z.string(),
  url: z.string(),
  types: z.array(z.string()),
  createdAt: isoDateTime,
  deliveries: count,
  failed: count,
}).meta({ id: "WebhookEndpoint" });
export type WebhookEndpointView = z.infer<typeof webhookEndpointSchema>;
/** The answer to creating an endpoint: the signing secret, shown this once. */
export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({ secret: z.string().startsWith("whsec_") }).meta({ id: "CreatedWebhookEndpoint" });
export type CreatedWebhookEndpoint = z.infer<typeof createdWebhookEndpointSchema>;
export const webhookEndpointListSchema = z.array(webhookEndpointSchema);

export const webhookDeliverySchema = z.strictObject({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  title: z.string(),
  status: z.enum(["PENDING", "DELIVERED", "FAILED"]),
  attempts: count,
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: isoDateTime.nullable(),
  nextAttemptAt: isoDateTime.nullable(),
  deliveredAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
}).meta({ id: "WebhookDelivery" });
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;
export const webhookDeliveryPageSchema = pageOf(webhookDeliverySchema).meta({ id: "WebhookDeliveryPage" });
export type WebhookDeliveryPage = z.infer<typeof webhookDeliveryPageSchema>;
export const deliveryListQuery = z.object({
  page: z.coerce.number().int().min(1).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(100).optional().default(20),
});
