import "server-only";
import { randomUUID } from "node:crypto";
import { getDb, pgPool } from "../db";
import { pgQuery } from "../pg-direct";
import { toDateString } from "../domain/dates";
import { updateDecision } from "../domain/product-api";
import { nextCheckAt, RETRY_AFTER_GENERATION_FAILURE_MS } from "../domain/schedule";
import type { ProductCaller } from "../http/product-auth";
import { UPDATE_MESSAGES, type LicenseUpdateRequest, type UpdateResultName } from "../schemas/product-api";
import { AUDIT_COLUMNS, auditRows } from "./audit";
import { insertAll, pgInserts, type TableRows } from "./bulk-insert";
import { GroupCommit } from "./group-commit";

export interface UpdateAnswer {
  result: UpdateResultName;
  message: string;
  checkedAt: string;
  nextCheckAfter?: string;
  licenseKey?: string;
}

/**
 * POST /api/v1/license/update for a valid key: decides the result, hands out the newest key
 * version on Success, and records the update session, the installation (first and last seen,
 * product version), the license's last check and the audit event in one transaction.
 */
export async function answerUpdateCheck(caller: ProductCaller, input: LicenseUpdateRequest, now: Date, clientAddress: string): Promise<UpdateAnswer> {
  const l = caller.license;
  const result = updateDecision({
    type: l.type,
    supportId: l.supportId,
    contract: l.contract,
    currentVersion: l.currentVersion,
    presentedVersion: caller.versionPresented,
    today: toDateString(now),
  });
  const db = getDb();
  const newest =
    result === "Success"
      ? await db.keyVersion.findUniqueOrThrow({
          where: { licenseId_version: { licenseId: caller.licenseRef, version: l.currentVersion } },
          select: { jws: true, version: true },
        })
      : null;
  // The whole answer is built before anything is written: a failure after the commit would
  // answer GenerationFailed for a check that was recorded with another result.
  const answer: UpdateAnswer = {
    result,
    message: UPDATE_MESSAGES[result],
    checkedAt: now.toISOString(),
    nextCheckAfter: nextCheckAt(result, l.expirationDate, now).toISOString(),
    ...(newest ? { licenseKey: newest.jws } : {}),
  };
  const outcome = await checks.submit({ caller, input, now, clientAddress, result, versionIssued: newest?.version ?? null });
  return outcome === "refused" ? invalidLicenseAnswer(now) : answer;
}

interface CheckRecord {
  caller: ProductCaller;
  input: LicenseUpdateRequest;
  now: Date;
  clientAddress: string;
  result: UpdateResultName;
  versionIssued: number | null;
}

const SESSION_COLUMNS = ["id", "organizationId", "licenseId", "installationId", "productVersion", "versionPresented", "versionIssued", "result", "clientAddress", "createdAt"];
const INSTALLATION_COLUMNS = ["id", "organizationId", "licenseId", "installationId", "productVersion", "firstSeenAt", "lastSeenAt"];
// Two checks of one installation may land in batches out of their time order: never move back.
const INSTALLATION_UPSERT =
  `ON CONFLICT ("licenseId", "installationId") DO UPDATE SET ` +
  `"productVersion" = CASE WHEN excluded."lastSeenAt" >= "Installation"."lastSeenAt" THEN excluded."productVersion" ELSE "Installation"."productVersion" END, ` +
  `"lastSeenAt" = CASE WHEN excluded."lastSeenAt" >= "Installation"."lastSeenAt" THEN excluded."lastSeenAt" ELSE "Installation"."lastSeenAt" END`;

/** What a batch of checks writes: update sessions, installations and audit events. */
function checkTables(items: CheckRecord[]): [TableRows, TableRows, TableRows] {
  return [
    {
      table: "UpdateSession", columns: SESSION_COLUMNS,
      rows: items.map((i) => [randomUUID(), i.caller.organizationId, i.caller.licenseRef, i.input.installationId, i.input.productVersion, i.caller.versionPresented, i.versionIssued, i.result, i.clientAddress, i.now]),
    },
    {
      table: "Installation", columns: INSTALLATION_COLUMNS, onConflict: INSTALLATION_UPSERT,
      // One row per installation: the latest check of the batch wins.
      rows: [...latestBy(items, (i) => `${i.caller.licenseRef}\u0000${i.input.installationId}`).values()].map((i) => [
        randomUUID(), i.caller.organizationId, i.caller.licenseRef, i.input.installationId, i.input.productVersion, i.now, i.now,
      ]),
    },
    {
      table: "AuditEvent", columns: AUDIT_COLUMNS,
      rows: auditRows(
        items.map((i) => ({
          ctx: { actor: { type: "installation" as const, organizationId: i.caller.organizationId, licenseId: i.caller.licenseId, installationId: i.input.installationId }, now: i.now },
          input: {
            organizationId: i.caller.organizationId,
            action: "license.update_checked",
            targetType: "License",
            targetId: i.caller.licenseId,
            after: { result: i.result, versionPresented: i.caller.versionPresented, versionIssued: i.versionIssued, installationId: i.input.installationId },
          },
        })),
      ),
    },
  ];
}

/**
 * The UPDATE of the licenses' last check: the latest of the batch per license, never moving
 * back (two requests' checks may land in batches out of their time order), only licenses not
 * revoked and of the caller's organization. Its RETURNING tells which licenses those are: the
 * others' checks are not recorded. Parameters are numbered from $1 on PostgreSQL, in the order
 * they appear (SQLite binds "?" by position).
 */
function lastCheckUpdate(items: CheckRecord[], pg: boolean): { sql: string; params: (string | Date)[] } {
  const last = latestBy(items, (i) => i.caller.licenseRef);
  const params: (string | Date)[] = [];
  const mark = (v: string | Date, cast?: string) => {
    params.push(v);
    return pg ? `$${params.length}${cast ? `::${cast}` : ""}` : "?";
  };
  const atCase = () => `CASE "id" ${[...last.values()].map((i) => `WHEN ${mark(i.caller.licenseRef)} THEN ${mark(i.now, "timestamp(3)")}`).join(" ")} END`;
  const resultCase = () => `CASE "id" ${[...last.values()].map((i) => `WHEN ${mark(i.caller.licenseRef)} THEN ${mark(i.result, '"UpdateResult"')}`).join(" ")} END`;
  const newer = (at: string) => `("lastCheckAt" IS NULL OR "lastCheckAt" < ${at})`;
  let set = `"lastCheckResult" = CASE WHEN ${newer(atCase())} THEN `;
  set += `${resultCase()} ELSE "lastCheckResult" END, "lastCheckAt" = CASE WHEN ${newer(atCase())} THEN `;
  set += `${atCase()} ELSE "lastCheckAt" END`;
  const inList = [...last.keys()].map((id) => mark(id)).join(", ");
  const organizationCase = `CASE "id" ${[...last.values()].map((i) => `WHEN ${mark(i.caller.licenseRef)} THEN ${mark(i.caller.organizationId)}`).join(" ")} END`;
  const where = `"id" IN (${inList}) AND "organizationId" = ${organizationCase} AND "revokedAt" IS NULL`;
  return { sql: `UPDATE "License" SET ${set} WHERE ${where} RETURNING "id", "licenseId", "organizationId"`, params };
}

/**
 * Records update checks, many at a time (GroupCommit): per check an update session, the
 * installation (first and last seen, product version), the license's last check and the audit
 * event, all at once. A check of a license revoked since its key was verified (or, which the
 * authentication rules out, of another organization than the caller's) is recorded nowhere and
 * answered InvalidLicense.
 *
 * On PostgreSQL all of it is one statement (a data-modifying WITH: one round trip, atomic by
 * itself), run without Prisma (lib/pg-direct.ts); there every statement is a round trip, which at
 * a low rate costs more than the work. On SQLite, where a statement costs a fraction of that, the
 * same statements run one by one in a transaction.
 */
async function recordChecks(items: CheckRecord[]): Promise<("recorded" | "refused")[]> {
  const pool = pgPool();
  const update = lastCheckUpdate(items, pool !== null);
  let recorded: Set<string>;
  if (pool) {
    const live = `(r."licenseId", r."organizationId") IN (SELECT "id", "organizationId" FROM live)`;
    const [sessions, installations, audits] = checkTables(items);
    const { ctes, params } = pgInserts(
      [{ ...sessions, where: live }, { ...installations, where: live }, { ...audits, where: `(r."targetId", r."organizationId") IN (SELECT "licenseId", "organizationId" FROM live)` }],
      update.params.length + 1,
    );
    const returned = await pgQuery<LiveLicense>(pool, `WITH live AS (${update.sql}), ${ctes} SELECT "id", "organizationId" FROM live`, [...update.params, ...params]);
    recorded = new Set(returned.map(liveKey));
  } else {
    recorded = await getDb().$transaction(async (tx) => {
      const updated = new Set((await tx.$queryRawUnsafe<LiveLicense[]>(update.sql, ...update.params)).map(liveKey));
      await insertAll(tx, checkTables(items.filter((i) => updated.has(liveKey(licenseOf(i))))));
      return updated;
    });
  }
  return items.map((i) => (recorded.has(liveKey(licenseOf(i))) ? "recorded" : "refused"));
}

/** A license the last-check UPDATE returned: its checks are recorded for that organization only. */
interface LiveLicense {
  id: string;
  organizationId: string;
}
const liveKey = (l: LiveLicense) => `${l.id}\u0000${l.organizationId}`;
const licenseOf = (i: CheckRecord): LiveLicense => ({ id: i.caller.licenseRef, organizationId: i.caller.organizationId });

/** The latest check (by its time, not its arrival) per key. */
function latestBy(items: CheckRecord[], key: (i: CheckRecord) => string): Map<string, CheckRecord> {
  const out = new Map<string, CheckRecord>();
  for (const i of items) {
    const k = key(i);
    const seen = out.get(k);
    if (!seen || i.now.getTime() >= seen.now.getTime()) out.set(k, i);
  }
  return out;
}

const globalChecks = globalThis as unknown as { pulseUpdateChecks?: GroupCommit<CheckRecord, "recorded" | "refused"> };
const checks = (globalChecks.pulseUpdateChecks ??= new GroupCommit(recordChecks));

/** The InvalidLicense answer (401): no nextCheckAfter. */
export function invalidLicenseAnswer(now: Date): UpdateAnswer {
  return { result: "InvalidLicense", message: UPDATE_MESSAGES.InvalidLicense, checkedAt: now.toISOString() };
}

/** The GenerationFailed answer (503, Retry-After 86400): the product retries by the schedule. */
export function generationFailedAnswer(now: Date): UpdateAnswer {
  return {
    result: "GenerationFailed",
    message: UPDATE_MESSAGES.GenerationFailed,
    checkedAt: now.toISOString(),
    nextCheckAfter: new Date(now.getTime() + RETRY_AFTER_GENERATION_FAILURE_MS).toISOString(),
  };
}
