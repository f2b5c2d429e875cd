// A product server with automatic license update and usage reporting: its installed key, its
// state, and the portal behind a transport. `step(now)` does what the plan says is due and
// returns one session line per thing done. The same class runs in `agent run` (HTTP, a key file,
// a state file) and in `agent simulate` (in process, in memory).
import { randomUUID } from "node:crypto";
import type { CheckOutcome } from "../../lib/domain/schedule";
import { nextAction } from "../../lib/domain/schedule";
import { UPDATE_MESSAGES, type UsageReportAnswer, type UsageReportRequest } from "../../lib/schemas/product-api";
import { acceptNewKey, readReportAnswer, readUpdateAnswer } from "./answers";
import type { KeyClaims } from "./claims";
import type { InstalledKey } from "./keyfile";
import { afterCheck, afterReport, disable, dueActions, monthEnd, observe, scheduleState, type DueAction, type PendingReport, type RunState } from "./plan";
import { ConnectionFailure, type Transport } from "./transport";
import type { Workload } from "./workloads";

export const PRODUCT_VERSION = "13.0.1.1071";

export interface KeyStore {
  read(): InstalledKey;
  install(jws: string): void;
}

export interface StateStore {
  load(): RunState;
  save(state: RunState): void;
}

export interface SessionLine {
  at: string;
  action: "check" | "report" | "disable";
  result: string;
  message: string;
  /** The next thing the schedule will do (ISO time and what), or "off". */
  next: string;
  /** Details: the installed key version, the reason an answer was invalid, the report id... */
  detail?: string;
}

export interface CheckResult {
  outcome: CheckOutcome;
  message: string;
  detail?: string;
  /** The newly installed key's claims (Success only). */
  installed?: KeyClaims;
  nextCheckAfter?: string;
}

export type ReportResult =
  | { kind: "stored"; answer: UsageReportAnswer; created: boolean }
  | { kind: "refused"; status: number; detail: string }
  | { kind: "retry"; detail: string };

export const newReportId = () => `rep-${randomUUID()}`;

/** What a server did, for an observer (the simulator keeps its books with these). */
export type ServerEvent =
  | { type: "check"; at: Date; result: CheckResult; autoUpdateAfter: boolean }
  | { type: "report"; at: Date; body: PendingReport["body"]; result: ReportResult; retry: boolean }
  | { type: "disable"; at: Date; reason: string };

const OUTCOME_MESSAGES: Partial<Record<CheckOutcome, string>> = {
  ConnectionFailed: "Failed to connect to the license update server",
  InvalidAnswer: "Invalid answer received from the license update server",
};

export class ProductServer {
  onEvent?: (e: ServerEvent) => void;

  constructor(
    readonly keys: KeyStore,
    readonly states: StateStore,
    readonly transport: Transport,
    readonly workloads: (claims: KeyClaims) => Workload[] = (c) => c.lic.workloads.map((w) => ({ type: w.type, count: w.count })),
    readonly productVersion = PRODUCT_VERSION,
  ) {}

  /** One update check as the product performs it; installs a new key only when it verifies. */
  async check(now: Date): Promise<CheckResult> {
    const state = this.states.load();
    const installed = this.keys.read();
    const result = await this.checkOnce(installed, state.installationId, now);
    this.states.save(afterCheck(state, result.outcome, now));
    return result;
  }

  private async checkOnce(installed: InstalledKey, installationId: string, now: Date): Promise<CheckResult> {
    const failed = (outcome: CheckOutcome, detail: string): CheckResult => ({ outcome, message: OUTCOME_MESSAGES[outcome] ?? UPDATE_MESSAGES[outcome as keyof typeof UPDATE_MESSAGES], detail });
    let read;
    try {
      read = readUpdateAnswer(await this.transport.update({ licenseKey: installed.jws, installationId, productVersion: this.productVersion }, now));
    } catch (error) {
      if (error instanceof ConnectionFailure) return failed("ConnectionFailed", error.message);
      throw error;
    }
    if (read.kind === "invalid") return failed("InvalidAnswer", read.reason);
    const { answer } = read;
    if (answer.result !== "Success") return { outcome: answer.result, message: answer.message, nextCheckAfter: answer.nextCheckAfter };
    let jwks: unknown;
    try {
      jwks = await this.transport.jwks();
    } catch (error) {
      if (error instanceof ConnectionFailure) return failed("InvalidAnswer", `the new key cannot be verified: ${error.message}`);
      throw error;
    }
    const accepted = await acceptNewKey(installed.claims, answer.licenseKey!, jwks);
    if (!accepted.ok) return failed("InvalidAnswer", accepted.reason);
    this.keys.install(answer.licenseKey!);
    const c = accepted.claims;
    return {
      outcome: "Success", message: answer.message, installed: c, nextCheckAfter: answer.nextCheckAfter,
      detail: `installed key version ${c.ver} of ${c.sub}, expires ${c.lic.expirationDate}`,
    };
  }

  /** Builds a report of this server's workloads with a fresh report id. */
  reportBody(kind: "weekly" | "monthly", period: string, now: Date, workloads?: Workload[]): PendingReport["body"] {
    const claims = this.keys.read().claims;
    // A monthly report is collected at the end of its month; a weekly one now.
    const collectedAt = kind === "monthly" ? new Date(Math.min(now.getTime(), monthEnd(period).getTime() - 1000)) : now;
    return {
      installationId: this.states.load().installationId, reportId: newReportId(), kind, period,
      collectedAt: collectedAt.toISOString(), workloads: workloads ?? this.workloads(claims),
    };
  }

  /** Sends a report once with the installed key; a connection failure is "retry" (the same report id later). */
  async sendReport(body: PendingReport["body"], now: Date): Promise<ReportResult> {
    const full: UsageReportRequest = { ...body, licenseKey: this.keys.read().jws };
    try {
      const read = readReportAnswer(await this.transport.report(full, now));
      if (read.kind === "invalid") return { kind: "retry", detail: read.reason };
      return read;
    } catch (error) {
      if (error instanceof ConnectionFailure) return { kind: "retry", detail: error.message };
      throw error;
    }
  }

  /** Does everything due at `now`, and returns what it did. */
  async step(at: Date): Promise<SessionLine[]> {
    const lines: SessionLine[] = [];
    // The time acted at never moves back; it is saved once everything due was done (a watcher can wait for it).
    const { now } = observe(this.states.load(), at);
    for (let i = 0; i < 20; i++) {
      const state = this.states.load();
      const [action] = dueActions(state, this.keys.read().claims, now);
      if (!action) break;
      lines.push(await this.perform(action, state, now));
    }
    this.states.save(observe(this.states.load(), now).state);
    return lines;
  }

  private async perform(action: DueAction, state: RunState, now: Date): Promise<SessionLine> {
    const line = (a: SessionLine["action"], result: string, message: string, detail?: string): SessionLine => ({
      at: now.toISOString(), action: a, result, message, next: this.describeNext(now), ...(detail ? { detail } : {}),
    });
    if (action.type === "disable") {
      this.states.save(disable(state, action.reason));
      this.onEvent?.({ type: "disable", at: now, reason: action.reason });
      return line("disable", "AutoUpdateOff", `Automatic license update is turned off: ${action.reason}`);
    }
    if (action.type === "check") {
      const r = await this.check(now);
      const autoUpdateAfter = this.states.load().autoUpdate;
      this.onEvent?.({ type: "check", at: now, result: r, autoUpdateAfter });
      const off = autoUpdateAfter ? undefined : "automatic license update turned off";
      return line("check", r.outcome, r.message, [r.detail, off].filter(Boolean).join("; ") || undefined);
    }
    const pendingIndex = action.type === "retry-report" ? action.index : undefined;
    const body = action.type === "retry-report" ? state.pending[action.index].body : this.reportBody(action.type === "monthly-report" ? "monthly" : "weekly", action.period, now);
    const r = await this.sendReport(body, now);
    this.states.save(afterReport(this.states.load(), body, r.kind, now, pendingIndex));
    this.onEvent?.({ type: "report", at: now, body, result: r, retry: pendingIndex !== undefined });
    const what = `${body.kind} report ${body.period} (${body.reportId})`;
    if (r.kind === "stored") {
      const ext = r.answer.licenseExtendedTo ? `; licenseExtendedTo ${r.answer.licenseExtendedTo}` : "";
      return line("report", r.answer.status, `${what} ${r.answer.status}${ext}`, r.answer.licenseExtendedTo ? `licenseExtendedTo ${r.answer.licenseExtendedTo}` : undefined);
    }
    if (r.kind === "refused") return line("report", `Refused${r.status}`, `${what} refused: ${r.detail}`);
    return line("report", "RetryLater", `${what} not delivered, retrying in 60 minutes with the same report id`, r.detail);
  }

  /** "2026-12-10T08:00:00.000Z check", "... disable", or "off". */
  describeNext(now: Date): string {
    const state = this.states.load();
    if (!state.autoUpdate) return "off";
    const n = nextAction(scheduleState(state, this.keys.read().claims), now);
    return n.type === "stopped" ? "off" : `${n.at.toISOString()} ${n.type}`;
  }
}
