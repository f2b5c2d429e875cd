import "server-only";
import { randomUUID } from "node:crypto";
import { getDb, pgPool } from "../../db";
import { pgQuery } from "../../pg-direct";
import { latestPerKey, movesInstallation, movesLastCheck } from "../../domain/product-api";
import type { LicenseUpdateRequest, UpdateResultName } from "../../schemas/product-api";
import { auditTable } from "../audit";
import type { ProductContext } from "../context";
import { insertAll, pgInsertCtes, tableRows, wellFormed, type TableRows } from "./rows";

/** One answered update check, as it is recorded. */
export interface CheckRecord {
  ctx: ProductContext;
  input: LicenseUpdateRequest;
  result: UpdateResultName;
  versionIssued: number | null;
}

export type CheckOutcome = "recorded" | "refused";

const licenseKey = (i: CheckRecord) => `${i.ctx.actor.licenseRef}\u0000${i.ctx.actor.organizationId}`;
// With the organization: a check whose caller claims another organization (refused by the statement's
// condition) must not stand for the latest check of the owner's installation.
const installationKey = (i: CheckRecord) => `${i.ctx.actor.licenseRef}\u0000${i.ctx.actor.organizationId}\u0000${wellFormed(i.input.installationId)}`;
const at = (i: CheckRecord) => i.ctx.now;

/** The rows of the checks recorded: update sessions, installations (the latest check of each), audit events. */
function checkTables(items: readonly CheckRecord[], pgWhere?: { live: string; audit: string }): [TableRows<"UpdateSession">, TableRows<"Installation">, TableRows<"AuditEvent">] {
  return [
    tableRows(
      "UpdateSession",
      ["id", "organizationId", "licenseId", "installationId", "productVersion", "versionPresented", "versionIssued", "result", "clientAddress", "createdAt"],
      items.map((i) => ({
        id: randomUUID(),
        organizationId: i.ctx.actor.organizationId,
        licenseId: i.ctx.actor.licenseRef,
        installationId: wellFormed(i.input.installationId),
        productVersion: wellFormed(i.input.productVersion),
        versionPresented: i.ctx.actor.versionPresented,
        versionIssued: i.versionIssued,
        result: i.result,
        clientAddress: wellFormed(i.ctx.actor.clientAddress),
        createdAt: i.ctx.now,
      })),
      pgWhere ? { where: pgWhere.live } : {},
    ),
    tableRows(
      "Installation",
      ["id", "organizationId", "licenseId", "installationId", "productVersion", "firstSeenAt", "lastSeenAt"],
      [...latestPerKey(items, installationKey, at).values()].map((i) => ({
        id: randomUUID(),
        organizationId: i.ctx.actor.organizationId,
        licenseId: i.ctx.actor.licenseRef,
        installationId: wellFormed(i.input.installationId),
        productVersion: wellFormed(i.input.productVersion),
        firstSeenAt: i.ctx.now,
        lastSeenAt: i.ctx.now,
      })),
      { onConflict: INSTALLATION_UPSERT, ...(pgWhere ? { where: pgWhere.live } : {}) },
    ),
    auditTable(
      items.map((i) => ({
        ctx: i.ctx,
        input: {
          organizationId: i.ctx.actor.organizationId,
          action: "license.update_checked",
          targetType: "License",
          targetId: i.ctx.actor.licenseId,
          after: { result: i.result, versionPresented: i.ctx.actor.versionPresented, versionIssued: i.versionIssued, installationId: i.input.installationId },
        },
      })),
      pgWhere ? { where: pgWhere.audit } : {},
    ),
  ];
}

// The statements below carry out movesLastCheck and movesInstallation (lib/domain/product-api.ts)
// as compare-and-set conditions, so that a check is recorded atomically against what another
// batch or instance wrote meanwhile; the parity test (test/integration/store-parity.int.test.ts)
// runs them against the reference below, which calls those functions, on both databases.

/** movesInstallation: the later check (or the same time) sets the product version and last sighting. */
const INSTALLATION_UPSERT =
  `ON CONFLICT ("licenseId", "installationId") DO UPDATE SET ` +
  `"productVersion" = CASE WHEN excluded."lastSeenAt" >= "Installation"."lastSeenAt" THEN excluded."productVersion" ELSE "Installation"."productVersion" END, ` +
  `"lastSeenAt" = CASE WHEN excluded."lastSeenAt" >= "Installation"."lastSeenAt" THEN excluded."lastSeenAt" ELSE "Installation"."lastSeenAt" END`;

/**
 * The UPDATE of the licenses' last check by the latest check of the batch per license
 * (movesLastCheck: only forward), for licenses not revoked and of the caller's organization. Its
 * RETURNING tells which licenses those are: the others' checks are not recorded. Parameters are
 * numbered from $1 on PostgreSQL, in the order they appear (SQLite binds "?" by position).
 */
function lastCheckUpdate(items: readonly CheckRecord[], pg: boolean): { sql: string; params: (string | Date)[] } {
  const last = [...latestPerKey(items, (i) => i.ctx.actor.licenseRef, at).values()];
  const params: (string | Date)[] = [];
  const mark = (v: string | Date, cast?: string) => {
    params.push(v);
    return pg ? `$${params.length}${cast ? `::${cast}` : ""}` : "?";
  };
  const byId = (value: (i: CheckRecord) => string | Date, cast?: string) =>
    `CASE "id" ${last.map((i) => `WHEN ${mark(i.ctx.actor.licenseRef)} THEN ${mark(value(i), cast)}`).join(" ")} END`;
  const moves = () => `("lastCheckAt" IS NULL OR "lastCheckAt" < ${byId(at, "timestamp(3)")})`;
  const set =
    `"lastCheckResult" = CASE WHEN ${moves()} THEN ${byId((i) => i.result, '"UpdateResult"')} ELSE "lastCheckResult" END, ` +
    `"lastCheckAt" = CASE WHEN ${moves()} THEN ${byId(at, "timestamp(3)")} ELSE "lastCheckAt" END`;
  const ids = last.map((i) => mark(i.ctx.actor.licenseRef)).join(", ");
  const where = `"id" IN (${ids}) AND "organizationId" = ${byId((i) => i.ctx.actor.organizationId)} AND "revokedAt" IS NULL`;
  return { sql: `UPDATE "License" SET ${set} WHERE ${where} RETURNING "id", "licenseId", "organizationId"`, params };
}

/**
 * Records update checks, many at a time (GroupCommit): per check an update session, the
 * installation (first and last seen, product version), the license's last check and the audit
 * event. A check of a license revoked since its key was verified (or of another organization
 * than the caller's, which authentication rules out) is recorded nowhere: "refused".
 *
 * On PostgreSQL all of it is one statement (a data-modifying WITH: one round trip, atomic by
 * itself), without Prisma (lib/pg-direct.ts); on SQLite the same statements run one by one in a
 * transaction. recordChecksReference is the plain version the parity test compares it with.
 */
export async function recordChecks(items: CheckRecord[]): Promise<CheckOutcome[]> {
  const pool = pgPool();
  const update = lastCheckUpdate(items, pool !== null);
  let live: Set<string>;
  if (pool) {
    const [sessions, installations, audits] = checkTables(items, {
      live: `(r."licenseId", r."organizationId") IN (SELECT "id", "organizationId" FROM live)`,
      audit: `(r."targetId", r."organizationId") IN (SELECT "licenseId", "organizationId" FROM live)`,
    });
    const { ctes, params } = pgInsertCtes([sessions, installations, audits], update.params.length + 1);
    const returned = await pgQuery<LiveLicense>(pool, `WITH live AS (${update.sql}), ${ctes} SELECT "id", "organizationId" FROM live`, [...update.params, ...params]);
    live = new Set(returned.map(liveKey));
  } else {
    live = await getDb().$transaction(async (tx) => {
      const updated = new Set((await tx.$queryRawUnsafe<LiveLicense[]>(update.sql, ...update.params)).map(liveKey));
      await insertAll(tx, checkTables(items.filter((i) => updated.has(licenseKey(i)))));
      return updated;
    });
  }
  return items.map((i) => (live.has(licenseKey(i)) ? "recorded" : "refused"));
}

interface LiveLicense {
  id: string;
  organizationId: string;
}
const liveKey = (l: LiveLicense) => `${l.id}\u0000${l.organizationId}`;

/** The reference for recordChecks: the same rows, written through Prisma, the rules called from lib/domain. */
export async function recordChecksReference(items: CheckRecord[]): Promise<CheckOutcome[]> {
  return getDb().$transaction(async (tx) => {
    const live = new Set<string>();
    for (const i of latestPerKey(items, (x) => x.ctx.actor.licenseRef, at).values()) {
      const license = await tx.license.findFirst({
        where: { id: i.ctx.actor.licenseRef, organizationId: i.ctx.actor.organizationId, revokedAt: null },
        select: { lastCheckAt: true },
      });
      if (!license) continue;
      live.add(licenseKey(i));
      if (movesLastCheck(license.lastCheckAt, i.ctx.now)) {
        await tx.license.updateMany({ where: { id: i.ctx.actor.licenseRef, organizationId: i.ctx.actor.organizationId }, data: { lastCheckAt: i.ctx.now, lastCheckResult: i.result } });
      }
    }
    const recorded = items.filter((i) => live.has(licenseKey(i)));
    const [sessions, installations, audits] = checkTables(recorded);
    for (const s of sessions.rows) await tx.updateSession.create({ data: s as Required<typeof s> });
    for (const n of installations.rows as Required<(typeof installations.rows)[number]>[]) {
      const seen = await tx.installation.findUnique({ where: { licenseId_installationId: { licenseId: n.licenseId, installationId: n.installationId } } });
      if (!seen) await tx.installation.create({ data: n });
      else if (movesInstallation(seen.lastSeenAt, n.lastSeenAt as Date)) {
        await tx.installation.update({ where: { id: seen.id }, data: { productVersion: n.productVersion, lastSeenAt: n.lastSeenAt } });
      }
    }
    for (const a of audits.rows) await tx.auditEvent.create({ data: a as Required<typeof a> });
    return items.map((i) => (live.has(licenseKey(i)) ? "recorded" : "refused"));
  });
}
