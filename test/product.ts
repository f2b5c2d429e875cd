// Helpers for product API tests: keys as a product server holds them, and calls as it makes them.
import { POST as updateRoute } from "../app/api/v1/license/update/route";
import { POST as reportsRoute } from "../app/api/v1/usage/reports/route";
import { getDb } from "../lib/db";
import { periodOf } from "../lib/domain/dates";
import { call, request } from "./helpers";
import type { KeyHolder, ProductContext } from "../lib/server/context";
import { authenticateLicenseKey } from "../lib/server/product-auth";

/** The key file content of a license's version (the newest when no version is given). */
export async function keyOf(licenseId: string, version?: number): Promise<string> {
  const license = await getDb().license.findUniqueOrThrow({ where: { licenseId }, select: { id: true, currentVersion: true } });
  const kv = await getDb().keyVersion.findUniqueOrThrow({
    where: { licenseId_version: { licenseId: license.id, version: version ?? license.currentVersion } },
  });
  return kv.jws;
}

let reports = 0;

/** A report id not used before in this test run. */
export const newReportId = () => `rep-${Date.now().toString(36)}-${(reports++).toString().padStart(4, "0")}`;

/**
 * A valid weekly report of the current period from a license's newest key, with a new report id;
 * `overrides` replaces any field.
 */
export async function reportBody(licenseId: string, overrides: Record<string, unknown> = {}) {
  return {
    licenseKey: await keyOf(licenseId),
    installationId: "vbr-test-install-01",
    reportId: newReportId(),
    kind: "weekly",
    period: periodOf(new Date()),
    collectedAt: new Date(Date.now() - 60_000).toISOString(),
    workloads: [{ type: "VBR_VM", count: 120, newCount: 3 }],
    ...overrides,
  };
}

export async function postUpdate(body: unknown, headers: Record<string, string> = {}) {
  return call(updateRoute, await request("POST", "/api/v1/license/update", { body, headers }));
}

export async function postReport(body: unknown, headers: Record<string, string> = {}) {
  return call(reportsRoute, await request("POST", "/api/v1/usage/reports", { body, headers }));
}

export async function productRowCounts() {
  const db = getDb();
  const [usageReports, workloads, updateSessions, installations, auditEvents, keyVersions] = await Promise.all([
    db.usageReport.count(),
    db.usageReportWorkload.count(),
    db.updateSession.count(),
    db.installation.count(),
    db.auditEvent.count(),
    db.keyVersion.count(),
  ]);
  return { usageReports, workloads, updateSessions, installations, auditEvents, keyVersions };
}

/** What a license key proves, as the product route's authentication finds it (null when invalid). */
export async function keyHolder(licenseKey: string) {
  return authenticateLicenseKey(licenseKey);
}

/** A product server's context: the key's license, an installation, a time and an address. */
export function productContext(holder: KeyHolder, now: Date, installationId = "vbr-test-install-01", clientAddress = "127.0.0.1"): ProductContext {
  return { actor: { ...holder, type: "installation", installationId, clientAddress }, now };
}
