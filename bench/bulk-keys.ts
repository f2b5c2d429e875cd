// The database of the product API benchmarks: migrations and demo data, `count` bulk licenses of
// Globex Hosting (each with a signed key), and those keys with a workload type each can report.
import { createDb } from "../lib/db";
import { findProduct } from "../lib/domain/catalog";
import { createBulkLicenses } from "../scripts/lib/bulk-licenses";
import { prepareDatabase } from "../scripts/lib/prepare";

export interface BenchKey {
  jws: string;
  workloadType: string;
}

export async function prepareBulkKeys(databaseUrl: string, dataDir: string, count: number): Promise<BenchKey[]> {
  process.env.PULSE_DATA_DIR = dataDir; // the signing key that signs the keys lives here
  await prepareDatabase(databaseUrl);
  const db = createDb({ url: databaseUrl });
  try {
    await createBulkLicenses(db, "Globex Hosting", count, new Date());
    const rows = await db.keyVersion.findMany({ where: { license: { licenseId: { startsWith: "LIC-BULK" } } }, select: { jws: true, license: { select: { productId: true } } } });
    return rows.map((r) => ({ jws: r.jws, workloadType: findProduct(r.license.productId)!.workloadTypes[0].id }));
  } finally {
    await db.$disconnect();
  }
}
