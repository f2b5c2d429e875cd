// Creates many licenses in one organization, each with its signed first key version, for scale
// tests and benchmarks (npm run db:seed -- --licenses 10000). Rows go in with createMany in
// chunks, one transaction per chunk, so 10,000 keys take seconds, not minutes.
import { randomUUID } from "node:crypto";
import { signLicenseKey } from "../../lib/crypto/license-key";
import type { Db } from "../../lib/db";
import { findProduct, PRODUCTS } from "../../lib/domain/catalog";
import { addDays, toDateString } from "../../lib/domain/dates";
import { supportExpirationFor } from "../../lib/domain/licenses";
import { pointsFor } from "../../lib/domain/points";

export interface BulkOptions {
  /** Every license auto-reported (the organization must have the feature and an active contract). */
  allAutoReported?: boolean;
  /** When the licenses were created (default `now`). */
  createdAt?: Date;
  /** Expiration between these many days from today (default: from 40 days ago to 380 days ahead). */
  expiresInDays?: [number, number];
  /** License id prefix (default LIC-BULK); ids must not collide across organizations. */
  prefix?: string;
}

export async function createBulkLicenses(db: Db, organizationName: string, count: number, now: Date, options: BulkOptions = {}): Promise<number> {
  const org = await db.organization.findUniqueOrThrow({ where: { name: organizationName }, include: { contracts: true } });
  const contract = org.contracts.find((c) => c.status === "ACTIVE") ?? null;
  const today = toDateString(now);
  const existing = await db.license.count({ where: { organizationId: org.id } });
  const CHUNK = 500;
  for (let start = 0; start < count; start += CHUNK) {
    const licenses = [];
    const workloads = [];
    const versions = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const n = existing + i + 1;
      const product = PRODUCTS[n % PRODUCTS.length];
      const wl = product.workloadTypes.slice(0, 1 + (n % 2)).map((t, k) => ({ type: t.id, count: 1 + ((n * (k + 7)) % 400) }));
      const autoReported = org.autoReportingEnabled && contract !== null && (options.allAutoReported || n % 3 !== 0);
      const [from, to] = options.expiresInDays ?? [-40, 380];
      const expirationDate = addDays(today, from + (n % (to - from)));
      const id = randomUUID();
      const licenseId = `${options.prefix ?? "LIC-BULK"}${String(n).padStart(6, "0")}`;
      const points = pointsFor(product.id, wl);
      const lic = {
        id, licenseId, organizationId: org.id, contractId: contract?.id ?? null, type: "RENTAL" as const, productId: product.id,
        description: `Tenant ${String(n).padStart(5, "0")} ${["backup", "replication", "office", "cloud"][n % 4]}`,
        autoReported, expirationDate, supportExpirationDate: supportExpirationFor(expirationDate), points, currentVersion: 1, keyIssuedAt: now, createdAt: options.createdAt ?? now,
      };
      licenses.push(lic);
      for (const w of wl) workloads.push({ licenseId: id, type: w.type, count: w.count });
      const jti = randomUUID();
      const signed = await signLicenseKey({
        jti, version: 1, issuedAt: now,
        lic: {
          licenseId, organization: { id: org.id, name: org.name }, supportId: contract?.number ?? null, type: "RENTAL",
          product: { id: product.id, name: product.name, edition: findProduct(product.id)?.edition ?? null },
          workloads: wl, points, autoReported, expirationDate, supportExpirationDate: lic.supportExpirationDate,
        },
      });
      versions.push({ id: jti, licenseId: id, version: 1, jws: signed.jws, kid: signed.kid, reason: "CREATED" as const, expirationDate, autoReported, points, issuedAt: now });
    }
    await db.$transaction([
      db.license.createMany({ data: licenses }),
      db.licenseWorkload.createMany({ data: workloads }),
      db.keyVersion.createMany({ data: versions }),
    ]);
  }
  return count;
}
