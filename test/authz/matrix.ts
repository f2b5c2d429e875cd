// The authorization matrix: every route file of app/ (routes.ts) times every caller, each with
// the status it must answer. test/production/authz.prod.test.ts sends every cell to the
// production build; test/authz/coverage.int.test.ts fails when a route file has no entry here, an
// entry names a file or method that no longer exists, or a cell refuses a caller without one
// allowed caller on the same route and method (a broken set-up cannot pass by refusing everyone).
//
// Ids are those of the demo data (Acme is the own organization: Alice its admin, Victor its
// viewer; Globex is the other: Bob its admin; Sam is support staff), plus what the test creates
// first as Alice (a case, a company, tokens, webhook endpoints) and a notice and a webhook
// delivery it writes into the database.
import type { Method } from "./routes";

export const CALLERS = [
  "anonymous", // no cookie, no token
  "admin", // Alice, PROVIDER_ADMIN of Acme
  "viewer", // Victor, PROVIDER_VIEWER of Acme
  "otherAdmin", // Bob, PROVIDER_ADMIN of Globex, on Acme's ids
  "staff", // Sam, SUPPORT_STAFF
  "readToken", // an Acme API token of scope read (Authorization: Bearer)
  "adminToken", // an Acme API token of scope admin
  "otherKey", // Globex's license key: in the body for the product API, as a Bearer elsewhere
  "crossOrigin", // the route's allowed session user (Alice, or Sam on staff routes) with Origin: https://evil.example
] as const;
export type Caller = (typeof CALLERS)[number];

export interface Ids {
  acmeOrganizationId: string;
  /** Acme's license read, downloaded and assigned. */
  license: string;
  /** Acme's license that the admin's allowed Revoke revokes. */
  revokeLicense: string;
  caseNumber: number;
  companyId: string;
  /** Acme's contract. */
  contract: string;
  /** An Acme contract created for the staff's allowed PATCH (ends it). */
  staffContract: string;
  /** An Acme API token for the admin's allowed DELETE. */
  tokenToDelete: string;
  endpointId: string;
  /** An Acme webhook endpoint for the admin's allowed DELETE. */
  endpointToDelete: string;
  deliveryId: string;
  noticeId: string;
  /** Acme's open period (the month that just ended). */
  period: string;
  /** A manual row of that period, for the admin's allowed DELETE. */
  rowId: string;
  /** The current month (product usage reports). */
  currentPeriod: string;
  /** An unsubscribe link's token of Alice. */
  unsubscribeToken: string;
  /** Globex's license key (the otherKey caller). */
  otherKey: string;
  /** A key with a valid shape and a wrong signature (what every caller but otherKey sends to the product API). */
  forgedKey: string;
  /** An unused report id per call. */
  reportId(): string;
}

/** A status, or "login": a redirect (307) to /login, as a signed-out visit to a page gets. */
export type Expected = number | "login";

export interface Cell {
  path: (ids: Ids) => string;
  /** The JSON body; `key` is the license key the caller sends (product API). */
  body?: (ids: Ids, key: string) => unknown;
  expect: Record<Caller, Expected>;
  /** Who sends the crossOrigin call (default admin). */
  crossOriginAs?: "admin" | "staff";
  /** The allowed calls run one by one in this order (default 0) after every refused call: a revoke or delete comes last. */
  order?: number;
}

export interface Entry {
  /** The methods the route file exports (a page: GET). Every other method answers `unexported` (default 405). */
  methods: Partial<Record<Method, Cell>>;
  unexported?: number;
  /** Every caller is refused on purpose (the test clock without PULSE_TEST_CLOCK=1): exempt from pairing. */
  refusedToAll?: string;
}

type Path = (ids: Ids) => string;
type Body = Cell["body"];
type Opts = { viewer?: Expected; other?: Expected; body?: Body; order?: number };
const WRITE = 403; // the Origin check

const isWrite = (m: Method) => m !== "GET";

/** providerRoute: a signed-in Acme user; staff 404; tokens and keys 401. */
function provider(method: Method, path: Path, ok: number, o: Opts = {}): Cell {
  return {
    path, body: o.body, order: o.order,
    expect: {
      anonymous: 401, admin: ok, viewer: o.viewer ?? ok, otherAdmin: o.other ?? 404, staff: 404,
      readToken: 401, adminToken: 401, otherKey: 401, crossOrigin: isWrite(method) ? WRITE : ok,
    },
  };
}

/** portalRoute (stable endpoints): a session as provider(), or an Acme API token of a scope. */
function portal(method: Method, path: Path, ok: number, o: Opts & { readToken?: Expected } = {}): Cell {
  const c = provider(method, path, ok, o);
  return { ...c, expect: { ...c.expect, readToken: o.readToken ?? (method === "GET" ? ok : 403), adminToken: ok } };
}

/** userRoute: any signed-in person's own things (staff too). */
function user(method: Method, path: Path, ok: number, o: Opts = {}): Cell {
  return {
    path, body: o.body,
    expect: {
      anonymous: 401, admin: ok, viewer: ok, otherAdmin: ok, staff: ok,
      readToken: 401, adminToken: 401, otherKey: 401, crossOrigin: isWrite(method) ? WRITE : ok,
    },
  };
}

/** staffRoute: support staff only; providers 404. */
function staff(method: Method, path: Path, ok: number, o: Opts = {}): Cell {
  return {
    path, body: o.body, order: o.order, crossOriginAs: "staff",
    expect: {
      anonymous: 401, admin: 404, viewer: 404, otherAdmin: 404, staff: ok,
      readToken: 401, adminToken: 401, otherKey: 401, crossOrigin: isWrite(method) ? WRITE : ok,
    },
  };
}

/** A route anyone may call, with the same answer for all. */
function open(path: Path, status: number, body?: Body): Cell {
  return { path, body, expect: Object.fromEntries(CALLERS.map((c) => [c, status])) as Record<Caller, Expected> };
}

/** The product API: authenticated by the key in the body only; a session, a token or a forged key is 401. */
function product(path: Path, ok: number, body: Body): Cell {
  const c = open(path, 401, body);
  return { ...c, expect: { ...c.expect, otherKey: ok } };
}

/** A provider page: signed out to /login, staff 404. */
function providerPage(path: Path, o: { other?: Expected; viewer?: Expected } = {}): Cell {
  return {
    path,
    expect: {
      anonymous: "login", admin: 200, viewer: o.viewer ?? 200, otherAdmin: o.other ?? 200, staff: 404,
      readToken: "login", adminToken: "login", otherKey: "login", crossOrigin: 200,
    },
  };
}

/** A staff page: signed out to /login, providers 404. */
function staffPage(path: Path): Cell {
  return {
    path, crossOriginAs: "staff",
    expect: {
      anonymous: "login", admin: 404, viewer: 404, otherAdmin: 404, staff: 200,
      readToken: "login", adminToken: "login", otherKey: "login", crossOrigin: 200,
    },
  };
}

const lic = (i: Ids) => `/api/portal/licenses/${i.license}`;
const usage = (i: Ids) => `/api/portal/usage/${i.period}`;
const kase = (i: Ids) => `/api/portal/cases/${i.caseNumber}`;
const staffCase = (i: Ids) => `/api/staff/cases/${i.caseNumber}`;
const fixed = (p: string): Path => () => p;

export const MATRIX: Record<string, Entry> = {
  // ---- pages ----------------------------------------------------------------------------------
  "app/(auth)/login/page.tsx": {
    methods: {
      GET: {
        path: fixed("/login"),
        // Signed in already: on to the home page.
        expect: { anonymous: 200, admin: 307, viewer: 307, otherAdmin: 307, staff: 307, readToken: 200, adminToken: 200, otherKey: 200, crossOrigin: 307 },
      },
    },
  },
  "app/page.tsx": {
    methods: {
      GET: {
        path: fixed("/"),
        // Signed in: to the overview (providers) or the case queue (staff), a redirect either way.
        expect: { anonymous: "login", admin: 307, viewer: 307, otherAdmin: 307, staff: 307, readToken: "login", adminToken: "login", otherKey: "login", crossOrigin: 307 },
      },
    },
  },
  "app/(portal)/activity/page.tsx": { methods: { GET: providerPage(fixed("/activity")) } },
  "app/(portal)/licenses/page.tsx": { methods: { GET: providerPage(fixed("/licenses")) } },
  "app/(portal)/licenses/[licenseId]/page.tsx": { methods: { GET: providerPage((i) => `/licenses/${i.license}`, { other: 404 }) } },
  // A viewer gets the page with a notice that only admins create keys (no form); the API refuses.
  "app/(portal)/licenses/new/page.tsx": { methods: { GET: providerPage(fixed("/licenses/new")) } },
  "app/(portal)/notifications/page.tsx": { methods: { GET: providerPage(fixed("/notifications")) } },
  "app/(portal)/overview/page.tsx": { methods: { GET: providerPage(fixed("/overview")) } },
  "app/(portal)/settings/page.tsx": { methods: { GET: providerPage(fixed("/settings")) } },
  "app/(portal)/settings/api-tokens/page.tsx": { methods: { GET: providerPage(fixed("/settings/api-tokens")) } },
  "app/(portal)/settings/companies/page.tsx": { methods: { GET: providerPage(fixed("/settings/companies")) } },
  "app/(portal)/settings/notifications/page.tsx": { methods: { GET: providerPage(fixed("/settings/notifications")) } },
  "app/(portal)/settings/webhooks/page.tsx": { methods: { GET: providerPage(fixed("/settings/webhooks")) } },
  "app/(portal)/support/page.tsx": { methods: { GET: providerPage(fixed("/support")) } },
  "app/(portal)/support/[number]/page.tsx": { methods: { GET: providerPage((i) => `/support/${i.caseNumber}`, { other: 404 }) } },
  // Likewise: a viewer sees that only admins open cases.
  "app/(portal)/support/new/page.tsx": { methods: { GET: providerPage(fixed("/support/new")) } },
  "app/(portal)/usage/page.tsx": { methods: { GET: providerPage(fixed("/usage")) } },
  "app/(portal)/usage/[period]/page.tsx": { methods: { GET: providerPage((i) => `/usage/${i.period}`) } },
  "app/(staff)/staff/cases/page.tsx": { methods: { GET: staffPage(fixed("/staff/cases")) } },
  "app/(staff)/staff/cases/[number]/page.tsx": { methods: { GET: staffPage((i) => `/staff/cases/${i.caseNumber}`) } },
  "app/(staff)/staff/notifications/page.tsx": { methods: { GET: staffPage(fixed("/staff/notifications")) } },
  "app/(staff)/staff/organizations/page.tsx": { methods: { GET: staffPage(fixed("/staff/organizations")) } },
  "app/docs/api/page.tsx": { methods: { GET: open(fixed("/docs/api"), 200) } },
  "app/docs/api/portal/page.tsx": { methods: { GET: open(fixed("/docs/api/portal"), 200) } },
  "app/unsubscribe/page.tsx": { methods: { GET: open((i) => `/unsubscribe?token=${encodeURIComponent(i.unsubscribeToken)}`, 200) } },

  // ---- public API -----------------------------------------------------------------------------
  "app/.well-known/jwks.json/route.ts": { methods: { GET: open(fixed("/.well-known/jwks.json"), 200) } },
  "app/api/health/route.ts": { methods: { GET: open(fixed("/api/health"), 200) } },
  "app/api/portal/openapi.json/route.ts": { methods: { GET: open(fixed("/api/portal/openapi.json"), 200) } },
  "app/api/v1/openapi.json/route.ts": { methods: { GET: open(fixed("/api/v1/openapi.json"), 200) } },
  "app/api/auth/[...nextauth]/route.ts": {
    methods: {
      GET: open(fixed("/api/auth/providers"), 200),
      // Signing out without next-auth's CSRF token: next-auth sends the browser to its sign-out
      // confirmation (a redirect), whoever asks; it changes nothing.
      POST: open(fixed("/api/auth/signout"), 302, () => ({})),
    },
  },
  "app/api/test/clock/route.ts": {
    // Without PULSE_TEST_CLOCK=1 the test clock does not exist: 404 to every method.
    methods: { GET: open(fixed("/api/test/clock"), 404), PUT: open(fixed("/api/test/clock"), 404, () => ({ now: "2030-01-01T00:00:00Z" })), DELETE: open(fixed("/api/test/clock"), 404) },
    unexported: 404,
    refusedToAll: "the test clock exists only with PULSE_TEST_CLOCK=1",
  },
  "app/api/unsubscribe/route.ts": {
    // The mail's one-click link (RFC 8058): the signed token is the authority, from any origin.
    methods: { POST: open((i) => `/api/unsubscribe?token=${encodeURIComponent(i.unsubscribeToken)}`, 200) },
  },

  // ---- product API ----------------------------------------------------------------------------
  "app/api/v1/license/update/route.ts": {
    methods: { POST: product(fixed("/api/v1/license/update"), 200, (_i, key) => ({ licenseKey: key, installationId: "authz-install-01", productVersion: "13.0.1.1071" })) },
  },
  "app/api/v1/usage/reports/route.ts": {
    methods: {
      POST: product(fixed("/api/v1/usage/reports"), 201, (i, key) => ({
        licenseKey: key, installationId: "authz-install-01", reportId: i.reportId(), kind: "weekly", period: i.currentPeriod,
        collectedAt: new Date(Date.now() - 60_000).toISOString(), workloads: [{ type: "VBR_VM", count: 1 }],
      })),
    },
  },

  // ---- portal API -----------------------------------------------------------------------------
  "app/api/portal/activity/route.ts": { methods: { GET: provider("GET", fixed("/api/portal/activity"), 200, { other: 200 }) } },
  "app/api/portal/cases/route.ts": {
    methods: {
      GET: provider("GET", fixed("/api/portal/cases"), 200, { other: 200 }),
      POST: provider("POST", fixed("/api/portal/cases"), 201, {
        viewer: 403, other: 201,
        body: () => ({ type: "TECHNICAL", problemArea: "LICENSING", severity: 4, summary: "authz matrix", description: "" }),
      }),
    },
  },
  "app/api/portal/cases/[number]/route.ts": { methods: { GET: provider("GET", kase, 200) } },
  "app/api/portal/cases/[number]/comments/route.ts": {
    methods: { POST: provider("POST", (i) => `${kase(i)}/comments`, 201, { viewer: 403, body: () => ({ body: "authz matrix comment" }) }) },
  },
  "app/api/portal/companies/route.ts": {
    methods: {
      GET: provider("GET", fixed("/api/portal/companies"), 200, { other: 200 }),
      POST: provider("POST", fixed("/api/portal/companies"), 201, { viewer: 403, other: 201, body: () => ({ name: `Matrix ${Math.random().toString(36).slice(2)}` }) }),
    },
  },
  "app/api/portal/companies/[id]/route.ts": {
    methods: { PATCH: provider("PATCH", (i) => `/api/portal/companies/${i.companyId}`, 200, { viewer: 403, body: () => ({ externalId: "AUTHZ-1" }) }) },
  },
  "app/api/portal/contracts/[number]/route.ts": { methods: { GET: provider("GET", (i) => `/api/portal/contracts/${i.contract}`, 200) } },
  "app/api/portal/licenses/route.ts": {
    methods: {
      GET: portal("GET", fixed("/api/portal/licenses"), 200, { other: 200 }),
      POST: provider("POST", fixed("/api/portal/licenses"), 201, {
        viewer: 403,
        // Acme's contract: Bob (Globex) is told the contract is not his (400 on the contract field).
        other: 400,
        body: () => ({ contractNumber: "02553275", productId: "VB365", autoReported: false, expirationDate: daysFromNow(30), workloads: [{ type: "VB365_User", count: 3 }] }),
      }),
    },
  },
  "app/api/portal/licenses/[licenseId]/route.ts": {
    methods: {
      GET: provider("GET", lic, 200),
      // Acme has no automatic license reporting, so turning it off is the change allowed.
      PATCH: portal("PATCH", lic, 200, { viewer: 403, body: () => ({ autoReported: false }) }),
    },
  },
  "app/api/portal/licenses/[licenseId]/company/route.ts": {
    methods: { PUT: provider("PUT", (i) => `${lic(i)}/company`, 200, { viewer: 403, body: (i) => ({ companyId: i.companyId, usageType: "INTERNAL" }) }) },
  },
  "app/api/portal/licenses/[licenseId]/key/route.ts": {
    // Decided (SECURITY.md): a viewer's session sees key versions but downloads no key file (a key
    // is a product credential); a read token may, as PRODUCT-API.md lists the key among its GETs.
    methods: { GET: portal("GET", (i) => `${lic(i)}/key`, 200, { viewer: 403 }) },
  },
  "app/api/portal/licenses/[licenseId]/revoke/route.ts": {
    methods: { POST: provider("POST", (i) => `/api/portal/licenses/${i.revokeLicense}/revoke`, 200, { viewer: 403, order: 9 }) },
  },
  "app/api/portal/notices/route.ts": { methods: { GET: provider("GET", fixed("/api/portal/notices"), 200, { other: 200 }) } },
  "app/api/portal/notices/[noticeId]/dismiss/route.ts": {
    // Any user of the organization (viewers too) dismisses a notice for themselves.
    methods: { POST: provider("POST", (i) => `/api/portal/notices/${i.noticeId}/dismiss`, 200) },
  },
  "app/api/portal/notifications/route.ts": { methods: { GET: user("GET", fixed("/api/portal/notifications"), 200) } },
  "app/api/portal/notifications/read/route.ts": { methods: { POST: user("POST", fixed("/api/portal/notifications/read"), 200, { body: () => ({ all: true }) }) } },
  "app/api/portal/settings/notifications/route.ts": {
    methods: { GET: user("GET", fixed("/api/portal/settings/notifications"), 200), PUT: user("PUT", fixed("/api/portal/settings/notifications"), 200, { body: () => ({ digest: false }) }) },
  },
  "app/api/portal/settings/usage-submission/route.ts": {
    methods: { PUT: provider("PUT", fixed("/api/portal/settings/usage-submission"), 200, { viewer: 403, other: 200, body: () => ({ autoSubmit: false }) }) },
  },
  "app/api/portal/tokens/route.ts": {
    methods: {
      GET: provider("GET", fixed("/api/portal/tokens"), 200, { other: 200 }),
      POST: provider("POST", fixed("/api/portal/tokens"), 201, { viewer: 403, other: 201, body: () => ({ name: "authz matrix", scope: "read", expiresInDays: 1 }) }),
    },
  },
  "app/api/portal/tokens/[id]/route.ts": {
    methods: { DELETE: provider("DELETE", (i) => `/api/portal/tokens/${i.tokenToDelete}`, 204, { viewer: 403, order: 9 }) },
  },
  "app/api/portal/usage/route.ts": { methods: { GET: provider("GET", fixed("/api/portal/usage"), 200, { other: 200 }) } },
  "app/api/portal/usage/history/route.ts": { methods: { GET: provider("GET", fixed("/api/portal/usage/history"), 200, { other: 200 }) } },
  "app/api/portal/usage/[period]/route.ts": {
    // A period is every organization's: Bob sees Globex's report of the same month.
    methods: { GET: provider("GET", usage, 200, { other: 200 }) },
  },
  "app/api/portal/usage/[period]/export/route.ts": { methods: { GET: provider("GET", (i) => `${usage(i)}/export`, 200, { other: 200 }) } },
  "app/api/portal/usage/[period]/adjustments/route.ts": {
    // Globex's auto-reported license in each caller's own report of the period: Bob adjusts his
    // row; Alice is told that no such row is in Acme's report (404), so is Victor's viewer role
    // refused first (403).
    methods: {
      PUT: provider("PUT", (i) => `${usage(i)}/adjustments`, 404, {
        viewer: 403, other: 200,
        body: () => ({ licenseId: "LIC-GLBX1-00001", workloadType: "VBR_VM", count: 290, reason: "authz matrix" }),
      }),
    },
  },
  "app/api/portal/usage/[period]/rows/route.ts": {
    methods: { POST: provider("POST", (i) => `${usage(i)}/rows`, 201, { viewer: 403, other: 201, order: 1, body: () => ({ productId: "VONE", workloadType: "VONE_VM", count: 2 }) }) },
  },
  "app/api/portal/usage/[period]/rows/[rowId]/route.ts": {
    methods: { DELETE: provider("DELETE", (i) => `${usage(i)}/rows/${i.rowId}`, 200, { viewer: 403, order: 5 }) },
  },
  "app/api/portal/usage/[period]/rows/copy-previous/route.ts": {
    methods: { // Globex's previous month has no manual rows to copy (422 for Bob, a business answer).
    POST: provider("POST", (i) => `${usage(i)}/rows/copy-previous`, 201, { viewer: 403, other: 422 }) },
  },
  "app/api/portal/usage/[period]/submit/route.ts": {
    methods: { POST: provider("POST", (i) => `${usage(i)}/submit`, 200, { viewer: 403, other: 200, order: 10 }) },
  },
  "app/api/portal/webhooks/route.ts": {
    methods: {
      GET: provider("GET", fixed("/api/portal/webhooks"), 200, { other: 200 }),
      POST: provider("POST", fixed("/api/portal/webhooks"), 201, { viewer: 403, other: 201, body: () => ({ url: "https://127.0.0.1:9/authz", types: ["case.updated"] }) }),
    },
  },
  "app/api/portal/webhooks/[endpointId]/route.ts": {
    methods: { DELETE: provider("DELETE", (i) => `/api/portal/webhooks/${i.endpointToDelete}`, 204, { viewer: 403, order: 9 }) },
  },
  "app/api/portal/webhooks/[endpointId]/deliveries/route.ts": {
    methods: { GET: provider("GET", (i) => `/api/portal/webhooks/${i.endpointId}/deliveries`, 200) },
  },
  "app/api/portal/webhooks/deliveries/[deliveryId]/redeliver/route.ts": {
    methods: { POST: provider("POST", (i) => `/api/portal/webhooks/deliveries/${i.deliveryId}/redeliver`, 200, { viewer: 403 }) },
  },

  // ---- staff API ------------------------------------------------------------------------------
  "app/api/staff/cases/route.ts": { methods: { GET: staff("GET", fixed("/api/staff/cases"), 200) } },
  "app/api/staff/cases/[number]/route.ts": {
    methods: {
      GET: staff("GET", staffCase, 200),
      PATCH: staff("PATCH", staffCase, 200, { body: () => ({ state: "IN_PROGRESS" }), order: 1 }),
    },
  },
  "app/api/staff/cases/[number]/comments/route.ts": {
    methods: { POST: staff("POST", (i) => `${staffCase(i)}/comments`, 201, { body: () => ({ body: "authz matrix reply" }) }) },
  },
  "app/api/staff/cases/[number]/auto-reporting/route.ts": {
    methods: { POST: staff("POST", (i) => `${staffCase(i)}/auto-reporting`, 200, { body: () => ({ enabled: false }), order: 8 }) },
  },
  "app/api/staff/contracts/[number]/route.ts": {
    methods: { PATCH: staff("PATCH", (i) => `/api/staff/contracts/${i.staffContract}`, 200, { body: () => ({ action: "end", endDate: daysFromNow(400) }) }) },
  },
  "app/api/staff/organizations/route.ts": { methods: { GET: staff("GET", fixed("/api/staff/organizations"), 200) } },
  "app/api/staff/organizations/[organizationId]/contracts/route.ts": {
    methods: {
      POST: staff("POST", (i) => `/api/staff/organizations/${i.acmeOrganizationId}/contracts`, 201, {
        body: () => ({ number: "09" + String(Math.floor(Math.random() * 1e6)).padStart(6, "0"), type: "NO_COMMIT", startDate: daysFromNow(0) }),
      }),
    },
  },
};

function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
