// Helpers of the lifecycle tests (test/integration/lifecycle-*.int.test.ts).
import { getDb } from "../lib/db";
import { periodOf, shiftPeriod } from "../lib/domain/dates";
import { ingestUsageReport } from "../lib/server/usage-reports";
import { DEMO } from "./helpers";
import { keyHolder, keyOf, newReportId, productContext } from "./product";

export const now = () => new Date();
export const current = () => periodOf(now());
export const lastEnded = () => shiftPeriod(current(), -1);
export const GLOBEX_AUTO = ["LIC-GLBX1-00001", "LIC-GLBX1-00002", "LIC-GLBX1-00003"];

export async function globex() {
  return getDb().organization.findUniqueOrThrow({ where: { name: "Globex Hosting" }, select: { id: true } });
}

/** A provider user's service context at `at`. */
export async function providerContext(email: string, at: Date) {
  const u = await getDb().user.findUniqueOrThrow({ where: { email } });
  return { actor: { type: "user" as const, userId: u.id, email: u.email, role: u.role, organizationId: u.organizationId! }, now: at };
}

export const bobContext = (at: Date) => providerContext(DEMO.bob, at);

/** A monthly report of `licenseId` for `period`, from `installationId`, received at `at`. */
export async function monthlyReport(licenseId: string, period: string, at: Date, installationId = "vbr-monthly-01", type = "VBR_VM") {
  const holder = (await keyHolder(await keyOf(licenseId)))!;
  return ingestUsageReport(productContext(holder, at, installationId), {
    licenseKey: await keyOf(licenseId), installationId, reportId: newReportId(), kind: "monthly", period,
    collectedAt: new Date(Math.min(at.getTime(), Date.parse(`${shiftPeriod(period, 1)}-01T00:00:00Z`) - 1000)).toISOString(),
    workloads: [{ type, count: 100 }],
  });
}

export const licenseOf = (licenseId: string) =>
  getDb().license.findUniqueOrThrow({ where: { licenseId }, select: { id: true, expirationDate: true, currentVersion: true } });
