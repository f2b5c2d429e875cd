import "server-only";
import { getDb } from "../db";
import { toDateString } from "../domain/dates";
import { updateDecision } from "../domain/product-api";
import { nextCheckAt, RETRY_AFTER_GENERATION_FAILURE_MS } from "../domain/schedule";
import type { ProductCaller } from "../http/product-auth";
import { UPDATE_MESSAGES, type LicenseUpdateRequest, type UpdateResultName } from "../schemas/product-api";
import { auditEventCreate } from "./audit";

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
  const actor = { type: "installation" as const, organizationId: caller.organizationId, licenseId: caller.licenseId, installationId: input.installationId };
  // The four writes go as one batch transaction: no JavaScript runs between them, so the
  // transaction is as short as it can be (this runs on every call of every product server).
  try {
    await db.$transaction([
    db.updateSession.create({
      data: {
        organizationId: caller.organizationId,
        licenseId: caller.licenseRef,
        installationId: input.installationId,
        productVersion: input.productVersion,
        versionPresented: caller.versionPresented,
        versionIssued: newest?.version ?? null,
        result,
        clientAddress,
        createdAt: now,
      },
      select: { id: true },
    }),
    db.installation.upsert({
      where: { licenseId_installationId: { licenseId: caller.licenseRef, installationId: input.installationId } },
      create: {
        organizationId: caller.organizationId,
        licenseId: caller.licenseRef,
        installationId: input.installationId,
        productVersion: input.productVersion,
        firstSeenAt: now,
        lastSeenAt: now,
      },
      update: { productVersion: input.productVersion, lastSeenAt: now },
      select: { id: true },
    }),
    // Fails (and rolls back the batch) if the license was revoked since the key was checked.
    db.license.update({ where: { id: caller.licenseRef, organizationId: caller.organizationId, revokedAt: null }, data: { lastCheckAt: now, lastCheckResult: result }, select: { id: true } }),
    auditEventCreate(db, { actor, now }, {
      organizationId: caller.organizationId,
      action: "license.update_checked",
      targetType: "License",
      targetId: caller.licenseId,
      after: { result, versionPresented: caller.versionPresented, versionIssued: newest?.version ?? null, installationId: input.installationId },
    }),
  ]);
  } catch (error) {
    if ((error as { code?: string }).code === "P2025") return invalidLicenseAnswer(now);
    throw error;
  }
  return answer;
}

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
