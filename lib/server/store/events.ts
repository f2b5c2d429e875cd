import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "../../db";
import { insertRows, tableRows, wellFormed } from "./rows";

export interface EventRow {
  key: string;
  type: string;
  organizationId: string | null;
  title: string;
  link: string;
  data: unknown;
}

/** The events with well-formed text (as tableRows writes it), the last of each key. */
const normalized = (events: readonly EventRow[]) =>
  [...new Map(events.map((e) => ({ ...e, key: wellFormed(e.key), title: wellFormed(e.title), link: wellFormed(e.link) })).map((e) => [e.key, e])).values()];

/** A new event's id: the `webhook-id` of its deliveries (Standard Webhooks: msg_...). */
export const newEventId = () => `msg_${randomUUID().replaceAll("-", "")}`;

/**
 * Writes events in the caller's transaction; a key already written is left as it is (INSERT ...
 * ON CONFLICT DO NOTHING, so a racing writer neither fails nor aborts the transaction on
 * PostgreSQL). Returns the events this call wrote: those whose row carries the id it chose.
 */
export async function insertEvents(tx: Tx, events: readonly EventRow[], now: Date): Promise<(EventRow & { id: string })[]> {
  if (events.length === 0) return [];
  const rows = normalized(events).map((e) => ({ ...e, id: newEventId() }));
  await insertRows(
    tx,
    tableRows(
      "Event",
      ["id", "key", "type", "organizationId", "title", "link", "data", "createdAt"],
      rows.map((e) => ({ id: e.id, key: e.key, type: e.type, organizationId: e.organizationId, title: e.title, link: e.link, data: JSON.stringify(e.data ?? {}), createdAt: now })),
      { onConflict: `ON CONFLICT ("key") DO NOTHING` },
    ),
  );
  const stored = await tx.event.findMany({ where: { key: { in: rows.map((r) => r.key) } }, select: { id: true, key: true } });
  const ids = new Set(stored.map((s) => s.id));
  return rows.filter((r) => ids.has(r.id));
}

/** The Prisma reference of insertEvents (for the parity test): reads the keys, creates the missing. */
export async function insertEventsReference(tx: Tx, events: readonly EventRow[], now: Date): Promise<(EventRow & { id: string })[]> {
  const unique = normalized(events);
  const existing = new Set((await tx.event.findMany({ where: { key: { in: unique.map((e) => e.key) } }, select: { key: true } })).map((e) => e.key));
  const fresh = unique.filter((e) => !existing.has(e.key)).map((e) => ({ ...e, id: newEventId() }));
  for (const e of fresh) {
    await tx.event.create({ data: { id: e.id, key: e.key, type: e.type, organizationId: e.organizationId, title: e.title, link: e.link, data: wellFormed(JSON.stringify(e.data ?? {})), createdAt: now }, select: { id: true } });
  }
  return fresh;
}
