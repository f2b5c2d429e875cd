// The license key rules of DOMAIN-RULES.md ("License keys", "The auto-reported lifecycle" 1, 5, 6).
import { contractState, isRealContractNumber, type ContractFacts, type ContractState } from "./contracts";
import { addDays, addMonths, daysBetween, minDate, type DateString } from "./dates";

/** An auto-reported license created for the first time is valid for 75 days ("2.5 months"). */
export const AUTO_REPORTED_INITIAL_DAYS = 75;
/** A license with this many days or fewer left is EXPIRING. */
export const EXPIRING_WITHIN_DAYS = 7;
/** A manually chosen expiration date is at most this many months ahead. */
export const MAX_MANUAL_EXPIRATION_MONTHS = 12;

export type LicenseType = "RENTAL" | "NFR" | "EVALUATION";
export type LicenseState = "ACTIVE" | "EXPIRING" | "EXPIRED" | "REVOKED" | "CONTRACT_ENDED";
export const LICENSE_STATES: readonly LicenseState[] = ["ACTIVE", "EXPIRING", "EXPIRED", "REVOKED", "CONTRACT_ENDED"];

/** Each on-time report extends an auto-reported license by one calendar month (clamped). */
export const MONTHLY_EXTENSION_MONTHS = 1;

type ExtensionFacts = { autoReported: boolean; revoked: boolean; expirationDate: DateString; contract: ContractFacts | null };

/** When the report (a product's monthly report or the provider's Submit Usage) arrives, and whether it is on time. */
export interface ReportTiming {
  today: DateString;
  onTime: boolean;
}

/**
 * Why a license's report for a period, arriving as `at` says, does not extend it, or null when it
 * does: it must be auto-reported, not revoked, not expired, under an active contract, the report
 * on time, and the extension must move its date (not already at its contract's end).
 */
export function extensionRefusal(l: ExtensionFacts, at: ReportTiming): string | null {
  if (!l.autoReported) return "not auto-reported";
  if (l.revoked) return "revoked";
  if (l.expirationDate < at.today) return "expired: it needs a new key";
  if (!l.contract || contractState(l.contract, at.today) !== "ACTIVE") return "its contract is not active";
  if (!at.onTime) return "the report is late: a late report extends nothing";
  if (oneMonthLater(l) <= l.expirationDate) return "already at its contract's end date";
  return null;
}

/** One calendar month after the current date (2027-01-31 -> 2027-02-28), capped at the contract's end. */
function oneMonthLater(l: ExtensionFacts): DateString {
  const date = addMonths(l.expirationDate, MONTHLY_EXTENSION_MONTHS);
  return l.contract?.endDate ? minDate(date, l.contract.endDate) : date;
}

/**
 * The new expiration of a license when its report for a period arrives as `at` says: one
 * calendar month after its current date, capped at the contract's end; or null when
 * extensionRefusal says it is not extended. Never earlier than the current date, and never the
 * same (no version is issued for nothing).
 */
export function extendedExpiration(l: ExtensionFacts, at: ReportTiming): DateString | null {
  return extensionRefusal(l, at) ? null : oneMonthLater(l);
}

/**
 * Expiration of a new auto-reported license created `today`: 75 days later, and never past the
 * contract's end date when the contract has one.
 */
export function initialAutoReportedExpiration(today: DateString, contractEnd: DateString | null = null): DateString {
  const date = addDays(today, AUTO_REPORTED_INITIAL_DAYS);
  return contractEnd ? minDate(date, contractEnd) : date;
}

/**
 * Expiration when the Auto Reported License toggle is turned on: the earlier of the current
 * date and 75 days from today, so that switching off and on never lengthens a key.
 */
export function expirationWhenAutoReportedOn(current: DateString, today: DateString): DateString {
  return minDate(current, initialAutoReportedExpiration(today));
}

export interface LicenseFacts {
  expirationDate: DateString;
  revoked: boolean;
  /** null for a license without a contract (NFR, evaluation). */
  contract: ContractFacts | null;
}

/** The state shown to users, derived at read time. The first that applies wins, in this order. */
export function licenseState(l: LicenseFacts, today: DateString): LicenseState {
  if (l.revoked) return "REVOKED";
  if (l.expirationDate < today) return "EXPIRED";
  if (l.contract && contractState(l.contract, today) !== "ACTIVE") return "CONTRACT_ENDED";
  if (daysBetween(today, l.expirationDate) <= EXPIRING_WITHIN_DAYS) return "EXPIRING";
  return "ACTIVE";
}

/**
 * An auto-reported key renewed since any product server last checked: the server still runs the
 * previous key, which expires unless a check collects the new one (the product's side of
 * automatic license update). Only live keys (not revoked, not expired) can be waiting.
 */
export function awaitingCollection(
  l: { autoReported: boolean; revoked: boolean; expirationDate: DateString; keyIssuedAt: Date | null; lastCheckAt: Date | null },
  today: DateString,
): boolean {
  if (!l.autoReported || l.revoked || l.expirationDate < today || l.keyIssuedAt === null) return false;
  return l.lastCheckAt === null || l.lastCheckAt < l.keyIssuedAt;
}

/**
 * The order of the license list's default view: live keys first by expiration (the soonest at the
 * top), then expired and revoked ones, the most recent first.
 */
export function liveFirst(a: { expirationDate: DateString; revoked: boolean }, b: { expirationDate: DateString; revoked: boolean }, today: DateString): number {
  const live = (l: { expirationDate: DateString; revoked: boolean }) => !l.revoked && l.expirationDate >= today;
  if (live(a) !== live(b)) return live(a) ? -1 : 1;
  const byDate = a.expirationDate < b.expirationDate ? -1 : a.expirationDate > b.expirationDate ? 1 : 0;
  return live(a) ? byDate : -byDate;
}

/**
 * What a state means as conditions on stored fields, so that lists filter on the server:
 * expiration bounds (inclusive), and whether the license is revoked and its contract ended.
 */
export interface StateCondition {
  revoked: boolean;
  expirationFrom?: DateString;
  expirationTo?: DateString;
  contractEnded?: boolean;
}

export function stateCondition(state: LicenseState, today: DateString): StateCondition {
  const lastExpiring = addDays(today, EXPIRING_WITHIN_DAYS);
  switch (state) {
    case "REVOKED":
      return { revoked: true };
    case "EXPIRED":
      return { revoked: false, expirationTo: addDays(today, -1) };
    case "CONTRACT_ENDED":
      return { revoked: false, expirationFrom: today, contractEnded: true };
    case "EXPIRING":
      return { revoked: false, expirationFrom: today, expirationTo: lastExpiring, contractEnded: false };
    case "ACTIVE":
      return { revoked: false, expirationFrom: addDays(lastExpiring, 1), contractEnded: false };
  }
}

export interface AutoReportFacts {
  organizationHasFeature: boolean;
  type: LicenseType;
  contractState: ContractState | null;
  revoked: boolean;
  expired: boolean;
}

export const FEATURE_DISABLED_MESSAGE =
  "Automatic license reporting is not enabled for your organization. Open a support case to request it.";

/**
 * Why the Auto Reported License toggle cannot be switched on for a license, or null when it can.
 * Only rental licenses with an active contract, in an organization that has the feature.
 */
export function autoReportOnRefusal(f: AutoReportFacts): string | null {
  if (!f.organizationHasFeature) return FEATURE_DISABLED_MESSAGE;
  if (f.revoked) return "The license is revoked.";
  if (f.type !== "RENTAL") return "Only rental licenses can be auto-reported.";
  if (f.contractState !== "ACTIVE") return "The license's contract is not active, so the license cannot be auto-reported.";
  if (f.expired) return "The license has expired; create a new key instead.";
  return null;
}

/** Switching auto-reporting off is refused only for a revoked license. */
export function autoReportOffRefusal(f: Pick<AutoReportFacts, "revoked">): string | null {
  return f.revoked ? "The license is revoked." : null;
}

export interface WizardToggle {
  /** The toggle cannot be changed by the user. */
  disabled: boolean;
  /** The value the toggle shows (and the only one accepted when disabled). */
  value: boolean | null;
  reason: string | null;
}

/**
 * The New License Key wizard's Automatic reporting toggle: disabled and off without the feature;
 * forced on for a NO_COMMIT contract when the organization has it; free otherwise.
 */
export function wizardAutoReporting(organizationHasFeature: boolean, contractType: "NO_COMMIT" | "VOLUME"): WizardToggle {
  if (!organizationHasFeature) return { disabled: true, value: false, reason: FEATURE_DISABLED_MESSAGE };
  if (contractType === "NO_COMMIT") {
    return { disabled: true, value: true, reason: "Licenses under a no-commit contract are always auto-reported." };
  }
  return { disabled: false, value: null, reason: null };
}

/** The dates a provider may pick for a license that is not auto-reported, both inclusive. */
export function manualExpirationBounds(today: DateString, contractEnd: DateString | null): { min: DateString; max: DateString } {
  const max = addMonths(today, MAX_MANUAL_EXPIRATION_MONTHS);
  return { min: addDays(today, 1), max: contractEnd ? minDate(max, contractEnd) : max };
}

/** Why a manually chosen expiration date is not allowed, or null. */
export function manualExpirationRefusal(date: DateString, today: DateString, contractEnd: DateString | null): string | null {
  const { min, max } = manualExpirationBounds(today, contractEnd);
  if (date < min) return "The expiration date must be tomorrow or later.";
  if (max < min) return "The contract ends too soon to create a key.";
  if (date > max) {
    return contractEnd && max === contractEnd && date > contractEnd
      ? `The expiration date cannot be after the contract's end date (${contractEnd}).`
      : `The expiration date can be at most ${MAX_MANUAL_EXPIRATION_MONTHS} months ahead (${max}).`;
  }
  return null;
}

/** The support expiration date of a rental license equals its expiration date. */
export function supportExpirationFor(expirationDate: DateString): DateString {
  return expirationDate;
}

export { isRealContractNumber };
