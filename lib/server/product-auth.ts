import "server-only";
import { InvalidLicenseKey, verifyLicenseKey } from "../crypto/license-key";
import { getDb, pgPool, Prisma, sqliteReader } from "../db";
import { pgQuery } from "../pg-direct";
import { sqliteRead } from "../sqlite-statements";
import type { ProductAuthenticator } from "../http/product-auth";

/**
 * A key is valid when its signature verifies against the portal's keys, its jti is a key version
 * issued for the license it names (same license id and version number), and the license is not
 * revoked. One indexed read (the key version by its id, with its license) answers all of it.
 * A failure to tell (the keys cannot be loaded, the database fails) is thrown, not "invalid".
 */
interface AuthRow {
  version: number | bigint;
  id: string;
  licenseId: string;
  organizationId: string;
  revoked: number | bigint;
  type: "RENTAL" | "NFR" | "EVALUATION";
  productId: string;
  currentVersion: number | bigint;
  expirationDate: string;
  contractNumber: string | null;
  contractStatus: "ACTIVE" | "TERMINATED" | null;
  contractEndDate: string | null;
}

/** The key version's row by its id (the key's jti), as one statement. */
const authQuery = (jti: string) => Prisma.sql`
  SELECT kv."version" AS "version", l."id" AS "id", l."licenseId" AS "licenseId", l."organizationId" AS "organizationId",
         CASE WHEN l."revokedAt" IS NULL THEN 0 ELSE 1 END AS "revoked", CAST(l."type" AS TEXT) AS "type", l."productId" AS "productId",
         l."currentVersion" AS "currentVersion", l."expirationDate" AS "expirationDate",
         c."number" AS "contractNumber", CAST(c."status" AS TEXT) AS "contractStatus", c."endDate" AS "contractEndDate"
  FROM "KeyVersion" kv
  JOIN "License" l ON l."id" = kv."licenseId"
  LEFT JOIN "Contract" c ON c."id" = l."contractId"
  WHERE kv."id" = ${jti}`;

export const licenseKeyAuthenticator: ProductAuthenticator = {
  async authenticate(licenseKey) {
    let payload;
    try {
      payload = await verifyLicenseKey(licenseKey);
    } catch (error) {
      if (error instanceof InvalidLicenseKey) return null;
      throw error;
    }
    // One query with joins (Prisma's nested select would be three): this runs on every call, so
    // it runs without Prisma, on PostgreSQL's pool (lib/pg-direct.ts) or SQLite's read connection
    // (lib/db.ts sqliteReader; through Prisma when there is none). Either way it reads what is
    // committed: during another request's open transaction (a revocation, a new key version) it
    // sees the state before it, as PostgreSQL's READ COMMITTED does.
    const query = authQuery(payload.jti);
    const pool = pgPool();
    const reader = sqliteReader(); // null on PostgreSQL
    const rows = pool
      ? await pgQuery<AuthRow>(pool, query.text, query.values)
      : reader
        ? sqliteRead<AuthRow>(reader, query.sql, query.values)
        : await getDb().$queryRaw<AuthRow[]>(query);
    const row = rows[0];
    if (!row || Number(row.version) !== payload.ver || row.licenseId !== payload.sub || Number(row.revoked) !== 0) return null;
    return {
      organizationId: row.organizationId,
      licenseRef: row.id,
      licenseId: row.licenseId,
      versionPresented: Number(row.version),
      license: {
        type: row.type,
        productId: row.productId,
        currentVersion: Number(row.currentVersion),
        expirationDate: row.expirationDate,
        supportId: row.contractNumber,
        contract: row.contractStatus ? { status: row.contractStatus, endDate: row.contractEndDate } : null,
      },
    };
  },
};
