// Companies: a provider's own customers. A license is assigned to one (with a usage type) or to
// none; the monthly report breaks its usage and points down per company.

export const USAGE_TYPES = ["SINGLE_CUSTOMER", "MULTI_CUSTOMER", "INTERNAL"] as const;
export type UsageType = (typeof USAGE_TYPES)[number];

export const USAGE_TYPE_LABEL: Record<UsageType, string> = {
  SINGLE_CUSTOMER: "Single customer",
  MULTI_CUSTOMER: "Multi-customer",
  INTERNAL: "Internal",
};

/** How the report, its CSV and the licenses list name usage and licenses of no company. */
export const UNASSIGNED = "Unassigned";
export const COMPANY_MAX_NAME = 100;
export const COMPANY_MAX_EXTERNAL_ID = 64;

/** Why an assignment is refused, or null: a company needs a usage type, "no company" takes none. */
export function assignmentRefusal(a: { companyId: string | null; usageType: UsageType | null }): string | null {
  if (a.companyId && !a.usageType) return "Choose a usage type for the company's license.";
  if (!a.companyId && a.usageType) return "An unassigned license has no usage type.";
  return null;
}

/** Why a company cannot be archived, or null: never while licenses are assigned to it. */
export function archiveRefusal(assignedLicenses: number): string | null {
  return assignedLicenses > 0
    ? `The company still has ${assignedLicenses} license${assignedLicenses === 1 ? "" : "s"}: assign ${assignedLicenses === 1 ? "it" : "them"} elsewhere first.`
    : null;
}

export interface BreakdownInput {
  companyId: string | null;
  companyName: string | null;
  /** The license the usage is of (null for a manual row): counts the company's licenses. */
  licenseId: string | null;
  usage: number;
  points: number;
}

export interface CompanyBreakdown {
  companyId: string | null;
  name: string;
  licenses: number;
  usage: number;
  points: number;
}

/**
 * Usage and points per company, by name, with "Unassigned" (no company, and manual rows) last.
 * Every input row lands in exactly one group, so the groups' sums are the report's totals.
 */
export function companyBreakdown(rows: readonly BreakdownInput[]): CompanyBreakdown[] {
  const groups = new Map<string, CompanyBreakdown & { ids: Set<string> }>();
  for (const r of rows) {
    const key = r.companyId ?? "";
    const g = groups.get(key) ?? { companyId: r.companyId, name: r.companyId ? (r.companyName ?? r.companyId) : UNASSIGNED, licenses: 0, usage: 0, points: 0, ids: new Set<string>() };
    g.usage += r.usage;
    g.points += r.points;
    if (r.licenseId) g.ids.add(r.licenseId);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map(({ ids, ...g }) => ({ ...g, licenses: ids.size }))
    .sort((a, b) => (a.companyId === null ? 1 : 0) - (b.companyId === null ? 1 : 0) || a.name.localeCompare(b.name));
}
