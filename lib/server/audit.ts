import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "../db";
import { insertRows, tableRows, type TableRows } from "./store/rows";
import type { Context } from "./context";

export interface AuditInput {
  organizationId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit event. Call it with the transaction client of the change it records. */
export async function writeAudit(tx: Tx, ctx: Context, input: AuditInput): Promise<void> {
  await auditEventCreate(tx, ctx, input);
}

/** The audit insert as a query not yet run, for batch transactions (`$transaction([...])`). */
export function auditEventCreate(client: Tx, ctx: Context, input: AuditInput) {
  return client.auditEvent.create({ select: { id: true }, data: auditEventData(ctx, input) });
}

/** Who, readable: the user's email, the installation id, the API token's name, or "system". */
function actorLabel(a: Context["actor"]): string {
  switch (a.type) {
    case "user":
      return a.email;
    case "installation":
      return a.installationId;
    case "token":
      return `API token "${a.name}"`;
    default:
      return a.label ?? "system";
  }
}

/** The row of one audit event, for `createMany` when one change writes many events. */
export function auditEventData(ctx: Context, input: AuditInput) {
  const a = ctx.actor;
  return {
    at: ctx.now,
    organizationId: input.organizationId,
    actorType: a.type === "user" ? ("USER" as const) : a.type === "installation" ? ("INSTALLATION" as const) : a.type === "token" ? ("TOKEN" as const) : ("SYSTEM" as const),
    actorUserId: a.type === "user" ? a.userId : null,
    actorLabel: actorLabel(a),
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    before: input.before === undefined ? null : JSON.stringify(input.before),
    after: input.after === undefined ? null : JSON.stringify(input.after),
  };
}

const AUDIT_COLUMNS = ["id", "at", "organizationId", "actorType", "actorUserId", "actorLabel", "action", "targetType", "targetId", "before", "after"] as const;

/** Audit events as the rows of one bulk insert (lib/server/store/rows.ts). */
export function auditTable(events: readonly { ctx: Context; input: AuditInput }[], options: Pick<TableRows<"AuditEvent">, "where"> = {}): TableRows<"AuditEvent"> {
  return tableRows("AuditEvent", AUDIT_COLUMNS, events.map(({ ctx, input }) => ({ id: randomUUID(), ...auditEventData(ctx, input) })), options);
}

/**
 * Many audit events in one statement (see insertRows), in the caller's transaction: for the
 * writes that record thousands of changes at once (Submit Usage, batches of product calls).
 */
export async function insertAuditEvents(tx: Tx, events: readonly { ctx: Context; input: AuditInput }[]): Promise<void> {
  await insertRows(tx, auditTable(events));
}
