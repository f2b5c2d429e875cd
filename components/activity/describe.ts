// How the activity log reads an audit event in words: a label per action, the thing it is about
// (with a link to it), and what changed, field by field, without internal ids.
import { findProduct, findWorkloadType, productLabel } from "@/lib/domain/catalog";
import { formatDate, formatDateTime, formatNumber } from "../ui/format";
import { periodLabel } from "../usage/period-label";

const ACTION_LABEL: Record<string, string> = {
  "license.created": "License created",
  "license.key_issued": "Key version issued",
  "license.auto_reported_on": "Auto Reported License turned on",
  "license.auto_reported_off": "Auto Reported License turned off",
  "license.revoked": "License revoked",
  "license.update_checked": "Update check answered",
  "license.extended": "License extended by a usage report",
  "usage.report_received": "Usage report received from a product server",
  "usage.submitted": "Usage submitted",
  "usage.row_added": "Manual usage row added",
  "usage.row_removed": "Manual usage row removed",
  "usage.rows_copied": "Last month's manual rows copied",
  "usage.row_adjusted": "Reported usage adjusted",
  "case.opened": "Support case opened",
  "case.commented": "Comment added to a case",
  "case.state_changed": "Case state changed",
  "contract.created": "Contract created",
  "contract.ended": "Contract end date set",
  "contract.terminated": "Contract terminated",
  "organization.auto_reporting_enabled": "Automatic license reporting enabled",
  "organization.auto_reporting_disabled": "Automatic license reporting disabled",
  "organization.auto_submit_on": "Automatic usage submission turned on",
  "organization.auto_submit_off": "Automatic usage submission turned off",
  "api_token.created": "API token created",
  "api_token.revoked": "API token revoked",
  "api_token.call": "API call with a token",
  "company.created": "Company created",
  "company.renamed": "Company renamed",
  "company.archived": "Company archived",
  "company.restored": "Company restored",
  "license.company_assigned": "License assigned to a company",
  "license.company_unassigned": "License unassigned from its company",
};

export function actionLabel(action: string): string {
  return ACTION_LABEL[action] ?? action.replace(/[._]/g, " ");
}

export function targetLabel(targetType: string, targetId: string): string {
  if (targetType === "SupportCase") return `Case #${targetId}`;
  if (targetType === "Organization") return "Your organization";
  if (targetType === "License") return targetId;
  if (targetType === "MonthlyReport") return /^\d{4}-\d{2}$/.test(targetId) ? `Usage of ${periodLabel(targetId)}` : "Usage report";
  if (targetType === "Contract") return `Contract ${targetId}`;
  if (targetType === "ApiToken") return `Token "${targetId}"`;
  if (targetType === "ApiRequest") return targetId;
  if (targetType === "Company") return `Company "${targetId}"`;
  return targetType;
}

/** The page of the thing an event is about, or null when it has none. */
export function targetHref(targetType: string, targetId: string): string | null {
  if (targetType === "SupportCase") return `/support/${encodeURIComponent(targetId)}`;
  if (targetType === "License") return `/licenses/${encodeURIComponent(targetId)}`;
  if (targetType === "MonthlyReport" && /^\d{4}-\d{2}$/.test(targetId)) return `/usage/${targetId}`;
  if (targetType === "Organization") return "/settings";
  if (targetType === "Contract") return "/overview";
  if (targetType === "ApiToken") return "/settings/api-tokens";
  if (targetType === "Company") return "/settings/companies";
  return null;
}

const FIELD_LABEL: Record<string, string> = {
  autoReported: "Auto Reported License",
  expirationDate: "Expiration",
  supportExpirationDate: "Support expiration",
  version: "Key version",
  productId: "Product",
  workloadType: "Workload type",
  count: "Workloads",
  newCount: "Workloads",
  points: "Points",
  totalPoints: "Points",
  reason: "Reason",
  state: "State",
  period: "Month",
  summary: "Summary",
  type: "Type",
  severity: "Severity",
  problemArea: "Problem area",
  revoked: "Revoked",
  changedAt: "Changed",
  changedBy: "By",
  case: "Case",
  switchedOff: "Keys switched off",
  from: "From",
  rows: "Rows",
  onTime: "On time",
  extended: "Keys extended",
  byReport: "By report",
  autoReportingEnabled: "Automatic license reporting",
  autoSubmit: "Automatic submission",
  result: "Result",
  workloads: "Workloads",
  startDate: "Start",
  endDate: "End",
  dueDay: "Report due day",
  pointsLimit: "Points limit",
  number: "Number",
  action: "Action",
};

/** Why a key version was issued, in words (KeyVersion.reason). */
const REASON: Record<string, string> = {
  CREATED: "new license", EXTENDED: "extended by a usage report", AUTO_REPORTED_ON: "Auto Reported License turned on",
  AUTO_REPORTED_OFF: "Auto Reported License turned off", WORKLOADS_CHANGED: "workloads changed",
};
const RESULT: Record<string, string> = {
  Success: "new key handed out", NotRequired: "up to date", UnsupportedLicenseType: "unsupported license type",
  ContractTerminated: "contract terminated", InvalidLicense: "invalid license", GenerationFailed: "generation failed",
};

/** Internal references that mean nothing to a reader (row and database ids). */
const HIDDEN = /^(id|.*Id|.*Ref|jti|kid)$/;
const SHOWN_IDS = new Set(["productId", "licenseId", "installationId", "reportId"]);

function value(key: string, v: unknown, context: Record<string, unknown>): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return key === "autoReported" || key === "autoReportingEnabled" || key === "autoSubmit" ? (v ? "on" : "off") : v ? "yes" : "no";
  if (typeof v === "number") return key === "version" ? `v${v}` : formatNumber(v);
  if (Array.isArray(v)) return `${formatNumber(v.length)} ${v.length === 1 ? "item" : "items"}`;
  if (typeof v === "object") return `${formatNumber(Object.keys(v).length)} fields`;
  const s = String(v);
  if (key === "reason" && REASON[s]) return REASON[s];
  if (key === "result" && RESULT[s]) return RESULT[s];
  if (key === "productId") {
    const product = findProduct(s);
    return product ? productLabel(product) : s;
  }
  if (key === "workloadType" && typeof context.productId === "string") return findWorkloadType(context.productId, s)?.name ?? s;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return formatDate(s, "en-US");
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return formatDateTime(s, "en-US", "UTC");
  if (/^\d{4}-\d{2}$/.test(s)) return periodLabel(s);
  return s;
}

/** "Expiration: Jun 3, 2027 → Feb 16, 2027" for each field that changed ("Workloads: 10" when only one side is known), at most `max`. */
export function changes(before: unknown, after: unknown, max = 4): string[] {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    if (HIDDEN.test(key) && !SHOWN_IDS.has(key)) continue;
    const name = FIELD_LABEL[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().replace(/^./, (c) => c.toUpperCase());
    if (key in b && key in a) {
      const from = value(key, b[key], b);
      const to = value(key, a[key], a);
      if (from !== to) out.push(`${name}: ${from} → ${to}`);
    } else out.push(`${name}: ${value(key, key in a ? a[key] : b[key], key in a ? a : b)}`);
  }
  return out.length > max ? [...out.slice(0, max), `and ${out.length - max} more`] : out;
}
