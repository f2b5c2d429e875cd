// The rules behind the product API's answers (PRODUCT-API.md).
import { contractState, isRealContractNumber, type ContractFacts } from "./contracts";
import { periodOf, startOfDate, type DateString } from "./dates";
import { findWorkloadType } from "./catalog";

export type UpdateDecision = "UnsupportedLicenseType" | "ContractTerminated" | "Success" | "NotRequired";

/**
 * The answer to a valid key, the first that applies in this order: UnsupportedLicenseType,
 * ContractTerminated, Success (a newer version exists), NotRequired. (InvalidLicense comes before
 * all of them, at authentication.)
 */
export function updateDecision(l: {
  type: "RENTAL" | "NFR" | "EVALUATION";
  supportId: string | null;
  contract: ContractFacts | null;
  currentVersion: number;
  presentedVersion: number;
  today: DateString;
}): UpdateDecision {
  if (l.type !== "RENTAL" || !isRealContractNumber(l.supportId) || !l.contract) return "UnsupportedLicenseType";
  if (contractState(l.contract, l.today) !== "ACTIVE") return "ContractTerminated";
  return l.currentVersion > l.presentedVersion ? "Success" : "NotRequired";
}

/** How far in the future a report's collectedAt may be (clock skew). */
export const COLLECTED_AT_SKEW_MS = 10 * 60_000;

export interface ReportFacts {
  period: string;
  /** The period in which the license was created: a report for an earlier one is refused. */
  licenseCreatedPeriod: string;
  collectedAt: Date;
  workloads: { type: string; count: number; newCount?: number }[];
}

/** Why a well-formed usage report is refused (422), one entry per field; empty when it is fine. */
export function usageReportRefusals(r: ReportFacts, productId: string, now: Date): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (r.period > periodOf(now)) errors.push({ path: "period", message: "The period is in the future." });
  else if (r.period < r.licenseCreatedPeriod) errors.push({ path: "period", message: `The period is before the license existed (it was created in ${r.licenseCreatedPeriod}).` });
  if (r.collectedAt.getTime() < startOfDate(`${r.period}-01`).getTime()) {
    errors.push({ path: "collectedAt", message: "collectedAt is before the start of the period." });
  }
  if (r.collectedAt.getTime() > now.getTime() + COLLECTED_AT_SKEW_MS) {
    errors.push({ path: "collectedAt", message: "collectedAt is more than 10 minutes in the future." });
  }
  const seen = new Set<string>();
  r.workloads.forEach((w, i) => {
    if (!findWorkloadType(productId, w.type)) errors.push({ path: `workloads.${i}.type`, message: `The license's product has no workload type ${w.type}.` });
    if (seen.has(w.type)) errors.push({ path: `workloads.${i}.type`, message: `Workload type ${w.type} appears twice.` });
    seen.add(w.type);
    if ((w.newCount ?? 0) > w.count) errors.push({ path: `workloads.${i}.newCount`, message: "newCount is above count." });
  });
  return errors;
}

export type ReportVerdict = "duplicate" | "conflict" | "refused" | "submitted" | "created";

/**
 * What becomes of a well-formed usage report, the first that applies in this order: a report id
 * already stored for the license is a retry ("duplicate", 200 with the first receivedAt) when its
 * content is the same, else a "conflict" (409), even when the new content would be refused or
 * its period is now submitted; then the 422 rules ("refused"); then a submitted period
 * ("submitted", 409); else it is stored ("created", 201).
 */
export function reportVerdict(r: { contentHash: string; refused: boolean; periodSubmitted: boolean }, stored: { contentHash: string } | undefined): ReportVerdict {
  if (stored) return stored.contentHash === r.contentHash ? "duplicate" : "conflict";
  if (r.refused) return "refused";
  return r.periodSubmitted ? "submitted" : "created";
}

/** A report of a batch as reportBatchVerdicts takes it: `key` names its license and report id. */
export interface BatchReport {
  key: string;
  contentHash: string;
  refused: boolean;
  periodSubmitted: boolean;
  /** When it is received (stored as its receivedAt if it is created). */
  at: Date;
}

export type BatchOutcome =
  | { verdict: "created" | "duplicate"; receivedAt: Date }
  | { verdict: "conflict" | "refused" | "submitted" };

/**
 * Each report's reportVerdict, in batch order: against the stored reports with the batch's keys,
 * and against the reports created earlier in the same batch (a repeat of a key is a retry of the
 * first, answered by its content hash as a stored one would be).
 */
export function reportBatchVerdicts(items: readonly BatchReport[], stored: ReadonlyMap<string, { contentHash: string; receivedAt: Date }>): BatchOutcome[] {
  const known = new Map(stored);
  return items.map((item) => {
    const seen = known.get(item.key);
    const verdict = reportVerdict(item, seen);
    if (verdict === "created") {
      known.set(item.key, { contentHash: item.contentHash, receivedAt: item.at });
      return { verdict, receivedAt: item.at };
    }
    if (verdict === "duplicate") return { verdict, receivedAt: seen!.receivedAt };
    return { verdict };
  });
}

/**
 * Whether an update check moves the license's last check: only forward in time (two checks may
 * be recorded out of their time order, by batches or by instances).
 */
export function movesLastCheck(stored: Date | null, incoming: Date): boolean {
  return stored === null || incoming.getTime() > stored.getTime();
}

/** Whether a check moves an installation's last sighting (and product version): not backward. */
export function movesInstallation(storedLastSeen: Date, incoming: Date): boolean {
  return incoming.getTime() >= storedLastSeen.getTime();
}

/** The latest item per key by its time (the later in the list on a tie), as a batch records them. */
export function latestPerKey<T>(items: readonly T[], key: (item: T) => string, at: (item: T) => Date): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const seen = out.get(k);
    if (!seen || at(item).getTime() >= at(seen).getTime()) out.set(k, item);
  }
  return out;
}
