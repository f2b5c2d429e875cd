// The rules of support cases (DOMAIN-RULES.md, "Support cases"): the fields a provider fills in,
// the states and which moves between them are allowed, and what a provider comment does.

export const CASE_TYPES = ["GENERAL_INQUIRY", "TECHNICAL", "LICENSING"] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_TYPE_LABEL: Record<CaseType, string> = {
  GENERAL_INQUIRY: "General Inquiry",
  TECHNICAL: "Technical",
  LICENSING: "Licensing",
};

export const PROBLEM_AREAS = [
  "VCSP_PULSE",
  "VEEAM_BACKUP_AND_REPLICATION",
  "VEEAM_ONE",
  "VEEAM_SERVICE_PROVIDER_CONSOLE",
  "LICENSING",
  "OTHER",
] as const;
export type ProblemArea = (typeof PROBLEM_AREAS)[number];
export const PROBLEM_AREA_LABEL: Record<ProblemArea, string> = {
  VCSP_PULSE: "VCSP Pulse",
  VEEAM_BACKUP_AND_REPLICATION: "Veeam Backup & Replication",
  VEEAM_ONE: "Veeam ONE",
  VEEAM_SERVICE_PROVIDER_CONSOLE: "Veeam Service Provider Console",
  LICENSING: "Licensing",
  OTHER: "Other",
};

export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];
export const DEFAULT_SEVERITY: Severity = 3;
export const SEVERITY_LABEL: Record<Severity, string> = { 1: "1 · Critical", 2: "2 · High", 3: "3 · Medium", 4: "4 · Low" };

export const MAX_SUMMARY = 200;
export const MAX_DESCRIPTION = 10_000;
export const MAX_COMMENT = 10_000;

export const CASE_STATES = ["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const CASE_STATE_LABEL: Record<CaseState, string> = { OPEN: "Open", IN_PROGRESS: "In progress", RESOLVED: "Resolved", CLOSED: "Closed" };

/** The states in which a case still waits for support: the "open cases" that are counted. */
export const OPEN_CASE_STATES: readonly CaseState[] = ["OPEN", "IN_PROGRESS"];
export const isOpenCase = (state: CaseState) => OPEN_CASE_STATES.includes(state);

/**
 * The states support staff may move a case to from `from`: forward along
 * OPEN -> IN_PROGRESS -> RESOLVED -> CLOSED, skipping steps allowed [decision]; a resolved case
 * may go back to IN_PROGRESS [decision]; CLOSED is final.
 */
export function staffNextStates(from: CaseState): CaseState[] {
  switch (from) {
    case "OPEN":
      return ["IN_PROGRESS", "RESOLVED", "CLOSED"];
    case "IN_PROGRESS":
      return ["RESOLVED", "CLOSED"];
    case "RESOLVED":
      return ["IN_PROGRESS", "CLOSED"];
    case "CLOSED":
      return [];
  }
}

/** Why support staff cannot move a case from `from` to `to`, or null when they can (or it is already there). */
export function stateChangeRefusal(from: CaseState, to: CaseState): string | null {
  if (from === to) return null;
  if (staffNextStates(from).includes(to)) return null;
  if (from === "CLOSED") return "The case is closed; a closed case cannot change state.";
  return `A case cannot go from ${CASE_STATE_LABEL[from]} back to ${CASE_STATE_LABEL[to]}.`;
}

/**
 * What a provider's comment does to the case: on a resolved case it reopens it (OPEN); a closed
 * case takes no more comments [decision]: the provider opens a new case.
 */
export function stateAfterProviderComment(state: CaseState): { state: CaseState } | { refusal: string } {
  if (state === "CLOSED") return { refusal: "This case is closed and takes no more comments. Open a new case instead." };
  return { state: state === "RESOLVED" ? "OPEN" : state };
}

/** Staff may reply on any case but a closed one. */
export function staffCommentRefusal(state: CaseState): string | null {
  return state === "CLOSED" ? "This case is closed and takes no more comments." : null;
}

/** The summary of the case that asks for automatic license reporting (the prefilled request). */
export const AUTO_REPORTING_REQUEST_SUMMARY = "Please enable automatic license reporting";

/** Whether a case asks support to enable automatic license reporting. */
export function asksForAutoReporting(c: { problemArea: string; summary: string }): boolean {
  return c.problemArea === "VCSP_PULSE" && /automatic license reporting/i.test(c.summary);
}
