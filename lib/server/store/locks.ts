import "server-only";
import { kindOf, type Tx } from "../../db";
import pg from "pg";

/**
 * Orders the writes of one organization's period: product reports take it shared
 * (sharedPeriodLockStatement), draft edits and the submission take it exclusive (lockPeriod). On
 * PostgreSQL this is a transaction-scoped advisory lock (released at commit or rollback), so a
 * report can never be stored for a period after its submission read the reports, nor missed by
 * it. On SQLite the guard already runs one write transaction at a time, which gives the same order.
 */
export async function lockPeriod(tx: Tx, organizationId: string, period: string): Promise<void> {
  if (kindOf(tx) !== "postgresql") return;
  // $executeRaw, not $queryRaw: the lock function returns void, which Prisma cannot read back.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${periodLockKey(organizationId, period)}))`;
}

/**
 * PostgreSQL: the statement that takes a period's lock shared, for the BEGIN of a report batch's
 * transaction, which runs without Prisma (lib/pg-direct.ts). The key is a literal there (BEGIN and
 * the locks are one round trip, a simple query without parameters); its period has passed the
 * schema's YYYY-MM check and its organization id comes from the database.
 */
export function sharedPeriodLockStatement(organizationId: string, period: string): string {
  return `SELECT pg_advisory_xact_lock_shared(hashtext(${pg.escapeLiteral(periodLockKey(organizationId, period))}))`;
}

/** The advisory lock's key (hashed by PostgreSQL's hashtext) for one organization's period. */
export function periodLockKey(organizationId: string, period: string): string {
  return `monthly-report:${organizationId}:${period}`;
}

/**
 * On PostgreSQL, locks an organization's auto-reported licenses until the transaction ends, so
 * that a toggle or revoke racing a submission waits and then retries on the new version. (SQLite
 * runs one write transaction at a time.)
 */
export async function lockAutoReportedLicenses(tx: Tx, organizationId: string): Promise<void> {
  if (kindOf(tx) !== "postgresql") return;
  await tx.$executeRaw`SELECT 1 FROM "License" WHERE "organizationId" = ${organizationId} AND "autoReported" = true AND "revokedAt" IS NULL FOR UPDATE`;
}

/**
 * PostgreSQL: takes the periods' locks shared (as sharedPeriodLockStatement) through Prisma, in
 * key order, for a report batch that runs on Prisma's transaction (one that extends licenses).
 */
export async function lockPeriodsShared(tx: Tx, periods: readonly { organizationId: string; period: string }[]): Promise<void> {
  if (kindOf(tx) !== "postgresql") return;
  const keys = [...new Set(periods.map((p) => periodLockKey(p.organizationId, p.period)))].sort();
  for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${key}))`;
}

/**
 * PostgreSQL: locks the given licenses until the transaction ends, so that two transactions that
 * may extend the same license run one after the other and the second sees the first's extension.
 */
export async function lockLicenses(tx: Tx, licenseIds: readonly string[]): Promise<void> {
  if (kindOf(tx) !== "postgresql" || licenseIds.length === 0) return;
  await tx.$executeRaw`SELECT 1 FROM "License" WHERE "id" IN (SELECT json_array_elements_text(${JSON.stringify([...licenseIds].sort())}::json)) ORDER BY "id" FOR UPDATE`;
}
