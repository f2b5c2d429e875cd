// The fleet simulation: N product servers (agent/core/server.ts, the same code as `agent run`)
// and their providers over M months of virtual time, against the portal's services in process.
// Time moves hour by hour; each server acts at the exact times its plan says; providers submit by
// their profile; the portal's background runner submits for the organizations that chose it. At
// every step the model's invariants are checked against the portal's database, and the first
// violation stops the run.
import { getDb, type Tx } from "../../lib/db";
import { addDays, periodOf, shiftPeriod, startOfDate, toDateString, type Period } from "../../lib/domain/dates";
import { autoSubmitAt, reportingPeriods } from "../../lib/domain/reporting";
import { DAY_MS, HOUR_MS, type CheckOutcome } from "../../lib/domain/schedule";
import { AppError } from "../../lib/errors";
import { changeContract } from "../../lib/server/contracts";
import { runJobsOnce } from "../../lib/server/jobs/runner";
import { submitReport } from "../../lib/server/monthly-reports/submit";
import { organizationSuspension } from "../../lib/server/reporting";
import { nextDueAt, initialRunState } from "../core/plan";
import { ProductServer, type ServerEvent } from "../core/server";
import { MemoryKeyStore, MemoryStateStore } from "../core/stores";
import { checkKeyVersion, checkLicense, checkTerminatedServer, dueAtOf, expectedSuspension, INVARIANTS, reportArrived, type ServerWatch, type SimLicense, type SimOrg, type Violation } from "./model";
import { InProcessTransport, type Outage } from "./portal";
import { between, seeded, type Random } from "./random";
import { createWorld } from "./world";

export interface SimOptions {
  licenses: number;
  months: number;
  seed: number;
  missRate: number;
  lateRate: number;
  autoSubmitRate: number;
  manualRate: number;
  outages: Outage[];
  terminate: number;
  start: Date;
  /** Called once per virtual day (the progress bar). */
  onDay?: (day: number, days: number) => void;
  /** Test hook (a planted fault): called with every server event; the run waits for it before going on. */
  plant?: (e: ServerEvent, l: SimLicense) => Promise<void> | void;
}

export const GROUPS = ["on-time", "late", "never", "auto"].flatMap((p) => [`${p} / auto-update`, `${p} / manual`]);
export const groupOf = (l: SimLicense) => `${l.org.profile} / ${l.server}`;

export interface DaySeries {
  day: string;
  /** Per group: licenses expired, checks made, checks that failed (connection, invalid answer, generation). */
  groups: Record<string, { expired: number; checks: number; failed: number }>;
}

export interface Summary {
  seed: number;
  licenses: number;
  months: number;
  from: string;
  to: string;
  organizations: Record<string, number>;
  servers: { autoUpdate: number; manual: number };
  groupSizes: Record<string, number>;
  checks: Record<string, number>;
  keysRenewed: number;
  reports: { weekly: number; monthly: number; stored: number; duplicates: number; refused: number; retried: number };
  extended: { byProductReport: number; bySubmitUsage: number };
  submissions: { onTime: number; late: number; automatic: number };
  expired: number;
  expiredByGroup: Record<string, number>;
  turnedOff: Record<string, number>;
  organizationsSuspended: { atEnd: number; ever: number };
  invariantsChecked: number;
  violation: Violation | null;
}

interface ServerSim {
  license: SimLicense;
  server: ProductServer;
  watch: ServerWatch;
}

const FAILED: CheckOutcome[] = ["ConnectionFailed", "InvalidAnswer", "GenerationFailed"];

export async function simulate(o: SimOptions): Promise<{ summary: Summary; series: DaySeries[] }> {
  const r = seeded(o.seed);
  const start = o.start;
  const end = startOfDate(toDateString(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + o.months, start.getUTCDate()))));
  const world = await createWorld(o, r, start);
  const db = getDb();
  const transport = new InProcessTransport(o.outages);

  const summary: Summary = {
    seed: o.seed, licenses: o.licenses, months: o.months, from: start.toISOString(), to: end.toISOString(),
    organizations: count(world.orgs.map((g) => g.profile)),
    servers: { autoUpdate: world.licenses.filter((l) => l.server === "auto-update").length, manual: world.licenses.filter((l) => l.server === "manual").length },
    groupSizes: count(world.licenses.map(groupOf)),
    checks: {}, keysRenewed: 0, reports: { weekly: 0, monthly: 0, stored: 0, duplicates: 0, refused: 0, retried: 0 },
    extended: { byProductReport: 0, bySubmitUsage: 0 }, submissions: { onTime: 0, late: 0, automatic: 0 },
    expired: 0, expiredByGroup: {}, turnedOff: {}, organizationsSuspended: { atEnd: 0, ever: 0 }, invariantsChecked: 0, violation: null,
  };
  const series: DaySeries[] = [];
  let today = emptyDay(toDateString(start));
  let violation: Violation | null = null;
  const fail = (v: Violation | null) => {
    summary.invariantsChecked++;
    if (v && !violation) violation = v;
  };
  let storedNew = 0;

  const planted: Promise<void>[] = [];
  // The servers: automatic update enabled at a random hour of the first week.
  const buckets = new Map<number, { at: Date; s: ServerSim }[]>();
  const hourOf = (t: Date) => Math.floor((t.getTime() - start.getTime()) / HOUR_MS);
  const schedule = (s: ServerSim, at: Date | null) => {
    if (!at || at >= end) return;
    const h = hourOf(at);
    let b = buckets.get(h);
    if (!b) buckets.set(h, (b = []));
    b.push({ at, s });
  };
  for (const l of world.licenses) {
    if (l.server === "manual") continue;
    const enabledAt = new Date(start.getTime() + between(r, 0, 7 * 24 * 60 - 1) * 60_000);
    const installationId = `vbr-sim-${l.licenseId.toLowerCase()}`;
    const server = new ProductServer(new MemoryKeyStore(world.keys.get(l.ref)!), new MemoryStateStore(initialRunState(installationId, enabledAt)), transport);
    const sim: ServerSim = { license: l, server, watch: { checksAfterTermination: 0 } };
    server.onEvent = (e) => {
      if (o.plant) planted.push(Promise.resolve(o.plant(e, l)));
      observe(sim, e);
    };
    schedule(sim, enabledAt);
  }

  function observe(sim: ServerSim, e: ServerEvent) {
    const l = sim.license;
    const group = today.groups[groupOf(l)];
    if (e.type === "check") {
      summary.checks[e.result.outcome] = (summary.checks[e.result.outcome] ?? 0) + 1;
      group.checks++;
      if (FAILED.includes(e.result.outcome)) group.failed++;
      if (e.result.installed) summary.keysRenewed++;
      if (!e.autoUpdateAfter) summary.turnedOff[e.result.outcome] = (summary.turnedOff[e.result.outcome] ?? 0) + 1;
      const t = l.org.contract.terminatedAt;
      if (t && e.at > t) fail(checkTerminatedServer(l.licenseId, sim.watch, e.autoUpdateAfter, e.at));
    } else if (e.type === "report") {
      if (e.retry) summary.reports.retried++;
      else summary.reports[e.body.kind]++;
      const res = e.result;
      if (res.kind === "stored") {
        if (res.created) {
          storedNew++;
          summary.reports.stored++;
          if (e.body.kind === "monthly") reportArrived(l, e.body.period, e.at);
          if (res.answer.licenseExtendedTo) summary.extended.byProductReport++;
        } else summary.reports.duplicates++;
      } else if (res.kind === "refused") summary.reports.refused++;
    } else {
      const reason = /retry period/.test(e.reason) ? "RetryPeriodOver" : e.reason;
      summary.turnedOff[reason] = (summary.turnedOff[reason] ?? 0) + 1;
    }
  }

  // The providers' submissions, by profile: on time (between the 2nd and the due day), late (1 to 10 days after it), never.
  const submissions = new Map<number, { at: Date; org: SimOrg; period: Period }[]>();
  for (const org of world.orgs) {
    if (org.profile === "never" || org.profile === "auto") continue;
    for (let p = periodOf(start); startOfDate(`${shiftPeriod(p, 1)}-01`) < end; p = shiftPeriod(p, 1)) {
      const due = dueAtOf(org, p);
      const dueDate = toDateString(due);
      const day = org.profile === "on-time" ? addDays(dueDate, -between(r, 0, org.contract.dueDay - 2)) : addDays(dueDate, between(r, 1, 10));
      const at = new Date(startOfDate(day).getTime() + 9 * HOUR_MS + between(r, 0, 59) * 60_000);
      const h = hourOf(at);
      if (!submissions.has(h)) submissions.set(h, []);
      submissions.get(h)!.push({ at, org, period: p });
    }
  }
  const staffCtx = (now: Date) => ({ actor: { type: "user" as const, userId: world.staff.id, email: world.staff.email, role: "SUPPORT_STAFF" as const, organizationId: null }, now });
  const terminateAt = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + Math.floor(o.months / 2), 15, 12));
  const toTerminate = pickOrgs(r, world.orgs, o.terminate);
  const suspendedEver = new Set<string>();

  async function checkSuspension(org: SimOrg, now: Date) {
    const portal = (await organizationSuspension(db as unknown as Tx, org.id, now)).suspended;
    const rules = expectedSuspension(org, now);
    if (portal) suspendedEver.add(org.id);
    fail(portal === rules ? null : { invariant: INVARIANTS.suspendedByRules, at: now.toISOString(), detail: `${org.id} (${org.profile}): the portal says ${portal ? "suspended" : "not suspended"}, the rules say ${rules ? "suspended" : "not suspended"}` });
  }

  let lastScan = start;
  async function scan(now: Date) {
    // Every license against the model; new key versions never shorter; every acknowledged report stored once.
    const [rows, extensions, versions, stored] = await Promise.all([
      db.license.findMany({ select: { id: true, expirationDate: true } }),
      db.licenseExtension.groupBy({ by: ["licenseId"], _count: { _all: true } }),
      db.keyVersion.findMany({ where: { issuedAt: { gte: lastScan, lt: now } }, select: { licenseId: true, version: true, expirationDate: true, reason: true }, orderBy: { version: "asc" } }),
      db.usageReport.count(),
    ]);
    lastScan = now;
    const ext = new Map(extensions.map((e) => [e.licenseId, e._count._all]));
    const exp = new Map(rows.map((x) => [x.id, x.expirationDate]));
    const todayDate = toDateString(now);
    for (const v of versions) fail(checkKeyVersion(world.byRef.get(v.licenseId)!, v, now));
    for (const l of world.licenses) {
      const expirationDate = exp.get(l.ref)!;
      fail(checkLicense(l, { expirationDate, extensions: ext.get(l.ref) ?? 0 }, now));
      if (expirationDate < todayDate) today.groups[groupOf(l)].expired++;
    }
    fail(stored === storedNew ? null : { invariant: INVARIANTS.storedOnce, at: now.toISOString(), detail: `${storedNew} reports acknowledged as new, ${stored} stored` });
  }

  const hours = hourOf(end);
  const autoOrgs = world.orgs.filter((g) => g.profile === "auto");
  for (let h = 0; h < hours && !violation; h++) {
    const t0 = new Date(start.getTime() + h * HOUR_MS);
    if (t0.getUTCHours() === 0 && h > 0) {
      // A new day: the day that ended is checked, then the portal's background runner makes its pass.
      await scan(t0);
      series.push(today);
      today = emptyDay(toDateString(t0));
      o.onDay?.(series.length, Math.ceil(hours / 24));
      if (autoOrgs.length) {
        await runJobsOnce(t0);
        for (const org of autoOrgs) {
          for (const p of reportingPeriods([org.contract], t0)) {
            if (!org.submissions.has(p.period) && autoSubmitAt(p.dueAt) <= t0) recordSubmission(org, p.period, autoSubmitAt(p.dueAt), true);
          }
        }
      }
      // The day after a due day (and the 1st, when a period ends), every organization's suspension against the rules.
      const yesterday = new Date(t0.getTime() - DAY_MS).getUTCDate();
      for (const org of world.orgs) if (org.contract.dueDay === yesterday || t0.getUTCDate() === 1) await checkSuspension(org, t0);
    }
    if (toTerminate.length && t0.getTime() === terminateAt.getTime()) {
      for (const org of toTerminate) {
        await changeContract(staffCtx(t0), org.contract.number, { action: "terminate" });
        org.contract.terminatedAt = t0;
      }
    }
    // A server may become due again within the same hour (a retry 60 minutes after a report at 00:00
    // falls due at 00:44 after a check at 23:44): the hour is worked until nothing in it is due.
    for (let due = buckets.get(h); due?.length && !violation; due = buckets.get(h)) {
      buckets.delete(h);
      due.sort((a, b) => a.at.getTime() - b.at.getTime());
      for (let i = 0; i < due.length && !violation; i += 250) {
        await Promise.all(
          due.slice(i, i + 250).map(async ({ at, s }) => {
            await s.server.step(at);
            schedule(s, nextDueAt(s.server.states.load(), s.server.keys.read().claims, at));
          }),
        );
        await Promise.all(planted.splice(0));
      }
    }
    for (const sub of submissions.get(h) ?? []) {
      try {
        await submitReport({ actor: { type: "user", userId: sub.org.adminId, email: sub.org.adminEmail, role: "PROVIDER_ADMIN", organizationId: sub.org.id }, now: sub.at }, sub.period);
        recordSubmission(sub.org, sub.period, sub.at, false);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
      await checkSuspension(sub.org, sub.at);
    }
  }

  function recordSubmission(org: SimOrg, period: Period, at: Date, automatic: boolean) {
    const onTime = at.getTime() <= dueAtOf(org, period).getTime();
    org.submissions.set(period, { submittedAt: at, onTime });
    if (automatic) summary.submissions.automatic++;
    else if (onTime) summary.submissions.onTime++;
    else summary.submissions.late++;
    for (const l of world.byOrg.get(org.id) ?? []) reportArrived(l, period, at);
  }

  if (!violation) {
    await scan(end);
    series.push(today);
  }
  const endDate = toDateString(end);
  const final = await db.license.findMany({ select: { id: true, expirationDate: true } });
  for (const x of final) {
    if (x.expirationDate >= endDate) continue;
    summary.expired++;
    const g = groupOf(world.byRef.get(x.id)!);
    summary.expiredByGroup[g] = (summary.expiredByGroup[g] ?? 0) + 1;
  }
  summary.extended.bySubmitUsage = await db.licenseExtension.count({ where: { monthlyReportId: { not: null } } });
  for (const org of world.orgs) if ((await organizationSuspension(db as unknown as Tx, org.id, end)).suspended) summary.organizationsSuspended.atEnd++;
  summary.organizationsSuspended.ever = suspendedEver.size;
  summary.violation = violation;
  return { summary, series };
}

function emptyDay(day: string): DaySeries {
  return { day, groups: Object.fromEntries(GROUPS.map((g) => [g, { expired: 0, checks: 0, failed: 0 }])) };
}

function count(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function pickOrgs(r: Random, orgs: SimOrg[], n: number): SimOrg[] {
  const pool = [...orgs];
  const out: SimOrg[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]);
  return out;
}
