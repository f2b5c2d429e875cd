// When a product server asks for a new license key (the seed "Updating License Automatically"):
// once a week; from 7 days before expiration once a day; after a connection failure or an
// invalid answer every 60 minutes; after GenerationFailed every 24 hours; the retries end one
// month after the earlier of the license and support expiration (that month as long as the
// month of expiration has days), and then automatic update turns itself off; ContractTerminated
// turns it off at once. The portal's nextCheckAfter and the product agent use these functions.
import { addDays, daysInMonth, endOfDate, minDate, periodOfDate, startOfDate, type DateString } from "./dates";
import { isRealContractNumber } from "./contracts";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
export const DAILY_WINDOW_DAYS = 7;
export const RETRY_AFTER_CONNECTION_FAILURE_MS = 60 * 60_000;
export const RETRY_AFTER_GENERATION_FAILURE_MS = DAY_MS;

export type CheckOutcome =
  | "Success"
  | "NotRequired"
  | "UnsupportedLicenseType"
  | "ContractTerminated"
  | "InvalidLicense"
  | "GenerationFailed"
  | "ConnectionFailed"
  | "InvalidAnswer";

/**
 * When to ask again after an answer at `at` about a key expiring on `expirationDate`:
 * the regular schedule (weekly; daily from 7 days before expiration), or the retry intervals.
 */
export function nextCheckAt(outcome: CheckOutcome, expirationDate: DateString, at: Date): Date {
  if (outcome === "ConnectionFailed" || outcome === "InvalidAnswer") return new Date(at.getTime() + RETRY_AFTER_CONNECTION_FAILURE_MS);
  if (outcome === "GenerationFailed") return new Date(at.getTime() + RETRY_AFTER_GENERATION_FAILURE_MS);
  const dailyFrom = startOfDate(addDays(expirationDate, -DAILY_WINDOW_DAYS));
  if (at.getTime() >= dailyFrom.getTime()) return new Date(at.getTime() + DAY_MS);
  return new Date(Math.min(at.getTime() + WEEK_MS, dailyFrom.getTime()));
}

/**
 * The end of the retry period: one month after the earlier of the license and support
 * expiration, that month as long as the month of the **license** expiration has days (the seed:
 * 31 days for a license expiring in January, 30 for April). License 2027-03-01 with support
 * 2027-02-10: 2027-02-10 + 31 days, so the period ends with 2027-03-13.
 */
export function retryPeriodEnd(expirationDate: DateString, supportExpirationDate: DateString): Date {
  const earlier = minDate(expirationDate, supportExpirationDate);
  return endOfDate(addDays(earlier, daysInMonth(periodOfDate(expirationDate))));
}

export interface AgentState {
  autoUpdate: boolean;
  supportId: string | null;
  edition: string | null;
  expirationDate: DateString;
  supportExpirationDate: DateString;
  /** The last check's outcome and time; null before the first check. */
  last: { outcome: CheckOutcome; at: Date } | null;
}

export type NextAction =
  | { type: "check"; at: Date }
  /** Automatic update turns itself off at `at` (now, or the end of the retry period). */
  | { type: "disable"; reason: string; at: Date }
  | { type: "stopped" };

const RETRY_PERIOD_OVER = "The retry period after expiration is over without a new license key.";

/** The product agent's schedule: what to do next, from its state and the time. */
export function nextAction(state: AgentState, now: Date): NextAction {
  if (!state.autoUpdate) return { type: "stopped" };
  const off = (reason: string, at = now): NextAction => ({ type: "disable", reason, at });
  if (state.edition === "Community") return off("Automatic license update is not available for the Community edition.");
  if (!isRealContractNumber(state.supportId)) return off("The license has no real contract number in its Support ID.");
  if (state.last?.outcome === "ContractTerminated") return off("The contract is terminated.");
  if (state.last?.outcome === "UnsupportedLicenseType") return off("The license type is not supported.");
  const end = retryPeriodEnd(state.expirationDate, state.supportExpirationDate);
  if (now.getTime() >= end.getTime()) return off(RETRY_PERIOD_OVER);
  const at = state.last ? nextCheckAt(state.last.outcome, state.expirationDate, state.last.at) : now;
  // No check is scheduled past the retry period: automatic update turns off exactly at its end.
  return at.getTime() >= end.getTime() ? off(RETRY_PERIOD_OVER, end) : { type: "check", at };
}
