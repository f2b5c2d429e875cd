import { CASE_STATE_LABEL, SEVERITY_LABEL, type CaseState, type Severity } from "@/lib/domain/support-cases";
import { Badge } from "../ui/badge";

const STATE_TONE = { OPEN: "blue", IN_PROGRESS: "amber", RESOLVED: "green", CLOSED: "neutral" } as const;

export function CaseStateBadge({ state }: { state: CaseState }) {
  return <Badge tone={STATE_TONE[state]}>{CASE_STATE_LABEL[state]}</Badge>;
}

export function severityLabel(severity: number): string {
  return SEVERITY_LABEL[severity as Severity] ?? String(severity);
}
