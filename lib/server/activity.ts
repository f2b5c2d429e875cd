import "server-only";
import { containsText, getDb, type Prisma } from "../db";
import type { ActivityPage } from "../schemas/activity";
import type { AuditListQuery } from "../schemas/support";
import type { ProviderContext } from "./context";

/** One page of the organization's audit events, newest first, filtered by category and text. */
export async function listActivity(ctx: ProviderContext, q: AuditListQuery): Promise<ActivityPage> {
  const and: Prisma.AuditEventWhereInput[] = [{ organizationId: ctx.actor.organizationId }];
  if (q.category) and.push({ action: { startsWith: `${q.category}.` } });
  if (q.query) and.push((await containsText("AuditEvent", ["actorLabel", "targetId", "action"], ctx.actor.organizationId, q.query)) as Prisma.AuditEventWhereInput);
  const where: Prisma.AuditEventWhereInput = { AND: and };
  const db = getDb();
  const [total, rows] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
      select: { id: true, at: true, actorType: true, actorLabel: true, action: true, targetType: true, targetId: true, before: true, after: true },
    }),
  ]);
  return {
    items: rows.map((r) => ({
      ...r,
      at: r.at.toISOString(),
      before: r.before ? (JSON.parse(r.before) as unknown) : null,
      after: r.after ? (JSON.parse(r.after) as unknown) : null,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
