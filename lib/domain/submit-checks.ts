// Checks before Submit (DOMAIN-RULES.md, Monthly usage) [decision]: shown on the report and to
// support staff, never blocking. Each says what to look at.
import type { Period } from "./dates";

/** A monthly figure further than this from the highest weekly count (as a share of it) is flagged. */
export const MONTHLY_WEEKLY_TOLERANCE = 0.2;

export type SubmitCheckKind = "MONTHLY_DIFFERS" | "SILENT_INSTALLATION" | "NO_USAGE" | "OVER_LIMIT";

export interface SubmitCheck {
  kind: SubmitCheckKind;
  /** The license it is about (none for a contract's limit). */
  licenseId: string | null;
  message: string;
}

export interface CheckFacts {
  period: Period;
  /** The period's auto-reported licenses. */
  licenses: {
    licenseId: string;
    /** Per installation that reported in P: its highest weekly count and its monthly figure per workload type. */
    installations: { installationId: string; weekly: Map<string, number>; monthly: Map<string, number> | null }[];
    /** Installations of the license that reported in the period before P. */
    reportedBefore: string[];
  }[];
  /** Points per contract in the report, with its limit. */
  contracts: { number: string; points: number; pointsLimit: number | null }[];
}

export function submitChecks(f: CheckFacts): SubmitCheck[] {
  const checks: SubmitCheck[] = [];
  for (const l of f.licenses) {
    if (l.installations.length === 0) {
      checks.push({ kind: "NO_USAGE", licenseId: l.licenseId, message: `${l.licenseId}: no usage was reported for ${f.period}. Check that its backup servers report, or adjust its counts.` });
    }
    for (const i of l.installations) {
      if (!i.monthly) continue;
      for (const [type, monthly] of i.monthly) {
        const weekly = i.weekly.get(type);
        if (weekly === undefined) continue;
        if (Math.abs(monthly - weekly) > MONTHLY_WEEKLY_TOLERANCE * weekly) {
          checks.push({
            kind: "MONTHLY_DIFFERS",
            licenseId: l.licenseId,
            message: `${l.licenseId}: installation ${i.installationId} reported ${monthly} ${type} for the month but at most ${weekly} in its weekly reports (more than ${MONTHLY_WEEKLY_TOLERANCE * 100}% apart). The month's figure is the one counted.`,
          });
        }
      }
    }
    const now = new Set(l.installations.map((i) => i.installationId));
    for (const silent of l.reportedBefore.filter((id) => !now.has(id)).sort()) {
      checks.push({
        kind: "SILENT_INSTALLATION",
        licenseId: l.licenseId,
        message: `${l.licenseId}: installation ${silent} reported last month but not in ${f.period}. Has the server gone silent, or was it retired?`,
      });
    }
  }
  for (const c of f.contracts) {
    if (c.pointsLimit !== null && c.points > c.pointsLimit) {
      checks.push({ kind: "OVER_LIMIT", licenseId: null, message: `Contract ${c.number}: ${c.points} points, above its limit of ${c.pointsLimit}.` });
    }
  }
  return checks;
}
