// Notifications (PRODUCT.md, Notifications and Settings > Webhooks; PRODUCT-API.md, Webhooks):
// which events a state produces, and the rules of webhook delivery. Pure: the services read the
// state and write what these functions decide.
import { endOfDate, type DateString, type Period } from "./dates";
import { EXPIRING_WITHIN_DAYS } from "./licenses";
import { arrivesBy } from "./reporting";
import { DAY_MS } from "./schedule";

/** A period's report is announced as due this many days before its deadline. */
export const PERIOD_DUE_NOTICE_DAYS = 3;
/** A key is announced as expiring this many days before it expires (the EXPIRING state). */
export const KEY_EXPIRING_NOTICE_DAYS = EXPIRING_WITHIN_DAYS;
/** An installation is announced as silent after this many days without an update check or report. */
export const SILENT_INSTALLATION_DAYS = 8;
/** Points above this share of a contract's limit are announced. */
export const NEAR_LIMIT_PERCENT = 90;

/** The event kinds a webhook endpoint can subscribe to (PRODUCT-API.md, fixed). */
export const WEBHOOK_EVENT_TYPES = [
  "license.extended",
  "license.expiring",
  "usage.period_due",
  "usage.period_late",
  "usage.submitted",
  "update_check.failed",
  "case.updated",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The kinds a provider's users are notified of (in the app, and by email unless turned off). */
export const PROVIDER_NOTIFICATION_TYPES = [
  "usage.period_due",
  "usage.period_late",
  "license.expiring",
  "update_check.failed",
  "usage.points_near_limit",
  "case.updated",
] as const;
/** The kinds support staff are notified of. */
export const STAFF_NOTIFICATION_TYPES = ["organization.at_risk"] as const;
export type NotificationType = (typeof PROVIDER_NOTIFICATION_TYPES)[number] | (typeof STAFF_NOTIFICATION_TYPES)[number];
export type EventType = WebhookEventType | NotificationType;

export const NOTIFICATION_TYPE_LABEL: Record<NotificationType, string> = {
  "usage.period_due": "A monthly usage report due in 3 days",
  "usage.period_late": "A monthly usage report late",
  "license.expiring": "A key expiring within 7 days with no successful update check since it was renewed",
  "update_check.failed": "Update checks failing (generation failed, contract terminated, a server silent for 8 days)",
  "usage.points_near_limit": "Points above 90% of a contract's limit",
  "case.updated": "A support case answered or resolved",
  "organization.at_risk": "An organization at risk of suspension",
};

export function isNotificationType(type: string): type is NotificationType {
  return (PROVIDER_NOTIFICATION_TYPES as readonly string[]).includes(type) || (STAFF_NOTIFICATION_TYPES as readonly string[]).includes(type);
}

/**
 * The events of an ended period's report: due from 3 days before its deadline, late once the
 * deadline has passed; none once submitted. A portal that was down catches up: a period past its
 * deadline produces both (each once, by its key).
 */
export function periodEvents(p: { dueAt: Date; submitted: boolean }, now: Date): ("usage.period_due" | "usage.period_late")[] {
  if (p.submitted) return [];
  const out: ("usage.period_due" | "usage.period_late")[] = [];
  if (now.getTime() >= p.dueAt.getTime() - PERIOD_DUE_NOTICE_DAYS * DAY_MS) out.push("usage.period_due");
  if (!arrivesBy(now, p.dueAt)) out.push("usage.period_late");
  return out;
}

export interface ExpiringKeyFacts {
  expirationDate: DateString;
  revoked: boolean;
  /** When its current key version was issued (created, extended, toggled). */
  renewedAt: Date;
  /** The latest update check answered Success or NotRequired, if any. */
  lastSuccessfulCheckAt: Date | null;
}

/**
 * A key that expires within 7 days (not yet expired, not revoked) and that no product server has
 * fetched or confirmed since it was renewed (no successful update check since its current version).
 */
export function keyExpiringUnnoticed(l: ExpiringKeyFacts, now: Date): boolean {
  if (l.revoked) return false;
  const left = endOfDate(l.expirationDate).getTime() - now.getTime();
  if (left < 0 || left > KEY_EXPIRING_NOTICE_DAYS * DAY_MS) return false;
  return !(l.lastSuccessfulCheckAt && l.lastSuccessfulCheckAt.getTime() >= l.renewedAt.getTime());
}

/** Update check answers that mean the key will not be renewed automatically. */
export const FAILING_RESULTS = ["GenerationFailed", "ContractTerminated"] as const;
export function isFailingResult(result: string | null): result is (typeof FAILING_RESULTS)[number] {
  return (FAILING_RESULTS as readonly (string | null)[]).includes(result);
}

/** An installation that has not been heard from for 8 days (its last update check or report). */
export function installationSilent(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SILENT_INSTALLATION_DAYS * DAY_MS;
}

/** Points above 90% of a contract's limit (a contract without a limit never). */
export function nearPointsLimit(points: number, limit: number | null): boolean {
  return limit !== null && limit > 0 && points * 100 > limit * NEAR_LIMIT_PERCENT;
}

/** The keys that make each event happen once. */
export const eventKeys = {
  periodDue: (organizationId: string, period: Period) => `usage.period_due:${organizationId}:${period}`,
  periodLate: (organizationId: string, period: Period) => `usage.period_late:${organizationId}:${period}`,
  submitted: (organizationId: string, period: Period) => `usage.submitted:${organizationId}:${period}`,
  expiring: (licenseRef: string, expirationDate: DateString) => `license.expiring:${licenseRef}:${expirationDate}`,
  checkFailed: (licenseRef: string, result: string, since: Date) => `update_check.failed:${licenseRef}:${result}:${since.toISOString()}`,
  silent: (installationRef: string, lastSeenAt: Date) => `update_check.failed:silent:${installationRef}:${lastSeenAt.toISOString()}`,
  nearLimit: (contractId: string, period: Period) => `usage.points_near_limit:${contractId}:${period}`,
  caseUpdated: (caseId: string, commentId: string) => `case.updated:${caseId}:${commentId}`,
  atRisk: (organizationId: string, period: Period) => `organization.at_risk:${organizationId}:${period}`,
};

// Webhook delivery (PRODUCT-API.md, Webhooks).

/** A delivery is an answer 2xx within this time. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The delays before each retry after the first attempt: about 1 min, 5 min, 30 min, 2 h, 8 h, 24 h. */
export const WEBHOOK_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 8 * 3_600_000, 24 * 3_600_000] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** When to try again after `attempts` failed attempts, the last at `at`; null: failed for good. */
export function nextWebhookAttempt(attempts: number, at: Date): Date | null {
  if (attempts < 1 || attempts >= WEBHOOK_MAX_ATTEMPTS) return null;
  return new Date(at.getTime() + WEBHOOK_RETRY_DELAYS_MS[attempts - 1]);
}

export function isDelivered(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

export interface AddressPolicy {
  /** The test clock is on: only 127.0.0.1 may be called (tests never send anywhere else). */
  testMode: boolean;
  /** Configuration allows private, link-local and loopback addresses (PULSE_WEBHOOK_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
}

function ipv4Bytes(a: string): number[] | null {
  const parts = a.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** An IPv6 address as 8 groups of 16 bits (an embedded IPv4 tail becomes the last two), or null. */
function ipv6Groups(a: string): number[] | null {
  let s = a.toLowerCase().split("%")[0];
  const lastColon = s.lastIndexOf(":");
  if (lastColon < 0) return null;
  const tail = s.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = ipv4Bytes(tail);
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === "" ? [] : h.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if ([...head, ...rest].some(Number.isNaN)) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const fill = 8 - head.length - rest.length;
  return fill >= 1 ? [...head, ...Array<number>(fill).fill(0), ...rest] : null;
}

function ipv4Category(b: number[]): "loopback" | "private" | "link-local" | "reserved" | "public" {
  const [x, y] = b;
  if (x === 127) return "loopback";
  if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127)) return "private";
  if (x === 169 && y === 254) return "link-local";
  if (x === 0 || x >= 224 || (x === 192 && y === 0 && b[2] === 0) || (x === 198 && (y === 18 || y === 19))) return "reserved";
  return "public";
}

function ipv6Category(g: number[]): ReturnType<typeof ipv4Category> {
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(7) && g[7] === 1) return "loopback";
  if (zeros(8)) return "reserved";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible and NAT64 (64:ff9b::/96) addresses: their IPv4 address decides.
  const v4 = [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255];
  if ((zeros(5) && g[5] === 0xffff) || zeros(6) || (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))) return ipv4Category(v4);
  if ((g[0] & 0xfe00) === 0xfc00) return "private";
  if ((g[0] & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0] & 0xff00) === 0xff00 || (g[0] === 0x2001 && g[1] === 0xdb8)) return "reserved";
  return "public";
}

/**
 * Whether the portal may send a webhook to this resolved address, and if not why (no request
 * forgery into the portal's own network): private, link-local, loopback and reserved addresses
 * are refused unless configured; with the test clock on, nothing but 127.0.0.1.
 */
export function addressRefusal(address: string, policy: AddressPolicy): string | null {
  const v4 = ipv4Bytes(address);
  const v6 = v4 ? null : ipv6Groups(address);
  if (!v4 && !v6) return `"${address}" is not an IP address.`;
  if (policy.testMode) return address === "127.0.0.1" ? null : `Only 127.0.0.1 may be called while the test clock is on (got ${address}).`;
  const category = v4 ? ipv4Category(v4) : ipv6Category(v6!);
  if (category === "public") return null;
  if (category === "reserved") return `${address} is a reserved address.`;
  return policy.allowPrivate ? null : `${address} is a ${category} address: webhooks go to public addresses only.`;
}

/**
 * A webhook URL's refusal, before any name is resolved: HTTPS only (HTTP to 127.0.0.1 with the
 * test clock on), no credentials in it, and an IP literal host must pass addressRefusal.
 */
export function webhookUrlRefusal(raw: string, policy: AddressPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, starting with https://.";
  }
  if (url.username || url.password) return "The URL must not contain a user name or password.";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol === "http:") {
    if (!(policy.testMode && host === "127.0.0.1")) return "Only HTTPS URLs are allowed.";
  } else if (url.protocol !== "https:") return "Only HTTPS URLs are allowed.";
  if (host === "localhost" || host.endsWith(".localhost")) return policy.allowPrivate || policy.testMode ? null : "localhost is not allowed: webhooks go to public addresses only.";
  if (ipv4Bytes(host) || ipv6Groups(host)) return addressRefusal(host, policy);
  if (policy.testMode) return "Only 127.0.0.1 may be called while the test clock is on.";
  return null;
}
