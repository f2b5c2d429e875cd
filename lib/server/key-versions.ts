import "server-only";
import { randomUUID } from "node:crypto";
import { signLicenseKeys, type LicenseClaims } from "../crypto/license-key";
import type { Tx } from "../db";
import { findProduct } from "../domain/catalog";
import type { KeyVersionReason } from "../generated/sqlite/enums";
import { insertAuditEvents } from "./audit";
import { CHANGEABLE, VersionConflict, writeKeyVersions } from "./store/key-versions";
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

/** One license's change that issues a key version. */
export interface KeyVersionChange {
  /** The license as it is before the change (read in the same transaction). */
  license: LicenseForKey;
  changes: KeyChanges;
  reason: KeyVersionReason;
  /** A monthly extension: recorded with its key version (one per license and period). */
  extension?: { period: string; monthlyReportId: string | null; usageReportId: string | null };
  /** The audit event of the version; by default "license.key_issued" with the version's values. */
  audit?: { action: string; before?: unknown; after?: unknown };
}

export interface IssuedVersion {
  licenseId: string;
  version: number;
  jws: string;
  from: string;
  to: string;
}

/**
 * Applies each change to its license and issues its next signed key version, in the caller's
 * transaction: the one path by which a key version comes to be (the toggle, creation, Submit
 * Usage). The signing runs (on a worker thread for many keys) while the licenses move; the
 * versions, extensions and audit events are then written in bulk (store/key-versions.ts). A
 * license changed or revoked meanwhile fails the whole transaction with VersionConflict: the
 * caller retries (withVersionRetry) or answers a conflict.
 */
export async function issueKeyVersions(tx: Tx, ctx: Context, changes: readonly KeyVersionChange[]): Promise<IssuedVersion[]> {
  return issuePreparedKeyVersions(tx, prepareKeyVersions(ctx, changes));
}

/** Key versions planned and being signed (on a worker thread for many), not yet written. */
export interface PreparedKeyVersions {
  ctx: Context;
  planned: { c: KeyVersionChange; after: LicenseForKey; jti: string; version: number }[];
  signing: Promise<{ jws: string; kid: string }[]>;
}

/**
 * Plans the versions of `changes` and starts signing them, so that a caller with other writes to
 * make first (Submit Usage's lines) overlaps them with the signing; issuePreparedKeyVersions then
 * writes them, in the caller's transaction.
 */
export function prepareKeyVersions(ctx: Context, changes: readonly KeyVersionChange[]): PreparedKeyVersions {
  const planned = changes.map((c) => ({ c, after: { ...c.license, ...c.changes }, jti: randomUUID(), version: c.license.currentVersion + 1 }));
  const signing = planned.length ? signLicenseKeys(planned.map((p) => ({ jti: p.jti, version: p.version, issuedAt: ctx.now, lic: claimsOf(p.after) }))) : Promise.resolve([]);
  signing.catch(() => undefined); // awaited when written; never an unhandled rejection meanwhile
  return { ctx, planned, signing };
}

export async function issuePreparedKeyVersions(tx: Tx, { ctx, planned, signing }: PreparedKeyVersions): Promise<IssuedVersion[]> {
  if (planned.length === 0) return [];
  await writeKeyVersions(
    tx,
    planned.map((p) => ({
      licenseRef: p.c.license.id,
      organizationId: p.c.license.organization.id,
      fromVersion: p.c.license.currentVersion,
      set: { autoReported: p.after.autoReported, expirationDate: p.after.expirationDate, supportExpirationDate: p.after.supportExpirationDate, points: p.after.points },
      changed: CHANGEABLE.filter((c) => p.c.changes[c] !== undefined),
      id: p.jti,
      reason: p.c.reason,
      issuedAt: ctx.now,
      issuedById: ctx.actor.type === "user" ? ctx.actor.userId : null,
      ...(p.c.extension ? { extension: { ...p.c.extension, fromDate: p.c.license.expirationDate, id: randomUUID() } } : {}),
    })),
    signing,
  );
  const keys = await signing;
  await insertAuditEvents(
    tx,
    planned.map((p) => ({
      ctx,
      input: {
        organizationId: p.c.license.organization.id,
        targetType: "License",
        targetId: p.c.license.licenseId,
        ...(p.c.audit ?? {
          action: "license.key_issued",
          after: { version: p.version, reason: p.c.reason, expirationDate: p.after.expirationDate, autoReported: p.after.autoReported, points: p.after.points },
        }),
      },
    })),
  );
  return planned.map((p, i) => ({ licenseId: p.c.license.licenseId, version: p.version, jws: keys[i].jws, from: p.c.license.expirationDate, to: p.after.expirationDate }));
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

export { VersionConflict };
