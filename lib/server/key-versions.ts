import "server-only";
import { randomUUID } from "node:crypto";
import { signLicenseKey, type LicenseClaims } from "../crypto/license-key";
import type { Tx } from "../db";
import { findProduct } from "../domain/catalog";
import type { KeyVersionReason } from "../generated/sqlite/enums";
import { writeAudit } from "./audit";
import type { Context } from "./context";

/** What a key version is signed from: the license as it is after the change. */
export const licenseForKeySelect = {
  id: true,
  licenseId: true,
  type: true,
  productId: true,
  autoReported: true,
  expirationDate: true,
  supportExpirationDate: true,
  points: true,
  currentVersion: true,
  organization: { select: { id: true, name: true } },
  contract: { select: { number: true } },
  workloads: { select: { type: true, count: true }, orderBy: { type: "asc" as const } },
} as const;

export type LicenseForKey = {
  id: string;
  licenseId: string;
  type: "RENTAL" | "NFR" | "EVALUATION";
  productId: string;
  autoReported: boolean;
  expirationDate: string;
  supportExpirationDate: string;
  points: number;
  currentVersion: number;
  organization: { id: string; name: string };
  contract: { number: string } | null;
  workloads: { type: string; count: number }[];
};

export function claimsOf(l: LicenseForKey): LicenseClaims {
  const product = findProduct(l.productId);
  return {
    licenseId: l.licenseId,
    organization: { id: l.organization.id, name: l.organization.name },
    supportId: l.contract?.number ?? null,
    type: l.type,
    product: { id: l.productId, name: product?.name ?? l.productId, edition: product?.edition ?? null },
    workloads: l.workloads.map((w) => ({ type: w.type, count: w.count })),
    points: l.points,
    autoReported: l.autoReported,
    expirationDate: l.expirationDate,
    supportExpirationDate: l.supportExpirationDate,
  };
}

export type KeyChanges = Partial<Pick<LicenseForKey, "autoReported" | "expirationDate" | "supportExpirationDate" | "points">>;

/** Thrown inside a transaction when another change issued a version first; the caller retries. */
export class VersionConflict extends Error {
  constructor() {
    super("another change to this license issued a key version first");
  }
}

/**
 * Applies `changes` to a license and issues its next signed key version, in the caller's
 * transaction. The update's where holds the version the change started from, so two racing
 * changes cannot both issue the same number (the unique index on license + version backs it
 * up): the loser gets VersionConflict and its transaction rolls back.
 */
export async function issueKeyVersion(
  tx: Tx,
  ctx: Context,
  before: LicenseForKey,
  changes: KeyChanges,
  reason: KeyVersionReason,
): Promise<{ id: string; version: number; jws: string }> {
  const license = { ...before, ...changes };
  const version = before.currentVersion + 1;
  const moved = await tx.license.updateMany({
    // Scoped to its organization, and never for a license revoked meanwhile.
    where: { id: before.id, organizationId: before.organization.id, currentVersion: before.currentVersion, revokedAt: null },
    data: { ...changes, currentVersion: version },
  });
  if (moved.count !== 1) throw new VersionConflict();
  const jti = randomUUID();
  const signed = await signLicenseKey({ jti, version, issuedAt: ctx.now, lic: claimsOf(license) });
  await tx.keyVersion.create({
    data: {
      id: jti,
      licenseId: license.id,
      version,
      jws: signed.jws,
      kid: signed.kid,
      reason,
      expirationDate: license.expirationDate,
      autoReported: license.autoReported,
      points: license.points,
      issuedAt: ctx.now,
      issuedById: ctx.actor.type === "user" ? ctx.actor.userId : null,
    },
  });
  await writeAudit(tx, ctx, {
    organizationId: license.organization.id,
    action: "license.key_issued",
    targetType: "License",
    targetId: license.licenseId,
    after: { version, reason, expirationDate: license.expirationDate, autoReported: license.autoReported, points: license.points },
  });
  return { id: jti, version, jws: signed.jws };
}

/** Runs a transaction that issues a key version again when it lost a race (VersionConflict). */
export async function withVersionRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof VersionConflict) || i >= attempts) throw error;
    }
  }
}
