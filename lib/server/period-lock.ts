import "server-only";
import { dbKind, type Tx } from "../db";
import { literal } from "../pg-direct";

/**
 * Orders the writes of one organization's period: product reports take it shared, draft edits
 * and the submission take it exclusive. On PostgreSQL this is a transaction-scoped advisory lock
 * (released at commit or rollback), so a report can never be stored for a period after its
 * submission read the reports, nor missed by it. On SQLite the guard already runs one write
 * transaction at a time, which gives the same order.
 */
export async function lockPeriod(tx: Tx, organizationId: string, period: string, mode: "shared" | "exclusive"): Promise<void> {
  if (dbKind() !== "postgresql") return;
  const key = periodLockKey(organizationId, period);
  // $executeRaw, not $queryRaw: the lock functions return void, which Prisma cannot read back.
  if (mode === "shared") await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${key}))`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}

function periodLockKey(organizationId: string, period: string): string {
  return `monthly-report:${organizationId}:${period}`;
}

/**
 * PostgreSQL: the statement that takes a period's lock shared, for the BEGIN of a transaction that
 * runs without Prisma (lib/pg-direct.ts); the same lock as lockPeriod's.
 */
export function sharedPeriodLockStatement(organizationId: string, period: string): string {
  return `SELECT pg_advisory_xact_lock_shared(hashtext(${literal(periodLockKey(organizationId, period))}))`;
}
