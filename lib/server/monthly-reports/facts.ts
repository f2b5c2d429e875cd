import "server-only";
import type { UsageType } from "../../domain/companies";
import { getDb, reads, type Tx } from "../../db";
import { findProduct, productLabel } from "../../domain/catalog";
import { periodOf, toDateString, type Period } from "../../domain/dates";
import { extendedExpiration, extensionRefusal } from "../../domain/licenses";
import { autoRowsOf, describeSources, licenseInPeriod, periodsNeedingAction, type Adjustment } from "../../domain/monthly-report";
import { arrivesBy, periodDueAt, type PeriodHealth } from "../../domain/reporting";
import { organizationReporting } from "../reporting";
import { notFound } from "../../errors";
import type { OrganizationContext, ProviderContext } from "../context";
import type { LicenseForKey } from "../key-versions";
import { periodUsage } from "../usage-reports";
import type { HintView, ManualRowView } from "../../schemas/usage";

/**
 * The facts of a viewable period (from the first contract's month to the current month, with a
 * contract active during it), or 404: its deadline (the earliest due day among the contracts
 * active during P) and the organization's reporting facts.
 */
export async function periodFacts(client: Tx, ctx: OrganizationContext, period: Period) {
  const reporting = await organizationReporting(client, ctx.actor.organizationId, ctx.now);
  const dueAt = periodDueAt(reporting.contracts, period);
  if (!reporting.firstPeriod || !dueAt || period < reporting.firstPeriod || period > periodOf(ctx.now)) throw notFound(`There is no usage report for ${period}.`);
  return { firstPeriod: reporting.firstPeriod, dueAt, reporting };
}

const AUTO_WHERE = (organizationId: string) => ({ organizationId, autoReported: true, revokedAt: null });

/**
 * The organization's auto-reported licenses as the key signer needs them (LicenseForKey), with
 * their contract's state. Flat queries joined here: a nested select would bind every license id
 * as a parameter and fail past the database's parameter limit for a large organization.
 */
async function autoReportedLicenses(client: Tx, organizationId: string) {
  const [licenses, workloads, organization, contracts] = await reads(
    client,
    () => client.license.findMany({
      where: AUTO_WHERE(organizationId),
      select: {
        id: true, licenseId: true, type: true, productId: true, autoReported: true, expirationDate: true, supportExpirationDate: true,
        points: true, currentVersion: true, description: true, createdAt: true, contractId: true, companyId: true, usageType: true,
      },
      orderBy: { licenseId: "asc" },
    }),
    () => client.licenseWorkload.findMany({
      where: { license: AUTO_WHERE(organizationId) },
      select: { licenseId: true, type: true, count: true },
      orderBy: { type: "asc" },
    }),
    () => client.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { id: true, name: true } }),
    () => client.contract.findMany({ where: { organizationId }, select: { id: true, number: true, status: true, endDate: true } }),
  );
  const workloadsOf = new Map<string, { type: string; count: number }[]>();
  for (const w of workloads) workloadsOf.set(w.licenseId, [...(workloadsOf.get(w.licenseId) ?? []), { type: w.type, count: w.count }]);
  const contractOf = new Map(contracts.map((c) => [c.id, c]));
  return licenses.map((l): LicenseForKey & { description: string; createdAt: Date; contractId: string | null; companyId: string | null; usageType: UsageType | null; contract: { number: string; status: "ACTIVE" | "TERMINATED"; endDate: string | null } | null } => {
    const c = l.contractId ? contractOf.get(l.contractId) ?? null : null;
    return {
      ...l,
      organization,
      contract: c ? { number: c.number, status: c.status, endDate: c.endDate } : null,
      workloads: workloadsOf.get(l.id) ?? [],
    };
  });
}

/**
 * Everything a draft report is made of, computed from what is stored now: the auto-reported
 * licenses of the period with their rows (reported usage, adjustments), the manual rows, the
 * hints, and the extension each license would get. The same function serves the page and the
 * submission, so the confirmation shows exactly what Submit Usage does.
 */
export async function draftOf(client: Tx, organizationId: string, period: Period, now: Date, reportId: string | null, dueAt: Date) {
  // Submitting now: on time or late, as Submit Usage would decide it.
  const timing = { today: toDateString(now), onTime: arrivesBy(now, dueAt) };
  const [licenses, usage, lines, extended] = await reads(
    client,
    () => autoReportedLicenses(client, organizationId),
    () => periodUsage(client, organizationId, period),
    () => reportId
      ? client.monthlyReportLine.findMany({
          where: { monthlyReportId: reportId },
          select: { id: true, source: true, licenseId: true, productId: true, workloadType: true, count: true, points: true, adjustmentReason: true },
          orderBy: [{ position: "asc" }, { id: "asc" }],
        })
      : Promise.resolve([]),
    () => client.licenseExtension.findMany({
      where: { period, license: { organizationId } },
      select: { licenseId: true, fromDate: true, toDate: true, usageReportId: true },
    }),
  );
  const extendedFor = new Map(extended.map((e) => [e.licenseId, e]));
  const adjustments = new Map<string, Map<string, Adjustment>>();
  for (const line of lines) {
    if (line.source !== "AUTO" || !line.licenseId) continue;
    const byType = adjustments.get(line.licenseId) ?? new Map<string, Adjustment>();
    byType.set(line.workloadType, { count: line.count, reason: line.adjustmentReason });
    adjustments.set(line.licenseId, byType);
  }
  const included = licenses.filter((l) => licenseInPeriod(l.createdAt, period));
  const rows = included.map((l) => {
    const autoRows = autoRowsOf(
      l.productId,
      l.workloads.map((w) => w.type),
      usage.get(l.id)?.usage ?? new Map(),
      adjustments.get(l.id) ?? new Map(),
    );
    // Included licenses are auto-reported and not revoked (the query says so).
    const facts = { autoReported: true, revoked: false, expirationDate: l.expirationDate, contract: l.contract };
    // Once per license and period: a license its product's monthly report already extended for P is not extended again.
    const already = extendedFor.get(l.id) ?? null;
    if (already) return { license: l, autoRows, to: null, refusal: ALREADY_EXTENDED, already };
    return { license: l, autoRows, to: extendedExpiration(facts, timing), refusal: extensionRefusal(facts, timing), already };
  });
  const includedIds = new Set(included.map((l) => l.id));
  const hints: HintView[] = [];
  for (const u of usage.values()) {
    if (includedIds.has(u.id) || u.revoked) continue;
    for (const [workloadType, t] of u.usage) {
      hints.push({ licenseId: u.licenseId, productId: u.productId, product: label(u.productId), workloadType, count: t.count, sourceLabel: describeSources(t.sources) });
    }
  }
  hints.sort((a, b) => a.licenseId.localeCompare(b.licenseId) || a.workloadType.localeCompare(b.workloadType));
  const manual = lines.filter((l) => l.source === "MANUAL");
  return { rows, manual, hints, usage };
}

export function label(productId: string): string {
  const p = findProduct(productId);
  return p ? productLabel(p) : productId;
}

export function manualView(l: { id: string; productId: string; workloadType: string; count: number; points: number }): ManualRowView {
  return { id: l.id, productId: l.productId, product: label(l.productId), workloadType: l.workloadType, count: l.count, points: l.points };
}

/** Why a license of the report is not extended by Submit Usage when its product's report extended it for the period. */
export const ALREADY_EXTENDED = "already extended for this period by its product's monthly report";

export async function periodDue(ctx: ProviderContext): Promise<{ period: Period; dueAt: string; dueLabel: string; health: PeriodHealth; count: number } | null> {
  const reporting = await organizationReporting(getDb(), ctx.actor.organizationId, ctx.now);
  const actions = periodsNeedingAction(reporting.periods, new Set(reporting.submissions.keys()), ctx.now);
  if (!actions.length) return null;
  const a = actions[0];
  return { period: a.period, dueAt: a.dueAt.toISOString(), dueLabel: a.dueLabel, health: a.health, count: actions.length };
}

