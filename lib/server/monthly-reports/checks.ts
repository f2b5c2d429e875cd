import "server-only";
import { reads, type Tx } from "../../db";
import { shiftPeriod, toDateString, type Period } from "../../domain/dates";
import { submitChecks, type SubmitCheck } from "../../domain/submit-checks";
import { weeklyMaxima } from "../store/usage-reports";
import { draftOf } from "./facts";

/**
 * The checks before Submit of a draft (lib/domain/submit-checks.ts): what the servers of its
 * auto-reported licenses reported in P (highest weekly count, monthly figure) and in the period
 * before, and the points per contract against its limit.
 */
export async function checksOf(client: Tx, organizationId: string, period: Period, draft: Awaited<ReturnType<typeof draftOf>>, now: Date): Promise<SubmitCheck[]> {
  // An expired key needs a new key, not a look at its usage: its rows are not checked.
  const today = toDateString(now);
  const rows = draft.rows.filter((r) => r.license.expirationDate >= today);
  const [weekly, monthly, before, contracts] = await reads(
    client,
    () => weeklyMaxima(client, organizationId, period),
    () => client.usageReport.findMany({
      where: { organizationId, period, kind: "monthly" },
      select: { licenseId: true, installationId: true, collectedAt: true, workloads: { select: { type: true, count: true } } },
      orderBy: { collectedAt: "asc" },
    }),
    () => client.usageReport.findMany({
      where: { organizationId, period: shiftPeriod(period, -1) },
      select: { licenseId: true, installationId: true },
      distinct: ["licenseId", "installationId"],
    }),
    () => client.contract.findMany({ where: { organizationId, pointsLimit: { not: null } }, select: { id: true, number: true, pointsLimit: true } }),
  );
  type Installation = { installationId: string; weekly: Map<string, number>; monthly: Map<string, number> | null };
  const installations = new Map<string, Map<string, Installation>>();
  const installationOf = (licenseId: string, installationId: string) => {
    const byId = installations.get(licenseId) ?? new Map<string, Installation>();
    installations.set(licenseId, byId);
    const i = byId.get(installationId) ?? { installationId, weekly: new Map(), monthly: null };
    byId.set(installationId, i);
    return i;
  };
  for (const w of weekly) installationOf(w.licenseId, w.installationId).weekly.set(w.type, w.count);
  // The latest monthly report of each installation (ordered by collectedAt).
  for (const m of monthly) installationOf(m.licenseId, m.installationId).monthly = new Map(m.workloads.map((w) => [w.type, w.count]));
  const pointsOf = new Map<string, number>();
  for (const r of rows) {
    const contractId = r.license.contractId;
    if (contractId) pointsOf.set(contractId, (pointsOf.get(contractId) ?? 0) + r.autoRows.reduce((s, x) => s + x.points, 0));
  }
  return submitChecks({
    period,
    licenses: rows.map((r) => ({
      licenseId: r.license.licenseId,
      installations: [...(installations.get(r.license.id)?.values() ?? [])],
      reportedBefore: before.filter((b) => b.licenseId === r.license.id).map((b) => b.installationId),
    })),
    contracts: contracts.map((c) => ({ number: c.number, points: pointsOf.get(c.id) ?? 0, pointsLimit: c.pointsLimit })),
  });
}

/** The checks before Submit of each of an organization's open periods (for support staff), oldest first. */
export async function openPeriodChecks(client: Tx, organizationId: string, open: readonly { period: Period; dueAt: Date }[], now: Date): Promise<{ period: Period; checks: SubmitCheck[] }[]> {
  const out: { period: Period; checks: SubmitCheck[] }[] = [];
  for (const { period, dueAt } of open) {
    const report = await client.monthlyReport.findUnique({ where: { organizationId_period: { organizationId, period } }, select: { id: true } });
    const draft = await draftOf(client, organizationId, period, now, report?.id ?? null, dueAt);
    out.push({ period, checks: await checksOf(client, organizationId, period, draft, now) });
  }
  return out;
}
