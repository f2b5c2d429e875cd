// The product server's plan, pure: from its state, its installed key and the time, what it does
// next. Update checks follow lib/domain/schedule.ts (nextAction: weekly, daily in the last 7 days,
// retries, the retry period, turning off); usage reporting is on while automatic update is on
// (the seed: "Update license automatically (enables usage reporting)"): a weekly report of the
// running month every 7 days, and at 00:00 UTC on the 1st the monthly report of the month that
// ended. A report that met a connection failure is retried with the same report id every 60
// minutes, so that the portal stores it once. `agent run` and `agent simulate` both use this.
import { firstDateOf, periodOf, shiftPeriod, startOfDate, type Period } from "../../lib/domain/dates";
import { nextAction, RETRY_AFTER_CONNECTION_FAILURE_MS, WEEK_MS, type AgentState, type CheckOutcome } from "../../lib/domain/schedule";
import type { UsageReportRequest } from "../../lib/schemas/product-api";
import type { KeyClaims } from "./claims";

export interface PendingReport {
  body: Omit<UsageReportRequest, "licenseKey">;
  /** When to send it again (ISO). */
  retryAt: string;
}

export interface RunState {
  version: 1;
  installationId: string;
  /** Automatic license update (and with it usage reporting). */
  autoUpdate: boolean;
  disabledReason: string | null;
  /** The last update check: its outcome and time (ISO). */
  last: { outcome: CheckOutcome; at: string } | null;
  lastWeeklyReportAt: string | null;
  /** The latest period whose monthly report was sent (stored or refused). */
  monthlyReported: Period | null;
  pending: PendingReport[];
  /** When automatic update was enabled on this server (ISO): no monthly report for months that ended before. */
  enabledAt: string;
  /** The latest time the agent acted at (ISO); a clock that moves back is not followed backwards. */
  observedAt: string | null;
}

export function initialRunState(installationId: string, now: Date): RunState {
  return {
    version: 1, installationId, autoUpdate: true, disabledReason: null, last: null, lastWeeklyReportAt: null,
    monthlyReported: null, pending: [], enabledAt: now.toISOString(), observedAt: null,
  };
}

export type DueAction =
  | { type: "retry-report"; index: number }
  | { type: "monthly-report"; period: Period }
  | { type: "weekly-report"; period: Period }
  | { type: "check" }
  | { type: "disable"; reason: string };

/** The schedule's view of this server. */
export function scheduleState(state: RunState, claims: KeyClaims): AgentState {
  return {
    autoUpdate: state.autoUpdate,
    supportId: claims.lic.supportId,
    edition: claims.lic.product.edition,
    expirationDate: claims.lic.expirationDate,
    supportExpirationDate: claims.lic.supportExpirationDate,
    last: state.last ? { outcome: state.last.outcome, at: new Date(state.last.at) } : null,
  };
}

/** The first instant of the month after `period` (when its monthly report is due). */
export function monthEnd(period: Period): Date {
  return startOfDate(firstDateOf(shiftPeriod(period, 1)));
}

/** What is due at `now`, in the order to do it: retries, the monthly report, the weekly report, the update check (or turning off). */
export function dueActions(state: RunState, claims: KeyClaims, now: Date): DueAction[] {
  if (!state.autoUpdate) return [];
  const t = now.getTime();
  const next = nextAction(scheduleState(state, claims), now);
  // Turning off comes first when it is due: nothing more is sent after it.
  if (next.type === "disable" && next.at.getTime() <= t) return [{ type: "disable", reason: next.reason }];
  const out: DueAction[] = [];
  state.pending.forEach((p, index) => {
    if (Date.parse(p.retryAt) <= t) out.push({ type: "retry-report", index });
  });
  const ended = shiftPeriod(periodOf(now), -1);
  const inFlight = (period: Period, kind: string) => state.pending.some((p) => p.body.period === period && p.body.kind === kind);
  if (monthEnd(ended).getTime() > Date.parse(state.enabledAt) && (state.monthlyReported === null || state.monthlyReported < ended) && !inFlight(ended, "monthly")) {
    out.push({ type: "monthly-report", period: ended });
  }
  if (state.lastWeeklyReportAt === null || t - Date.parse(state.lastWeeklyReportAt) >= WEEK_MS) out.push({ type: "weekly-report", period: periodOf(now) });
  if (next.type === "check" && next.at.getTime() <= t) out.push({ type: "check" });
  return out;
}

/** When something is next due after `now` (for sleeping until then), or null when nothing ever is. */
export function nextDueAt(state: RunState, claims: KeyClaims, now: Date): Date | null {
  if (!state.autoUpdate) return null;
  const times: number[] = state.pending.map((p) => Date.parse(p.retryAt));
  const next = nextAction(scheduleState(state, claims), now);
  if (next.type !== "stopped") times.push(next.at.getTime());
  times.push(monthEnd(periodOf(now)).getTime());
  if (state.lastWeeklyReportAt) times.push(Date.parse(state.lastWeeklyReportAt) + WEEK_MS);
  return new Date(Math.max(now.getTime(), Math.min(...times)));
}

/** After an update check answered (or failed) at `at`; ContractTerminated and UnsupportedLicenseType turn automatic update off at once. */
export function afterCheck(state: RunState, outcome: CheckOutcome, at: Date): RunState {
  const s: RunState = { ...state, last: { outcome, at: at.toISOString() } };
  if (outcome === "ContractTerminated") return { ...s, autoUpdate: false, disabledReason: "The contract is terminated." };
  if (outcome === "UnsupportedLicenseType") return { ...s, autoUpdate: false, disabledReason: "The license type is not supported." };
  return s;
}

export function disable(state: RunState, reason: string): RunState {
  return { ...state, autoUpdate: false, disabledReason: reason };
}

/** A report was sent: the weekly clock and the monthly mark move whether it was stored or refused; a connection failure queues a retry. */
export function afterReport(state: RunState, body: PendingReport["body"], result: "stored" | "refused" | "retry", at: Date, fromPending?: number): RunState {
  const pending = state.pending.filter((_, i) => i !== fromPending);
  const s: RunState = { ...state, pending };
  if (fromPending === undefined) {
    if (body.kind === "weekly") s.lastWeeklyReportAt = at.toISOString();
    else if (s.monthlyReported === null || body.period > s.monthlyReported) s.monthlyReported = body.period;
  }
  if (result === "retry") s.pending = [...pending, { body, retryAt: new Date(at.getTime() + RETRY_AFTER_CONNECTION_FAILURE_MS).toISOString() }];
  return s;
}

/** The time the plan follows: never backwards (a test clock moved back keeps the last time seen). */
export function observe(state: RunState, now: Date): { state: RunState; now: Date } {
  const seen = state.observedAt ? Date.parse(state.observedAt) : -Infinity;
  const t = Math.max(seen, now.getTime());
  return { state: { ...state, observedAt: new Date(t).toISOString() }, now: new Date(t) };
}
