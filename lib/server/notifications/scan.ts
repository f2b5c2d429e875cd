import "server-only";
import { getDb, type Tx } from "../../db";
import { addDays, periodOf, toDateString } from "../../domain/dates";
import {
  eventKeys,
  FAILING_RESULTS,
  installationSilent,
  keyExpiringUnnoticed,
  nearPointsLimit,
  periodEvents,
  SILENT_INSTALLATION_DAYS,
} from "../../domain/notifications";
import { periodDueAt, reportingHealth } from "../../domain/reporting";
import { DAY_MS } from "../../domain/schedule";
import { draftOf } from "../monthly-reports/facts";
import { organizationReporting } from "../reporting";
import { emitEvents, type NewEvent } from "./emit";

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The events that time causes, for one organization at `now`, from what its rows say: periods
 * due in 3 days and late, keys expiring unnoticed, update checks failing and servers gone silent,
 * points near a contract's limit in the running month, and (for support staff) the organization
 * at risk of suspension. Each has a key, so a pass that repeats or races another writes nothing
 * new, and a portal that was down writes on its first pass what it missed.
 */
export async function timeEvents(tx: Tx, organization: { id: string; name: string }, now: Date): Promise<NewEvent[]> {
  const orgId = organization.id;
  const out: NewEvent[] = [];
  const today = toDateString(now);

  const reporting = await organizationReporting(tx, orgId, now);
  for (const p of reporting.periods) {
    const submitted = reporting.submissions.has(p.period);
    for (const type of periodEvents({ dueAt: p.dueAt, submitted }, now)) {
      const late = type === "usage.period_late";
      out.push({
        key: late ? eventKeys.periodLate(orgId, p.period) : eventKeys.periodDue(orgId, p.period),
        type, organizationId: orgId, link: `/usage/${p.period}`,
        title: late ? `The usage report for ${p.period} is late: it was due on ${dateOf(p.dueAt)}` : `The usage report for ${p.period} is due on ${dateOf(p.dueAt)}`,
        data: { period: p.period, dueAt: p.dueAt.toISOString() },
      });
    }
  }
  const health = reportingHealth(reporting.periods, reporting.submissions, now);
  const lastPeriod = reporting.periods.at(-1)?.period;
  if (health.atRisk && lastPeriod) {
    out.push({
      key: eventKeys.atRisk(orgId, lastPeriod), type: "organization.at_risk", organizationId: orgId, link: "/staff/organizations",
      title: `${organization.name} is ${health.suspended ? "suspended" : "at risk of suspension"}: ${[...health.late, ...health.missing].join(", ") || "its last report"} late or missing`,
      data: { organizationId: orgId, suspended: health.suspended, late: health.late, missing: health.missing },
    });
  }

  const expiring = await tx.license.findMany({
    where: { organizationId: orgId, revokedAt: null, expirationDate: { gte: today, lte: addDays(today, 7) } },
    select: {
      id: true, licenseId: true, expirationDate: true, currentVersion: true,
      keyVersions: { orderBy: { version: "desc" }, take: 1, select: { issuedAt: true } },
      updateSessions: { where: { result: { in: ["Success", "NotRequired"] } }, orderBy: { createdAt: "desc" }, take: 1, select: { createdAt: true } },
    },
  });
  for (const l of expiring) {
    const renewedAt = l.keyVersions[0]?.issuedAt;
    if (!renewedAt) continue;
    if (!keyExpiringUnnoticed({ expirationDate: l.expirationDate, revoked: false, renewedAt, lastSuccessfulCheckAt: l.updateSessions[0]?.createdAt ?? null }, now)) continue;
    out.push({
      key: eventKeys.expiring(l.id, l.expirationDate), type: "license.expiring", organizationId: orgId, link: `/licenses/${l.licenseId}`,
      title: `Key ${l.licenseId} expires on ${l.expirationDate} and no server has fetched it since it was renewed`,
      data: { licenseId: l.licenseId, expirationDate: l.expirationDate, keyVersion: l.currentVersion },
    });
  }

  const failing = await tx.license.findMany({
    where: { organizationId: orgId, revokedAt: null, lastCheckResult: { in: [...FAILING_RESULTS] } },
    select: { id: true, licenseId: true, lastCheckResult: true },
  });
  for (const l of failing) {
    const result = l.lastCheckResult!;
    const lastOther = await tx.updateSession.findFirst({ where: { licenseId: l.id, result: { not: result } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
    const first = await tx.updateSession.findFirst({
      where: { licenseId: l.id, result, ...(lastOther ? { createdAt: { gt: lastOther.createdAt } } : {}) },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true, installationId: true },
    });
    if (!first) continue;
    out.push({
      key: eventKeys.checkFailed(l.id, result, first.createdAt), type: "update_check.failed", organizationId: orgId, link: `/licenses/${l.licenseId}`,
      title: result === "ContractTerminated"
        ? `Update checks of ${l.licenseId} answer ContractTerminated: its contract has ended, the key will not be renewed`
        : `Update checks of ${l.licenseId} fail with GenerationFailed since ${first.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
      data: { licenseId: l.licenseId, reason: result, since: first.createdAt.toISOString(), installationId: first.installationId },
    });
  }

  const silent = await tx.installation.findMany({
    where: { organizationId: orgId, lastSeenAt: { lte: new Date(now.getTime() - SILENT_INSTALLATION_DAYS * DAY_MS) }, license: { autoReported: true, revokedAt: null, expirationDate: { gte: today } } },
    select: { id: true, installationId: true, lastSeenAt: true, license: { select: { licenseId: true } } },
  });
  for (const i of silent) {
    if (!installationSilent(i.lastSeenAt, now)) continue;
    out.push({
      key: eventKeys.silent(i.id, i.lastSeenAt), type: "update_check.failed", organizationId: orgId, link: `/licenses/${i.license.licenseId}`,
      title: `Server ${i.installationId} (key ${i.license.licenseId}) has been silent since ${dateOf(i.lastSeenAt)}`,
      data: { licenseId: i.license.licenseId, reason: "Silent", installationId: i.installationId, lastSeenAt: i.lastSeenAt.toISOString() },
    });
  }

  const limited = await tx.contract.findMany({ where: { organizationId: orgId, pointsLimit: { not: null }, status: "ACTIVE" }, select: { id: true, number: true, pointsLimit: true } });
  if (limited.length) {
    const period = periodOf(now);
    const draft = await draftOf(tx, orgId, period, now, null, periodDueAt(reporting.contracts, period) ?? now);
    const points = new Map<string, number>();
    for (const r of draft.rows) {
      if (r.license.contractId) points.set(r.license.contractId, (points.get(r.license.contractId) ?? 0) + r.autoRows.reduce((s, x) => s + x.points, 0));
    }
    for (const c of limited) {
      const used = points.get(c.id) ?? 0;
      if (!nearPointsLimit(used, c.pointsLimit)) continue;
      out.push({
        key: eventKeys.nearLimit(c.id, period), type: "usage.points_near_limit", organizationId: orgId, link: `/usage/${period}`,
        title: `Contract ${c.number}: ${used} of its ${c.pointsLimit} points used in ${period}`,
        data: { contract: c.number, period, points: used, pointsLimit: c.pointsLimit },
      });
    }
  }
  return out;
}

/** The runner's step: the time-caused events of every organization, one transaction each. */
export async function scanTimeEvents(now: Date): Promise<number> {
  const db = getDb();
  const organizations = await db.organization.findMany({ select: { id: true, name: true }, orderBy: { id: "asc" } });
  let written = 0;
  for (const o of organizations) {
    const events = await db.$transaction((tx) => timeEvents(tx, o, now));
    if (events.length) written += await db.$transaction((tx) => emitEvents(tx, now, events));
  }
  return written;
}
