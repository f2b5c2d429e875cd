import "server-only";
import { kindOf, type Tx } from "../../db";
import type { KeyVersionReason } from "../../generated/sqlite/enums";
import { insertRows, tableRows, type TableRows } from "./rows";

/** One new key version of a license, as it is written: the license moves to it, from `fromVersion`. */
export interface KeyVersionWrite {
  licenseRef: string;
  organizationId: string;
  fromVersion: number;
  /** The license's values after the change (what the key is signed with). */
  set: { autoReported: boolean; expirationDate: string; supportExpirationDate: string; points: number };
  /** Which of them the change moves (the license's other values stay as they are). */
  changed: readonly Changeable[];
  /** The version's id (the key's jti). */
  id: string;
  reason: KeyVersionReason;
  issuedAt: Date;
  issuedById: string | null;
  /**
   * A monthly extension: one per license and period (unique index), recorded with its key
   * version; by a submission (monthlyReportId) or by the product's own monthly report (usageReportId).
   */
  extension?: { period: string; monthlyReportId: string | null; usageReportId: string | null; fromDate: string; id: string };
}

/** The license columns a key version may change. */
export const CHANGEABLE = ["autoReported", "expirationDate", "supportExpirationDate", "points"] as const;
export type Changeable = (typeof CHANGEABLE)[number];

/** Thrown inside a transaction when another change issued a version first; the caller retries. */
export class VersionConflict extends Error {
  constructor() {
    super("another change to this license issued a key version first");
  }
}

/** A signed key, in the order of the writes. */
export interface SignedKey {
  jws: string;
  kid: string;
}

function versionRows(writes: readonly KeyVersionWrite[], keys: readonly SignedKey[]): [TableRows<"KeyVersion">, TableRows<"LicenseExtension">] {
  return [
    tableRows(
      "KeyVersion",
      ["id", "licenseId", "version", "jws", "kid", "reason", "expirationDate", "autoReported", "points", "issuedAt", "issuedById"],
      writes.map((w, i) => ({
        id: w.id, licenseId: w.licenseRef, version: w.fromVersion + 1, jws: keys[i].jws, kid: keys[i].kid, reason: w.reason,
        expirationDate: w.set.expirationDate, autoReported: w.set.autoReported, points: w.set.points, issuedAt: w.issuedAt, issuedById: w.issuedById,
      })),
    ),
    tableRows(
      "LicenseExtension",
      ["id", "licenseId", "period", "monthlyReportId", "usageReportId", "fromDate", "toDate", "keyVersionId", "createdAt"],
      writes.flatMap((w) => (w.extension ? [{
        id: w.extension.id, licenseId: w.licenseRef, period: w.extension.period, monthlyReportId: w.extension.monthlyReportId, usageReportId: w.extension.usageReportId,
        fromDate: w.extension.fromDate, toDate: w.set.expirationDate, keyVersionId: w.id, createdAt: w.issuedAt,
      }] : [])),
    ),
  ];
}

/**
 * Moves each license to its new key version and writes the version (and the extension, if any),
 * in the caller's transaction. The keys are awaited only after the licenses moved, so that
 * their signing (on a worker thread for many) overlaps the updates. A license whose version is
 * no longer `fromVersion`, or that was revoked meanwhile, fails the whole write with VersionConflict (the unique index on license +
 * version stands behind it).
 *
 * The licenses move by groups of the same changed values and starting version, one statement per
 * group with the ids as one JSON parameter ("id IN (...)" uses the primary key; a CASE or an
 * UPDATE ... FROM the list made SQLite compare every pair); the rows go in by bulk insert
 * (store/rows.ts): Submit Usage writes 2,000 at once. writeKeyVersionsReference is the plain
 * version the parity test compares it with.
 */
export async function writeKeyVersions(tx: Tx, writes: readonly KeyVersionWrite[], keys: Promise<readonly SignedKey[]>): Promise<void> {
  if (writes.length === 0) return;
  // Groups of licenses that move from the same version to the same values: Submit Usage's 2,000
  // extensions are a few groups (one per new date), whatever else differs between the licenses.
  const groups = new Map<string, { w: KeyVersionWrite; columns: Changeable[]; ids: string[] }>();
  for (const w of writes) {
    const columns = CHANGEABLE.filter((c) => w.changed.includes(c));
    const key = JSON.stringify([w.organizationId, w.fromVersion, w.issuedAt, columns.map((c) => w.set[c])]);
    const group = groups.get(key);
    if (group) group.ids.push(w.licenseRef);
    else groups.set(key, { w, columns, ids: [w.licenseRef] });
  }
  const pg = kindOf(tx) === "postgresql";
  for (const { w, columns, ids } of groups.values()) {
    const values: unknown[] = [...columns.map((c) => w.set[c]), w.issuedAt, w.issuedAt, w.organizationId, w.fromVersion, JSON.stringify(ids)];
    const p = (n: number) => (pg ? `$${n}` : "?");
    const set = [...columns.map((c, i) => `"${c}" = ${p(i + 1)}`), `"currentVersion" = "currentVersion" + 1`, `"updatedAt" = ${p(columns.length + 1)}${pg ? "::timestamp(3)" : ""}`, `"keyIssuedAt" = ${p(columns.length + 2)}${pg ? "::timestamp(3)" : ""}`].join(", ");
    const n = columns.length + 2;
    const sql = pg
      ? `UPDATE "License" SET ${set} WHERE "organizationId" = $${n + 1} AND "currentVersion" = $${n + 2} AND "revokedAt" IS NULL AND "id" IN (SELECT json_array_elements_text($${n + 3}::json))`
      : // The unary + keeps SQLite from choosing the organization's index and probing the list for each of its licenses.
        `UPDATE "License" SET ${set} WHERE +"organizationId" = ? AND +"currentVersion" = ? AND "revokedAt" IS NULL AND "id" IN (SELECT value FROM json_each(?))`;
    const moved = await tx.$executeRawUnsafe(sql, ...values);
    if (moved !== ids.length) throw new VersionConflict();
  }
  const [versions, extensions] = versionRows(writes, await keys);
  await insertRows(tx, versions);
  await insertRows(tx, extensions);
}

/** The reference for writeKeyVersions: one Prisma update and create per license. */
export async function writeKeyVersionsReference(tx: Tx, writes: readonly KeyVersionWrite[], keys: Promise<readonly SignedKey[]>): Promise<void> {
  for (const w of writes) {
    const moved = await tx.license.updateMany({
      where: { id: w.licenseRef, organizationId: w.organizationId, currentVersion: w.fromVersion, revokedAt: null },
      data: { ...Object.fromEntries(w.changed.map((c) => [c, w.set[c]])), currentVersion: w.fromVersion + 1, updatedAt: w.issuedAt, keyIssuedAt: w.issuedAt },
    });
    if (moved.count !== 1) throw new VersionConflict();
  }
  const [versions, extensions] = versionRows(writes, await keys);
  for (const v of versions.rows) await tx.keyVersion.create({ data: v as Required<typeof v> });
  for (const e of extensions.rows) await tx.licenseExtension.create({ data: e as Required<typeof e> });
}
