// The simulation's world on a fresh, migrated database: a support staff member, organizations
// (25 licenses each, automatic license reporting on, one NO_COMMIT contract starting on the first
// virtual day with due day 5, 10, 15 or 20), each with a provider profile drawn by the rates, and
// auto-reported licenses created on the first day (75 days, as the wizard gives them), each with
// its signed first key; each license's server has automatic update on, or not (--manual-rate).
import { createBulkLicenses } from "../../scripts/lib/bulk-licenses";
import { getDb } from "../../lib/db";
import { toDateString } from "../../lib/domain/dates";
import { newLicense, type ProviderProfile, type SimLicense, type SimOrg } from "./model";
import type { Random } from "./random";

export const LICENSES_PER_ORG = 25;
const DUE_DAYS = [5, 10, 15, 20];

export interface World {
  staff: { id: string; email: string };
  orgs: SimOrg[];
  licenses: SimLicense[];
  byRef: Map<string, SimLicense>;
  byOrg: Map<string, SimLicense[]>;
  /** The first key of each license (by internal id). */
  keys: Map<string, string>;
}

export function profileFor(x: number, rates: { autoSubmitRate: number; missRate: number; lateRate: number }): ProviderProfile {
  if (x < rates.autoSubmitRate) return "auto";
  if (x < rates.autoSubmitRate + rates.missRate) return "never";
  if (x < rates.autoSubmitRate + rates.missRate + rates.lateRate) return "late";
  return "on-time";
}

export async function createWorld(o: { licenses: number; autoSubmitRate: number; missRate: number; lateRate: number; manualRate: number }, r: Random, start: Date): Promise<World> {
  const db = getDb();
  const staff = await db.user.create({ data: { email: "staff@sim.test", name: "Simulated staff", passwordHash: "-", role: "SUPPORT_STAFF", createdAt: start }, select: { id: true, email: true } });
  const orgCount = Math.max(1, Math.ceil(o.licenses / LICENSES_PER_ORG));
  const orgs: SimOrg[] = [];
  for (let i = 0; i < orgCount; i++) {
    const profile = profileFor(r(), o);
    const name = `Sim provider ${String(i + 1).padStart(4, "0")}`;
    const org = await db.organization.create({ data: { name, autoReportingEnabled: true, autoSubmit: profile === "auto", createdAt: start }, select: { id: true } });
    const admin = await db.user.create({ data: { email: `admin${i + 1}@sim.test`, name: `Admin ${i + 1}`, passwordHash: "-", role: "PROVIDER_ADMIN", organizationId: org.id, createdAt: start }, select: { id: true, email: true } });
    const contract = { number: String(20_000_000 + i + 1), startDate: toDateString(start), endDate: null, terminatedAt: null as Date | null, dueDay: DUE_DAYS[i % DUE_DAYS.length] };
    await db.contract.create({ data: { organizationId: org.id, number: contract.number, type: "NO_COMMIT", status: "ACTIVE", startDate: contract.startDate, dueDay: contract.dueDay, createdAt: start } });
    const count = Math.floor(o.licenses / orgCount) + (i < o.licenses % orgCount ? 1 : 0);
    await createBulkLicenses(db, name, count, start, { allAutoReported: true, expiresInDays: [75, 76], prefix: `LIC-S${String(i + 1).padStart(4, "0")}-` });
    orgs.push({ index: i, id: org.id, adminId: admin.id, adminEmail: admin.email, profile, contract, submissions: new Map() });
  }
  const rows = await db.license.findMany({
    select: { id: true, licenseId: true, organizationId: true, keyVersions: { where: { version: 1 }, select: { jws: true } } },
    orderBy: { licenseId: "asc" },
  });
  const orgById = new Map(orgs.map((g) => [g.id, g]));
  const licenses: SimLicense[] = [];
  const keys = new Map<string, string>();
  for (const row of rows) {
    const l = newLicense(row.id, row.licenseId, orgById.get(row.organizationId)!, r() < o.manualRate ? "manual" : "auto-update", start);
    licenses.push(l);
    keys.set(row.id, row.keyVersions[0].jws);
  }
  const byOrg = new Map<string, SimLicense[]>();
  for (const l of licenses) byOrg.set(l.org.id, [...(byOrg.get(l.org.id) ?? []), l]);
  return { staff, orgs, licenses, byRef: new Map(licenses.map((l) => [l.ref, l])), byOrg, keys };
}
