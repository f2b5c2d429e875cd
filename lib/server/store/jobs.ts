import "server-only";
import { randomUUID } from "node:crypto";
import { getDb, kindOf, type Tx } from "../../db";
import { insertRows, tableRows } from "./rows";

/** A job to write: its unique key makes it happen once, however often it is written. */
export interface JobToWrite {
  key: string;
  kind: string;
  organizationId: string | null;
  payload: unknown;
  runAt: Date;
}

export interface TakenJob {
  id: string;
  key: string;
  kind: string;
  organizationId: string | null;
  payload: string;
  attempts: number;
}

/**
 * Writes jobs in the caller's transaction. A key already written is left as it is, unless
 * `revive`: then a job of that key that is done or failed is pending again (at the new runAt).
 */
export async function writeJobs(tx: Tx, jobs: readonly JobToWrite[], now: Date, revive = false): Promise<void> {
  await insertRows(
    tx,
    tableRows(
      "Job",
      ["id", "key", "kind", "organizationId", "payload", "runAt", "status", "attempts", "createdAt"],
      jobs.map((j) => ({ id: randomUUID(), key: j.key, kind: j.kind, organizationId: j.organizationId, payload: JSON.stringify(j.payload), runAt: j.runAt, status: "PENDING" as const, attempts: 0, createdAt: now })),
      {
        onConflict: revive
          ? `ON CONFLICT ("key") DO UPDATE SET "status" = 'PENDING', "runAt" = excluded."runAt", "lockedUntil" = NULL, "attempts" = 0, "doneAt" = NULL, "lastError" = NULL WHERE "Job"."status" <> 'PENDING'`
          : `ON CONFLICT ("key") DO NOTHING`,
      },
    ),
  );
}

/**
 * Takes up to `limit` pending jobs due at `now` that no runner holds, and holds them until
 * now + leaseMs (a runner that dies while holding one lets another take it after that: at least
 * once; the job itself must be idempotent). On PostgreSQL the rows are taken with
 * FOR UPDATE SKIP LOCKED, so runners of several instances never wait for or take the same job;
 * on SQLite one write transaction runs at a time.
 */
export async function takeDueJobs(now: Date, limit: number, leaseMs: number): Promise<TakenJob[]> {
  const until = new Date(now.getTime() + leaseMs);
  return getDb().$transaction(async (tx) => {
    const free = { status: "PENDING" as const, runAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] };
    let ids: string[];
    if (kindOf(tx) === "postgresql") {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "Job" WHERE "status" = 'PENDING' AND "runAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        ORDER BY "runAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      ids = rows.map((r) => r.id);
    } else {
      ids = (await tx.job.findMany({ where: free, orderBy: { runAt: "asc" }, take: limit, select: { id: true } })).map((r) => r.id);
    }
    if (ids.length === 0) return [];
    await tx.job.updateMany({ where: { id: { in: ids } }, data: { lockedUntil: until, attempts: { increment: 1 } } });
    return tx.job.findMany({ where: { id: { in: ids } }, select: { id: true, key: true, kind: true, organizationId: true, payload: true, attempts: true } });
  });
}

/** Ends a job: DONE, or FAILED with its error (a failure before the last attempt leaves it PENDING for the next run, or for `runAt`). */
export async function finishJob(id: string, outcome: { status: "DONE" } | { status: "PENDING" | "FAILED"; error: string; runAt?: Date }, now: Date): Promise<void> {
  await getDb().job.updateMany({
    where: { id },
    data: outcome.status === "DONE"
      ? { status: "DONE", doneAt: now, lockedUntil: null, lastError: null }
      : { status: outcome.status, lockedUntil: null, lastError: outcome.error.slice(0, 1000), ...(outcome.status === "FAILED" ? { doneAt: now } : {}), ...(outcome.runAt ? { runAt: outcome.runAt } : {}) },
  });
}

/** Deletes an organization's pending jobs of a kind (a setting turned off), in the caller's transaction. */
export async function dropPendingJobs(tx: Tx, organizationId: string, kind: string): Promise<void> {
  await tx.job.deleteMany({ where: { organizationId, kind, status: "PENDING" } });
}
