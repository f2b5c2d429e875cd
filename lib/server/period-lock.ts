import "server-only";
import { dbKind, type Tx } from "../db";

/**
 * Orders the writes of one organization's period: product reports take it shared, draft edits
 * and the submission take it exclusive. On PostgreSQL this is a transaction-scoped advisory lock
 * (released at commit or rollback), so a report can never be stored for a period after its
 * submission read the reports, nor missed by it. On SQLite the guard already runs one write
 * transaction at a time, which gives the same order.
 */
export async function lockPeriod(tx: Tx, organizationId: string, period: string, mode: "shared" | "exclusive"): Promise<void> {
  if (dbKind() !== "postgresql") return;
  const key = `monthly-report:${organizationId}:${period}`;
  // $executeRaw, not $queryRaw: the lock functions return void, which Prisma cannot read back.
  if (mode === "shared") await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${key}))`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}
