// How the activity log reads an audit event: a label per action, and what changed.
const ACTION_LABEL: Record<string, string> = {
  "license.created": "License created",
  "license.key_issued": "Key version issued",
  "license.auto_reported_on": "Auto Reported License turned on",
  "license.auto_reported_off": "Auto Reported License turned off",
  "license.revoked": "License revoked",
  "license.update_checked": "Update check answered",
  "usage.report_received": "Usage report received from a product server",
  "usage.submitted": "Usage submitted",
  "usage.row_added": "Manual usage row added",
  "usage.row_removed": "Manual usage row removed",
  "usage.row_adjusted": "Reported usage adjusted",
  "license.extended": "License extended by a usage report",
  "case.opened": "Support case opened",
  "case.commented": "Comment added to a case",
  "case.state_changed": "Case state changed",
  "organization.auto_reporting_enabled": "Automatic license reporting enabled",
  "organization.auto_reporting_disabled": "Automatic license reporting disabled",
};

export function actionLabel(action: string): string {
  return ACTION_LABEL[action] ?? action;
}

export function targetLabel(targetType: string, targetId: string): string {
  if (targetType === "SupportCase") return `Case #${targetId}`;
  if (targetType === "Organization") return "Your organization";
  if (targetType === "License") return targetId;
  if (targetType === "MonthlyReport") return `Usage of ${targetId}`;
  return `${targetType} ${targetId}`;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** "key: before → after" for each field that changed (or "key: value" when only the after is known), at most `max`. */
export function changes(before: unknown, after: unknown, max = 4): string[] {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    if (key in b && key in a) {
      if (show(b[key]) !== show(a[key])) out.push(`${key}: ${show(b[key])} → ${show(a[key])}`);
    } else out.push(`${key}: ${show(key in a ? a[key] : b[key])}`);
  }
  return out.length > max ? [...out.slice(0, max), `and ${out.length - max} more`] : out;
}
