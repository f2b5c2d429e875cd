import "server-only";
import { getDb, pgPool, Prisma, sqliteReader } from "../../db";
import { pgQuery } from "../../pg-direct";
import { sqliteRead } from "../../sqlite-statements";
import { periodOf } from "../../domain/dates";

/** A key version (by its id, the key's jti) with what the product API needs of its license. */
export interface KeyVersionFacts {
  version: number;
  /** Internal id of the license. */
  id: string;
  licenseId: string;
  organizationId: string;
  revoked: boolean;
  type: "RENTAL" | "NFR" | "EVALUATION";
  productId: string;
  currentVersion: number;
  expirationDate: string;
  /** The period (YYYY-MM, UTC) in which the license was created: no usage is reported before it. */
  createdPeriod: string;
  contract: { number: string; status: "ACTIVE" | "TERMINATED"; endDate: string | null } | null;
}

interface Row {
  version: number | bigint;
  id: string;
  licenseId: string;
  organizationId: string;
  revoked: number | bigint | boolean;
  type: "RENTAL" | "NFR" | "EVALUATION";
  productId: string;
  currentVersion: number | bigint;
  expirationDate: string;
  createdPeriod: string;
  contractNumber: string | null;
  contractStatus: "ACTIVE" | "TERMINATED" | null;
  contractEndDate: string | null;
}

const query = (jti: string) => Prisma.sql`
  SELECT kv."version" AS "version", l."id" AS "id", l."licenseId" AS "licenseId", l."organizationId" AS "organizationId",
         CASE WHEN l."revokedAt" IS NULL THEN 0 ELSE 1 END AS "revoked", CAST(l."type" AS TEXT) AS "type", l."productId" AS "productId",
         l."currentVersion" AS "currentVersion", l."expirationDate" AS "expirationDate",
         substr(CAST(l."createdAt" AS TEXT), 1, 7) AS "createdPeriod",
         c."number" AS "contractNumber", CAST(c."status" AS TEXT) AS "contractStatus", c."endDate" AS "contractEndDate"
  FROM "KeyVersion" kv
  JOIN "License" l ON l."id" = kv."licenseId"
  LEFT JOIN "Contract" c ON c."id" = l."contractId"
  WHERE kv."id" = ${jti}`;

/**
 * The key version `jti` and its license, or null. It runs on every product API call, so it is one
 * statement with joins (Prisma's nested select would be three) and runs without Prisma, on
 * PostgreSQL's pool (lib/pg-direct.ts) or SQLite's read connection (lib/db.ts sqliteReader; through
 * Prisma when there is none). Either way it reads what is committed: during another request's
 * open transaction (a revocation, a new key version) it sees the state before it, as PostgreSQL's
 * READ COMMITTED does.
 */
export async function findKeyVersion(jti: string): Promise<KeyVersionFacts | null> {
  const q = query(jti);
  const pool = pgPool();
  const reader = sqliteReader(); // null on PostgreSQL
  const rows = pool ? await pgQuery<Row>(pool, q.text, q.values) : reader ? sqliteRead<Row>(reader, q.sql, q.values) : await getDb().$queryRaw<Row[]>(q);
  const r = rows[0];
  if (!r) return null;
  return {
    version: Number(r.version),
    id: r.id,
    licenseId: r.licenseId,
    organizationId: r.organizationId,
    revoked: Number(r.revoked) !== 0,
    type: r.type,
    productId: r.productId,
    currentVersion: Number(r.currentVersion),
    expirationDate: r.expirationDate,
    createdPeriod: r.createdPeriod,
    contract: r.contractStatus ? { number: r.contractNumber!, status: r.contractStatus, endDate: r.contractEndDate } : null,
  };
}

/** The reference for findKeyVersion, through Prisma. */
export async function findKeyVersionReference(jti: string): Promise<KeyVersionFacts | null> {
  const kv = await getDb().keyVersion.findUnique({
    where: { id: jti },
    select: {
      version: true,
      license: {
        select: {
          id: true, licenseId: true, organizationId: true, revokedAt: true, type: true, productId: true, currentVersion: true, expirationDate: true, createdAt: true,
          contract: { select: { number: true, status: true, endDate: true } },
        },
      },
    },
  });
  if (!kv) return null;
  const { license: l } = kv;
  return {
    version: kv.version, id: l.id, licenseId: l.licenseId, organizationId: l.organizationId, revoked: l.revokedAt !== null,
    type: l.type, productId: l.productId, currentVersion: l.currentVersion, expirationDate: l.expirationDate,
    createdPeriod: periodOf(l.createdAt), contract: l.contract,
  };
}
