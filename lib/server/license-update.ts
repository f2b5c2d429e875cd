import "server-only";
import { randomUUID } from "node:crypto";
import { dbKind, getDb } from "../db";
import { toDateString } from "../domain/dates";
import { updateDecision } from "../domain/product-api";
import { nextCheckAt, RETRY_AFTER_GENERATION_FAILURE_MS } from "../domain/schedule";
import type { ProductCaller } from "../http/product-auth";
import { UPDATE_MESSAGES, type LicenseUpdateRequest, type UpdateResultName } from "../schemas/product-api";
import { insertAuditEvents } from "./audit";
import { insertMany } from "./bulk-insert";
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
  return outcome === "revoked" ? invalidLicenseAnswer(now) : answer;
}

interface CheckRecord {
  caller: ProductCaller;
  input: LicenseUpdateRequest;
  now: Date;
  clientAddress: string;
  result: UpdateResultName;
  versionIssued: number | null;
}

/**
 * Records update checks, many at a time (GroupCommit): per check an update session, the
 * installation (first and last seen, product version), the license's last check and the audit
 * event, all in one transaction. A check of a license revoked since its key was verified is
 * recorded nowhere and answered InvalidLicense.
 */
async function recordChecks(items: CheckRecord[]): Promise<("recorded" | "revoked")[]> {
  return getDb().$transaction(async (tx) => {
    const pg = dbKind() === "postgresql";
    // The license's last check: the latest of the batch per license, in one statement, which
    // also tells which licenses are still not revoked (RETURNING): the others' checks are not recorded.
    const last = latestBy(items, (i) => i.caller.licenseRef);
    const params: (string | Date)[] = [];
    const mark = (v: string | Date, cast?: string) => {
      params.push(v);
      return pg ? `$${params.length}${cast ? `::${cast}` : ""}` : "?";
    };
    // Two requests' checks may land in batches out of their time order: never move back.
    // Parameters are pushed in the order they appear in the statement (SQLite binds "?" by position).
    const atCase = () => `CASE "id" ${[...last.values()].map((i) => `WHEN ${mark(i.caller.licenseRef)} THEN ${mark(i.now, "timestamp(3)")}`).join(" ")} END`;
    const resultCase = () => `CASE "id" ${[...last.values()].map((i) => `WHEN ${mark(i.caller.licenseRef)} THEN ${mark(i.result, '"UpdateResult"')}`).join(" ")} END`;
    const newer = (at: string) => `("lastCheckAt" IS NULL OR "lastCheckAt" < ${at})`;
    let set = `"lastCheckResult" = CASE WHEN ${newer(atCase())} THEN `;
    set += `${resultCase()} ELSE "lastCheckResult" END, "lastCheckAt" = CASE WHEN ${newer(atCase())} THEN `;
    set += `${atCase()} ELSE "lastCheckAt" END`;
    const inList = [...last.keys()].map((id) => mark(id)).join(", ");
    const updated = await tx.$queryRawUnsafe<{ id: string }[]>(`UPDATE "License" SET ${set} WHERE "id" IN (${inList}) AND "revokedAt" IS NULL RETURNING "id"`, ...params);
    const notRevoked = new Set(updated.map((r) => r.id));
    const live = items.filter((i) => notRevoked.has(i.caller.licenseRef));
    if (live.length > 0) {
      await insertMany(
        tx, "UpdateSession",
        ["id", "organizationId", "licenseId", "installationId", "productVersion", "versionPresented", "versionIssued", "result", "clientAddress", "createdAt"],
        live.map((i) => [randomUUID(), i.caller.organizationId, i.caller.licenseRef, i.input.installationId, i.input.productVersion, i.caller.versionPresented, i.versionIssued, i.result, i.clientAddress, i.now]),
      );
      // One row per installation: the latest check of the batch wins.
      const installations = latestBy(live, (i) => `${i.caller.licenseRef}\u0000${i.input.installationId}`);
      await insertMany(
        tx, "Installation",
        ["id", "organizationId", "licenseId", "installationId", "productVersion", "firstSeenAt", "lastSeenAt"],
        [...installations.values()].map((i) => [randomUUID(), i.caller.organizationId, i.caller.licenseRef, i.input.installationId, i.input.productVersion, i.now, i.now]),
        {
          onConflict:
            `ON CONFLICT ("licenseId", "installationId") DO UPDATE SET ` +
            `"productVersion" = CASE WHEN excluded."lastSeenAt" >= "Installation"."lastSeenAt" THEN excluded."productVersion" ELSE "Installation"."productVersion" END, ` +
            `"lastSeenAt" = CASE WHEN excluded."lastSeenAt" >= "Installation"."lastSeenAt" THEN excluded."lastSeenAt" ELSE "Installation"."lastSeenAt" END`,
        },
      );
      await insertAuditEvents(
        tx,
        live.map((i) => ({
          ctx: { actor: { type: "installation", organizationId: i.caller.organizationId, licenseId: i.caller.licenseId, installationId: i.input.installationId }, now: i.now },
          input: {
            organizationId: i.caller.organizationId,
            action: "license.update_checked",
            targetType: "License",
            targetId: i.caller.licenseId,
            after: { result: i.result, versionPresented: i.caller.versionPresented, versionIssued: i.versionIssued, installationId: i.input.installationId },
          },
        })),
      );
    }
    return items.map((i) => (notRevoked.has(i.caller.licenseRef) ? "recorded" : "revoked"));
  });
}

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

const globalChecks = globalThis as unknown as { pulseUpdateChecks?: GroupCommit<CheckRecord, "recorded" | "revoked"> };
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
