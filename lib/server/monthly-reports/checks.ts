import "server-only";
import { reads, type Tx } from "../../db";
import { shiftPeriod, toDateString, type Period } from "../../domain/dates";
import { submitChecks, type SubmitCheck } from "../../domain/submit-checks";
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
  const [before, contracts] = await reads(
    client,
    () => client.usageReport.findMany({
      where: { organizationId, period: shiftPeriod(period, -1) },
      select: { licenseId: true, installationId: true },
      distinct: ["licenseId", "installationId"],
    }),
    () => client.contract.findMany({ where: { organizationId, pointsLimit: { not: null } }, select: { id: true, number: true, pointsLimit: true } }),
  );
  // Per license and installation, from what the draft read: its highest weekly counts and its latest monthly report.
  type Installation = { installationId: string; weekly: Map<string, number>; monthly: Map<string, number> | null; monthlyAt: number };
  const installations = new Map<string, Map<string, Installation>>();
  for (const [licenseRef, u] of draft.usage) {
    const byId = new Map<string, Installation>();
    installations.set(licenseRef, byId);
    for (const r of u.reported) {
      const i = byId.get(r.installationId) ?? { installationId: r.installationId, weekly: new Map(), monthly: null, monthlyAt: -Infinity };
      byId.set(r.installationId, i);
      if (r.kind === "weekly") for (const w of r.workloads) i.weekly.set(w.type, Math.max(w.count, i.weekly.get(w.type) ?? 0));
      else if (r.collectedAt.getTime() >= i.monthlyAt) {
        i.monthly = new Map(r.workloads.map((w) => [w.type, w.count]));
        i.monthlyAt = r.collectedAt.getTime();
      }
    }
  }
  const pointsOf = new Map<string, number>();
  for (const r of rows) {
    const contractId = r.license.contractId;
    if (contractId) pointsOf.set(contractId, (pointsOf.get(contractId) ?? 0) + r.autoRows.reduce((s, x) => s + x.points, 0));
  }
  return submitChecks({
    period,
    licenses: rows.map((r) => ({
      licenseId: r.license.licenseId,
      installations: [...(installations.get(r.license.id)?.values() ?? [])].map(({ installationId, weekly, monthly }) => ({ installationId, weekly, monthly })),
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
