import "server-only";
import { getDb } from "../db";
import { toDateString } from "../domain/dates";
import { updateDecision } from "../domain/product-api";
import { nextCheckAt, RETRY_AFTER_GENERATION_FAILURE_MS } from "../domain/schedule";
import { UPDATE_MESSAGES, type LicenseUpdateAnswer, type LicenseUpdateRequest } from "../schemas/product-api";
import type { ProductContext } from "./context";
import { GroupCommit } from "./group-commit";
import { recordChecks, type CheckOutcome, type CheckRecord } from "./store/update-checks";

type UpdateAnswer = LicenseUpdateAnswer;

/**
 * POST /api/v1/license/update for a valid key: decides the result, hands out the newest key
 * version on Success, and records the update session, the installation (first and last seen,
 * product version), the license's last check and the audit event in one transaction.
 */
export async function answerUpdateCheck(ctx: ProductContext, input: LicenseUpdateRequest): Promise<UpdateAnswer> {
  const { actor, now } = ctx;
  const l = actor.license;
  const result = updateDecision({
    type: l.type,
    supportId: l.supportId,
    contract: l.contract,
    currentVersion: l.currentVersion,
    presentedVersion: actor.versionPresented,
    today: toDateString(now),
  });
  const db = getDb();
  const newest =
    result === "Success"
      ? await db.keyVersion.findUniqueOrThrow({
          where: { licenseId_version: { licenseId: actor.licenseRef, version: l.currentVersion } },
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
  const outcome = await checks.submit({ ctx, input, result, versionIssued: newest?.version ?? null });
  return outcome === "refused" ? invalidLicenseAnswer(now) : answer;
}

const globalChecks = globalThis as unknown as { pulseUpdateChecks?: GroupCommit<CheckRecord, CheckOutcome> };
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
