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
  collectedAt: Date;
  workloads: { type: string; count: number; newCount?: number }[];
}

/** Why a well-formed usage report is refused (422), one entry per field; empty when it is fine. */
export function usageReportRefusals(r: ReportFacts, productId: string, now: Date): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (r.period > periodOf(now)) errors.push({ path: "period", message: "The period is in the future." });
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
