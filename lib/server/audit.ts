import "server-only";
import type { Tx } from "../db";
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
  const a = ctx.actor;
  await tx.auditEvent.create({
    data: {
      at: ctx.now,
      organizationId: input.organizationId,
      actorType: a.type === "user" ? "USER" : a.type === "installation" ? "INSTALLATION" : "SYSTEM",
      actorUserId: a.type === "user" ? a.userId : null,
      actorLabel: a.type === "user" ? a.email : a.type === "installation" ? a.installationId : "system",
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      before: input.before === undefined ? null : JSON.stringify(input.before),
      after: input.after === undefined ? null : JSON.stringify(input.after),
    },
  });
}
