// The simulator's own model of what the rules say should happen, and its invariants. Pure: the
// simulation feeds it what it did and what it saw (when a report was acknowledged, when a provider
// submitted, what the portal's database holds), and it answers with the first violation. The rules
// themselves are lib/domain's functions; the model only records the facts they are applied to, so
// a fast path, a transaction or a service that disagrees with them is caught.
import { contractState } from "../../lib/domain/contracts";
import { toDateString, type DateString, type Period } from "../../lib/domain/dates";
import { extendedExpiration, initialAutoReportedExpiration } from "../../lib/domain/licenses";
import { arrivesBy, reportDueAt, reportingPeriods, suspension, type ContractTerms } from "../../lib/domain/reporting";

export type ProviderProfile = "on-time" | "late" | "never" | "auto";
export type ServerKind = "auto-update" | "manual";

export interface SimContract extends ContractTerms {
  number: string;
}

export interface SimOrg {
  index: number;
  id: string;
  adminId: string;
  adminEmail: string;
  profile: ProviderProfile;
  contract: SimContract;
  /** Submissions as the simulation saw them succeed: when, and whether on time by the rules. */
  submissions: Map<Period, { submittedAt: Date; onTime: boolean }>;
}

export interface SimLicense {
  ref: string;
  licenseId: string;
  org: SimOrg;
  server: ServerKind;
  createdOn: DateString;
  /** The expiration the rules give, from the reports and submissions that arrived. */
  expected: DateString;
  extendedFor: Set<Period>;
  /** Periods for which an on-time report of this license arrived (its product's, or a submission). */
  onTimeFor: Set<Period>;
  /** The newest key version seen and its expiration (for "never shorter"). */
  lastVersion: number;
  lastVersionExpiration: DateString;
}

export interface Violation {
  invariant: string;
  at: string;
  detail: string;
}

export const INVARIANTS = {
  onTimeNeverExpires: "a license whose reports always arrive on time never expires",
  expiresOnRuleDay: "a license expires on the day the rules say (no report for two periods: the last extension's date)",
  extendedOncePerPeriod: "no license is ever extended twice for one period",
  neverShorter: "no key ever gets shorter except by a toggle-on",
  storedOnce: "every acknowledged report is stored exactly once",
  terminatedOffInOneCheck: "a terminated contract's servers turn automatic update off within one check",
  suspendedByRules: "an organization is suspended exactly when the rules say",
} as const;

export function newLicense(ref: string, licenseId: string, org: SimOrg, server: ServerKind, created: Date): SimLicense {
  const createdOn = toDateString(created);
  const expected = initialAutoReportedExpiration(createdOn, org.contract.endDate);
  return { ref, licenseId, org, server, createdOn, expected, extendedFor: new Set(), onTimeFor: new Set(), lastVersion: 1, lastVersionExpiration: expected };
}

export const dueAtOf = (org: SimOrg, period: Period) => reportDueAt(period, org.contract.dueDay);

/**
 * A report of `l` for `period` arrived at `at` (its product's monthly report acknowledged as new,
 * or the provider's submission): what the rules say about its expiration.
 */
export function reportArrived(l: SimLicense, period: Period, at: Date): void {
  const onTime = arrivesBy(at, dueAtOf(l.org, period));
  if (onTime) l.onTimeFor.add(period);
  if (l.extendedFor.has(period)) return;
  const c = l.org.contract;
  const to = extendedExpiration(
    { autoReported: true, revoked: false, expirationDate: l.expected, contract: { status: c.terminatedAt ? "TERMINATED" : "ACTIVE", endDate: c.endDate } },
    { today: toDateString(at), onTime },
  );
  if (to) {
    l.expected = to;
    l.extendedFor.add(period);
  }
}

/** The periods of `l` that have ended by `now` and were due by now (from the month it was created). */
function duePeriods(l: SimLicense, now: Date): Period[] {
  return reportingPeriods([l.org.contract], now)
    .filter((p) => p.period >= l.createdOn.slice(0, 7) && p.dueAt.getTime() < now.getTime())
    .map((p) => p.period);
}

/** The license invariants against what the portal's database says (its expiration date and key versions). */
export function checkLicense(l: SimLicense, db: { expirationDate: DateString; extensions: number }, now: Date): Violation | null {
  const at = now.toISOString();
  const today = toDateString(now);
  const active = contractState({ status: l.org.contract.terminatedAt ? "TERMINATED" : "ACTIVE", endDate: l.org.contract.endDate }, today) === "ACTIVE";
  const due = duePeriods(l, now);
  if (active && due.every((p) => l.onTimeFor.has(p)) && db.expirationDate < today) {
    return { invariant: INVARIANTS.onTimeNeverExpires, at, detail: `${l.licenseId}: every report on time (${due.join(", ") || "none due yet"}) but it expired on ${db.expirationDate}` };
  }
  if (db.extensions !== l.extendedFor.size) {
    return { invariant: INVARIANTS.extendedOncePerPeriod, at, detail: `${l.licenseId}: ${db.extensions} extensions recorded, the rules allow ${l.extendedFor.size} (${[...l.extendedFor].join(", ") || "none"})` };
  }
  if (db.expirationDate !== l.expected) {
    return { invariant: INVARIANTS.expiresOnRuleDay, at, detail: `${l.licenseId}: the portal says it expires ${db.expirationDate}, the rules say ${l.expected} (extended for ${[...l.extendedFor].join(", ") || "no period"})` };
  }
  return null;
}

/** A new key version of `l`: never shorter than the one before, except by turning auto-reporting on. */
export function checkKeyVersion(l: SimLicense, v: { version: number; expirationDate: DateString; reason: string }, now: Date): Violation | null {
  const before = l.lastVersionExpiration;
  if (v.version <= l.lastVersion) return null;
  l.lastVersion = v.version;
  l.lastVersionExpiration = v.expirationDate;
  if (v.expirationDate < before && v.reason !== "AUTO_REPORTED_ON") {
    return { invariant: INVARIANTS.neverShorter, at: now.toISOString(), detail: `${l.licenseId}: version ${v.version} (${v.reason}) expires ${v.expirationDate}, before ${before}` };
  }
  return null;
}

/** Whether the rules suspend `org` at `now`, from the submissions the simulation made. */
export function expectedSuspension(org: SimOrg, now: Date): boolean {
  return suspension(reportingPeriods([org.contract], now), org.submissions, now).suspended;
}

export interface ServerWatch {
  /** Checks made after its contract was terminated. */
  checksAfterTermination: number;
}

/** After a check of a server whose contract was terminated before it: the first such check must turn automatic update off. */
export function checkTerminatedServer(licenseId: string, w: ServerWatch, autoUpdateAfter: boolean, now: Date): Violation | null {
  w.checksAfterTermination++;
  if (w.checksAfterTermination === 1 && !autoUpdateAfter) return null;
  return {
    invariant: INVARIANTS.terminatedOffInOneCheck, at: now.toISOString(),
    detail: `${licenseId}: check ${w.checksAfterTermination} after the termination, automatic update ${autoUpdateAfter ? "still on" : "off"}`,
  };
}
