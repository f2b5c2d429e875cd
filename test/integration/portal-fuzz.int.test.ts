// Property-based malformed input for every portal and staff route with a body, a query or a path
// parameter (the product API has its own, product-api-fuzz.int.test.ts): wrong types, missing
// and unknown fields, overlong strings, U+0000, unicode, negative and huge numbers, JSON that is
// not an object, text that is not JSON, wrong content types, bodies over the limit, invalid
// UTF-8, malformed path parameters (bad percent-encoding, very long ids) and bad query
// parameters (page=-1, sort=unknown). Every answer is a 4xx, never a 5xx, and no row of any
// table changes (a hash of every model before and after each route).
// Runs per route: PULSE_FUZZ_RUNS (default 25).
import fc from "fast-check";
import type { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import * as activity from "@/app/api/portal/activity/route";
import * as caseComments from "@/app/api/portal/cases/[number]/comments/route";
import * as caseOne from "@/app/api/portal/cases/[number]/route";
import * as cases from "@/app/api/portal/cases/route";
import * as companyOne from "@/app/api/portal/companies/[id]/route";
import * as companies from "@/app/api/portal/companies/route";
import * as contractOne from "@/app/api/portal/contracts/[number]/route";
import * as licenseCompany from "@/app/api/portal/licenses/[licenseId]/company/route";
import * as licenseKey from "@/app/api/portal/licenses/[licenseId]/key/route";
import * as licenseRevoke from "@/app/api/portal/licenses/[licenseId]/revoke/route";
import * as licenseOne from "@/app/api/portal/licenses/[licenseId]/route";
import * as licenses from "@/app/api/portal/licenses/route";
import * as noticeDismiss from "@/app/api/portal/notices/[noticeId]/dismiss/route";
import * as notificationsRead from "@/app/api/portal/notifications/read/route";
import * as notifications from "@/app/api/portal/notifications/route";
import * as notificationSettings from "@/app/api/portal/settings/notifications/route";
import * as usageSubmission from "@/app/api/portal/settings/usage-submission/route";
import * as tokenOne from "@/app/api/portal/tokens/[id]/route";
import * as tokens from "@/app/api/portal/tokens/route";
import * as adjustments from "@/app/api/portal/usage/[period]/adjustments/route";
import * as usageExport from "@/app/api/portal/usage/[period]/export/route";
import * as report from "@/app/api/portal/usage/[period]/route";
import * as rowOne from "@/app/api/portal/usage/[period]/rows/[rowId]/route";
import * as copyPrevious from "@/app/api/portal/usage/[period]/rows/copy-previous/route";
import * as rows from "@/app/api/portal/usage/[period]/rows/route";
import * as submit from "@/app/api/portal/usage/[period]/submit/route";
import * as history from "@/app/api/portal/usage/history/route";
import * as endpointDeliveries from "@/app/api/portal/webhooks/[endpointId]/deliveries/route";
import * as endpointOne from "@/app/api/portal/webhooks/[endpointId]/route";
import * as redeliver from "@/app/api/portal/webhooks/deliveries/[deliveryId]/redeliver/route";
import * as webhooks from "@/app/api/portal/webhooks/route";
import * as staffAutoReporting from "@/app/api/staff/cases/[number]/auto-reporting/route";
import * as staffComments from "@/app/api/staff/cases/[number]/comments/route";
import * as staffCaseOne from "@/app/api/staff/cases/[number]/route";
import * as staffCases from "@/app/api/staff/cases/route";
import * as staffContractOne from "@/app/api/staff/contracts/[number]/route";
import * as staffOrgContracts from "@/app/api/staff/organizations/[organizationId]/contracts/route";
import * as staffOrgs from "@/app/api/staff/organizations/route";
import * as unsubscribe from "@/app/api/unsubscribe/route";
import { getDb } from "@/lib/db";
import { periodOf, shiftPeriod } from "@/lib/domain/dates";
import { stateHashes } from "../authz/state";
import { call, DEMO, sessionCookie } from "../helpers";
import { NextRequest as Req } from "next/server";

const RUNS = Number(process.env.PULSE_FUZZ_RUNS || 25);
const BASE = "http://localhost:3000";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

const cookies: Record<string, string> = {};
let period = "";
let caseNumber = "";
let acmeId = "";
let rowId = "";
let companyId = "";
let endpointId = "";

beforeAll(async () => {
  for (const who of [DEMO.alice, DEMO.sam]) cookies[who] = await sessionCookie(who);
  period = shiftPeriod(periodOf(new Date()), -1);
  acmeId = (await getDb().organization.findFirstOrThrow({ where: { name: "Acme Cloud Services" } })).id;
  // What the routes with ids act on: Acme's own case, company, manual row and webhook endpoint.
  const as = async (handler: Handler, method: string, p: string, body: unknown, params: Record<string, string> = {}) => {
    const res = await call(handler, await send(method, p, DEMO.alice, { body: JSON.stringify(body), contentType: "application/json" }), params);
    if (res.status >= 300) throw new Error(`set-up ${method} ${p}: ${res.status} ${res.text}`);
    return res.json;
  };
  caseNumber = String((await as(cases.POST, "POST", "/api/portal/cases", { type: "TECHNICAL", problemArea: "LICENSING", severity: 4, summary: "fuzz" })).number);
  companyId = String((await as(companies.POST, "POST", "/api/portal/companies", { name: "Fuzz Co" })).id);
  rowId = String((await as(rows.POST, "POST", `/api/portal/usage/${period}/rows`, { productId: "VONE", workloadType: "VONE_VM", count: 2 }, { period })).id);
  endpointId = String((await as(webhooks.POST, "POST", "/api/portal/webhooks", { url: "https://hooks.example.com/fuzz", types: ["case.updated"] })).id);
});

interface SendOptions {
  body?: string | Uint8Array;
  contentType?: string;
}

async function send(method: string, pathAndQuery: string, as: string, options: SendOptions = {}): Promise<NextRequest> {
  const headers: Record<string, string> = { host: "localhost:3000", origin: BASE };
  if (!cookies[as]) cookies[as] = await sessionCookie(as);
  headers.cookie = cookies[as];
  if (options.contentType) headers["content-type"] = options.contentType;
  return new Req(new URL(pathAndQuery, BASE), { method, headers, body: options.body as BodyInit | undefined });
}

// ---- malformed values ------------------------------------------------------------------------

const notAString = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
/** Text with U+0000 in it, with unicode around (PostgreSQL text cannot hold it; nowhere is it valid). */
const withNul = fc.tuple(fc.string({ unit: "grapheme", maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 12 })).map(([a, b]) => `${a}\u0000${b}`);
/** Longer than `max` characters (zod counts code points), of unicode (emoji, combining marks, RTL) or plain text. */
const tooLong = (max: number) =>
  fc
    .oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }), fc.constantFrom("é", "👩‍👩‍👧", "\u202e", "a\u0301", "x"))
    .map((g) => g.trim() || "x")
    .map((g) => Array.from(g.repeat(max + 2)).slice(0, max + 1 + (max % 7)).join(""));
const blank = fc.constantFrom("", " ", "\t\n", "\u00a0".trim());
const badText = (max: number, required = true) => (required ? fc.oneof(notAString, withNul, tooLong(max), blank) : fc.oneof(notAString.filter((v) => v !== null), withNul, tooLong(max)));
const notABoolean = fc.oneof(fc.constantFrom("true", "false", 0, 1, null, "", "yes", []), fc.integer(), fc.object({ maxDepth: 1 }));
const badInt = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ max: min - 1 }),
    max < 2 ** 31 - 2 ? fc.integer({ min: max + 1 }) : fc.constant(Number.MAX_SAFE_INTEGER * 4),
    fc.constantFrom(min - 0.5, max + 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, "1", "", null, true, [1], { n: 1 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
  );
const badEnum = (values: readonly string[]) =>
  fc.oneof(notAString, withNul, fc.string({ unit: "grapheme", maxLength: 20 }).filter((s) => !values.includes(s)), fc.constantFrom(...values.map((v) => ` ${v.toLowerCase()} `)));
const badDate = fc.oneof(notAString, withNul, fc.string({ maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)), fc.constantFrom("2026-02-30", "2026-13-01", "0000-00-00", "+99999-01-01", "2026-1-1", "2026-01-01T00:00:00Z"));
const badArray = (itemBad: fc.Arbitrary<unknown>) => fc.oneof(notAString.filter((v) => !Array.isArray(v)), fc.array(itemBad, { minLength: 1, maxLength: 3 }));

/** Random JSON that is not an object, text that is not JSON, or bytes that are not UTF-8. */
const notAnObject = fc.anything({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? "null").filter((s) => !s.startsWith("{"));
const notJson = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constantFrom("{", "{\"a\":", "{'a': 1}", "{\"a\":1,}", "NaN", "undefined", "\u0000", "{\"a\":\"\\ud800\"", "a=1&b=2", "<xml/>"),
);

interface Malformed {
  body?: string | Uint8Array;
  contentType?: string;
  label: string;
}

/** The whole body wrong: not an object, not JSON, empty, too large, not UTF-8, or a wrong content type. */
const wholeBody: fc.Arbitrary<Malformed> = fc.oneof(
  notAnObject.map((body) => ({ body, contentType: "application/json", label: "not an object" })),
  notJson.map((body) => ({ body, contentType: "application/json", label: "not JSON" })),
  fc.tuple(notJson, fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "")).map(([body, contentType]) => ({ body, contentType, label: `not JSON as ${contentType}` })),
  fc.constant<Malformed>({ label: "no body", contentType: "application/json" }),
  fc.constant<Malformed>({ body: "", label: "empty body", contentType: "application/json" }),
  fc.constant<Malformed>({ body: JSON.stringify({ padding: "x".repeat(70 * 1024) }), contentType: "application/json", label: "over 64 KiB" }),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => ({ body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, ...b, 0x22, 0x7d]), contentType: "application/json", label: "invalid UTF-8" })),
);

/** The valid body with one field replaced by a value it may not have, or missing, or one unknown field more. */
function fieldMutations(valid: Record<string, unknown>, bad: Record<string, fc.Arbitrary<unknown>>, options: { required?: string[]; strict?: boolean } = {}): fc.Arbitrary<Malformed> {
  const fields = Object.keys(bad);
  const required = options.required ?? fields;
  const arbs: fc.Arbitrary<Malformed>[] = [
    fc.constantFrom(...fields).chain((f) => bad[f].map((v) => ({ body: JSON.stringify({ ...valid, [f]: v }), contentType: "application/json", label: `bad ${f}` }))),
  ];
  if (required.length) {
    arbs.push(fc.constantFrom(...required).map((f) => {
      const copy = { ...valid };
      delete copy[f];
      return { body: JSON.stringify(copy), contentType: "application/json", label: `missing ${f}` };
    }));
  }
  if (options.strict !== false) {
    arbs.push(
      fc.tuple(fc.constantFrom("__proto__", "constructor", "isAdmin", "organizationId", "id", "x".repeat(300)), fc.anything({ maxDepth: 1 })).map(([k, v]) => ({
        // Written by hand: JSON.stringify would drop a "__proto__" own key made by spreading.
        body: `${JSON.stringify(valid).slice(0, -1)},${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}}`,
        contentType: "application/json",
        label: `unknown field ${k.slice(0, 20)}`,
      })),
    );
  }
  return fc.oneof(...arbs);
}

// ---- targets ---------------------------------------------------------------------------------

interface BodyTarget {
  name: string;
  handler: Handler;
  method: string;
  path: () => string;
  params: () => Record<string, string>;
  as: string;
  /** A valid body: accepted (2xx) after the malformed ones, so the test cannot pass by refusing everything. */
  valid: () => Record<string, unknown>;
  malformed: (valid: Record<string, unknown>) => fc.Arbitrary<Malformed>;
}

const admin = DEMO.alice;
const staff = DEMO.sam;
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const BODY_TARGETS: BodyTarget[] = [
  {
    name: "POST /api/portal/cases", handler: cases.POST, method: "POST", path: () => "/api/portal/cases", params: () => ({}), as: admin,
    valid: () => ({ type: "TECHNICAL", problemArea: "LICENSING", severity: 3, summary: "Fuzzed", description: "" }),
    malformed: (valid) => fieldMutations(
      valid,
      { type: badEnum(["GENERAL_INQUIRY", "TECHNICAL", "LICENSING"]), problemArea: badEnum(["VCSP_PULSE", "VEEAM_BACKUP_AND_REPLICATION", "VEEAM_ONE", "VEEAM_SERVICE_PROVIDER_CONSOLE", "LICENSING", "OTHER"]), severity: badInt(1, 4).filter((v) => v !== null), summary: badText(200), description: badText(10_000, false) },
      { required: ["type", "problemArea", "summary"] },
    ),
  },
  {
    name: "POST /api/portal/cases/[number]/comments", handler: caseComments.POST, method: "POST", path: () => `/api/portal/cases/${caseNumber}/comments`, params: () => ({ number: caseNumber }), as: admin,
    valid: () => ({ body: "A comment" }),
    malformed: (valid) => fieldMutations(valid, { body: badText(10_000) }),
  },
  {
    name: "POST /api/portal/companies", handler: companies.POST, method: "POST", path: () => "/api/portal/companies", params: () => ({}), as: admin,
    valid: () => ({ name: "Fuzzed company", externalId: "F-1" }),
    malformed: (valid) => fieldMutations(valid, { name: badText(200), externalId: badText(100, false).filter((v) => v !== "" ) }, { required: ["name"] }),
  },
  {
    name: "PATCH /api/portal/companies/[id]", handler: companyOne.PATCH, method: "PATCH", path: () => `/api/portal/companies/${companyId}`, params: () => ({ id: companyId }), as: admin,
    valid: () => ({ name: "Renamed by fuzz" }),
    malformed: (valid) => fieldMutations(valid, { name: badText(200), archived: notABoolean }, { required: [] }),
  },
  {
    name: "PUT /api/portal/licenses/[licenseId]/company", handler: licenseCompany.PUT, method: "PUT", path: () => "/api/portal/licenses/LIC-ACME1-00001/company", params: () => ({ licenseId: "LIC-ACME1-00001" }), as: admin,
    valid: () => ({ companyId, usageType: "INTERNAL" }),
    malformed: (valid) => fieldMutations(valid, { companyId: fc.oneof(notAString.filter((v) => v !== null), withNul, tooLong(64), fc.constant("")), usageType: badEnum(["INTERNAL", "SINGLE_CUSTOMER", "MULTI_CUSTOMER"]).filter((v) => v !== null) }),
  },
  {
    name: "PATCH /api/portal/licenses/[licenseId]", handler: licenseOne.PATCH, method: "PATCH", path: () => "/api/portal/licenses/LIC-ACME1-00001", params: () => ({ licenseId: "LIC-ACME1-00001" }), as: admin,
    valid: () => ({ autoReported: false }),
    malformed: (valid) => fieldMutations(valid, { autoReported: notABoolean }),
  },
  {
    name: "POST /api/portal/licenses", handler: licenses.POST, method: "POST", path: () => "/api/portal/licenses", params: () => ({}), as: admin,
    valid: () => ({ contractNumber: "02553275", productId: "VB365", autoReported: false, expirationDate: inDays(30), workloads: [{ type: "VB365_User", count: 3 }] }),
    malformed: (valid) => fieldMutations(
      valid,
      {
        contractNumber: badText(8).filter((v) => v !== "02553275"),
        productId: badEnum(["VBR_STD", "VBR_ENT", "VBR_ENTPLUS", "VONE", "VB365", "VCC", "VSPC", "VBA"]),
        autoReported: notABoolean,
        expirationDate: badDate,
        workloads: badArray(fc.oneof(fc.record({ type: badEnum(["VB365_User"]), count: fc.constant(1) }), fc.record({ type: fc.constant("VB365_User"), count: badInt(1, 1_000_000) }))),
      },
      { strict: false },
    ),
  },
  {
    name: "POST /api/portal/notifications/read", handler: notificationsRead.POST, method: "POST", path: () => "/api/portal/notifications/read", params: () => ({}), as: admin,
    valid: () => ({ all: true }),
    malformed: (valid) => fc.oneof(
      fieldMutations(valid, { all: fc.oneof(notABoolean, fc.constant(false)) }),
      fieldMutations({ ids: ["x"] }, { ids: fc.oneof(notAString.filter((v) => !Array.isArray(v)), fc.constant([]), fc.array(fc.oneof(tooLong(64), notAString.filter((v) => typeof v !== "string")), { minLength: 1, maxLength: 3 }), fc.constant(Array.from({ length: 201 }, (_, i) => `id${i}`))) }),
    ),
  },
  {
    name: "PUT /api/portal/settings/notifications", handler: notificationSettings.PUT, method: "PUT", path: () => "/api/portal/settings/notifications", params: () => ({}), as: admin,
    valid: () => ({ digest: true }),
    malformed: (valid) => fieldMutations(valid, { digest: notABoolean, email: fc.oneof(notAString.filter((v) => v === null || typeof v !== "object" || Array.isArray(v)), fc.dictionary(fc.string({ maxLength: 10 }), notABoolean, { minKeys: 1, maxKeys: 3 }), fc.constant({ ["k".repeat(65)]: true })) }, { required: [] }),
  },
  {
    name: "PUT /api/portal/settings/usage-submission", handler: usageSubmission.PUT, method: "PUT", path: () => "/api/portal/settings/usage-submission", params: () => ({}), as: admin,
    valid: () => ({ autoSubmit: true }),
    malformed: (valid) => fieldMutations(valid, { autoSubmit: notABoolean }),
  },
  {
    name: "POST /api/portal/tokens", handler: tokens.POST, method: "POST", path: () => "/api/portal/tokens", params: () => ({}), as: admin,
    valid: () => ({ name: "fuzz token", scope: "read", expiresInDays: 30 }),
    malformed: (valid) => fieldMutations(valid, { name: badText(100), scope: badEnum(["read", "admin"]), expiresInDays: badInt(1, 365) }),
  },
  {
    name: "PUT /api/portal/usage/[period]/adjustments", handler: adjustments.PUT, method: "PUT", path: () => `/api/portal/usage/${period}/adjustments`, params: () => ({ period }), as: DEMO.bob,
    valid: () => ({ licenseId: "LIC-GLBX1-00001", workloadType: "VBR_VM", count: 400, reason: null }),
    malformed: (valid) => fieldMutations(
      valid,
      { licenseId: badText(64), workloadType: badText(64), count: badInt(0, 1_000_000).filter((v) => v !== null), reason: fc.oneof(notAString.filter((v) => v !== null), withNul, tooLong(500)) },
      { required: ["licenseId", "workloadType", "count"] },
    ),
  },
  {
    name: "POST /api/portal/usage/[period]/rows", handler: rows.POST, method: "POST", path: () => `/api/portal/usage/${period}/rows`, params: () => ({ period }), as: admin,
    valid: () => ({ productId: "VSPC", workloadType: "VAC_Server_Agent", count: 5 }),
    malformed: (valid) => fieldMutations(valid, { productId: badText(64), workloadType: badText(64), count: badInt(1, 1_000_000) }),
  },
  {
    name: "POST /api/portal/webhooks", handler: webhooks.POST, method: "POST", path: () => "/api/portal/webhooks", params: () => ({}), as: admin,
    valid: () => ({ url: "https://hooks.example.com/pulse", types: ["usage.submitted"] }),
    malformed: (valid) => fieldMutations(
      valid,
      {
        url: fc.oneof(badText(2000), fc.constantFrom("http://hooks.example.com/x", "ftp://example.com", "https://user:pw@example.com/", "https://10.0.0.1/", "https://169.254.169.254/latest", "https://[::1]/", "https://localhost/", "javascript:alert(1)", "https://%zz/")),
        types: fc.oneof(badArray(badEnum(["license.extended", "license.expiring", "usage.period_due", "usage.period_late", "usage.submitted", "update_check.failed", "case.updated"])), fc.constant([])),
      },
    ),
  },
  {
    name: "POST /api/staff/cases/[number]/auto-reporting", handler: staffAutoReporting.POST, method: "POST", path: () => `/api/staff/cases/${caseNumber}/auto-reporting`, params: () => ({ number: caseNumber }), as: staff,
    valid: () => ({ enabled: true }),
    malformed: (valid) => fieldMutations(valid, { enabled: notABoolean }),
  },
  {
    name: "POST /api/staff/cases/[number]/comments", handler: staffComments.POST, method: "POST", path: () => `/api/staff/cases/${caseNumber}/comments`, params: () => ({ number: caseNumber }), as: staff,
    valid: () => ({ body: "A reply" }),
    malformed: (valid) => fieldMutations(valid, { body: badText(10_000) }),
  },
  {
    name: "PATCH /api/staff/cases/[number]", handler: staffCaseOne.PATCH, method: "PATCH", path: () => `/api/staff/cases/${caseNumber}`, params: () => ({ number: caseNumber }), as: staff,
    valid: () => ({ state: "IN_PROGRESS" }),
    malformed: (valid) => fieldMutations(valid, { state: badEnum(["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"]) }),
  },
  {
    name: "PATCH /api/staff/contracts/[number]", handler: staffContractOne.PATCH, method: "PATCH", path: () => "/api/staff/contracts/02553275", params: () => ({ number: "02553275" }), as: staff,
    valid: () => ({ action: "end", endDate: "2099-12-31" }),
    malformed: (valid) => fc.oneof(
      fieldMutations(valid, { action: badEnum(["end", "terminate"]), endDate: badDate }),
      fieldMutations({ action: "terminate" }, { action: badEnum(["end", "terminate"]) }),
    ),
  },
  {
    name: "POST /api/staff/organizations/[organizationId]/contracts", handler: staffOrgContracts.POST, method: "POST", path: () => `/api/staff/organizations/${acmeId}/contracts`, params: () => ({ organizationId: acmeId }), as: staff,
    valid: () => ({ number: "07000001", type: "NO_COMMIT", startDate: today(), endDate: null, pointsLimit: null, dueDay: 10 }),
    malformed: (valid) => fieldMutations(
      valid,
      { number: fc.oneof(badText(8), fc.constantFrom("1234567", "123456789", "abcdefgh", "１２３４５６７８")), type: badEnum(["NO_COMMIT", "COMMIT", "VOLUME"]), startDate: badDate, endDate: fc.oneof(badDate.filter((v) => v !== null), fc.constant("1999-01-01")), pointsLimit: badInt(0, Number.MAX_SAFE_INTEGER).filter((v) => v !== null), dueDay: badInt(1, 28) },
      { required: ["number", "type", "startDate"] },
    ),
  },
];

/** The routes whose query a malformed parameter must turn into a 400 (or, for a valid but extreme value, at least not a 5xx). */
interface QueryTarget {
  name: string;
  handler: Handler;
  path: () => string;
  params: () => Record<string, string>;
  as: string;
  bad: Record<string, fc.Arbitrary<string>>;
}

const badPage = fc.oneof(fc.constantFrom("-1", "0", "1.5", "abc", "1e400", "-0.5", " ", "\u0000", "１", "NaN", "Infinity"), fc.integer({ max: 0 }).map(String), fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }).filter((s) => !/^\s*\d+\s*$/.test(s) && s.trim() !== ""));
const badPageSize = (max: number) => fc.oneof(badPage, fc.integer({ min: max + 1 }).map(String));
const badQueryEnum = (values: readonly string[]) => fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((s) => !values.includes(s) && s !== ""), fc.constantFrom("\u0000", "x".repeat(5000), "%", "'; DROP TABLE \"License\"; --"));
const overlongQuery = fc.oneof(tooLong(100), withNul);
const paging = (max: number) => ({ page: badPage, pageSize: badPageSize(max) });

const QUERY_TARGETS: QueryTarget[] = [
  { name: "GET /api/portal/activity", handler: activity.GET, path: () => "/api/portal/activity", params: () => ({}), as: admin, bad: { ...paging(200), category: badQueryEnum(["license", "usage", "case", "organization"]), query: overlongQuery } },
  { name: "GET /api/portal/cases", handler: cases.GET, path: () => "/api/portal/cases", params: () => ({}), as: admin, bad: { ...paging(100), state: badQueryEnum(["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"]) } },
  {
    name: "GET /api/portal/licenses", handler: licenses.GET, path: () => "/api/portal/licenses", params: () => ({}), as: admin,
    bad: { ...paging(200), query: overlongQuery, product: badQueryEnum(["VBR_STD", "VBR_ENT", "VBR_ENTPLUS", "VONE", "VB365", "VCC", "VSPC", "VBA"]), sort: badQueryEnum(["expirationDate", "licenseId", "description", "points", "createdAt", "product", "company", "state"]), dir: badQueryEnum(["asc", "desc"]), company: fc.oneof(tooLong(64), withNul), collected: badQueryEnum(["no"]) },
  },
  { name: "GET /api/portal/notifications", handler: notifications.GET, path: () => "/api/portal/notifications", params: () => ({}), as: admin, bad: { ...paging(100), unread: badQueryEnum(["0", "1"]) } },
  { name: "GET /api/portal/usage/history", handler: history.GET, path: () => "/api/portal/usage/history", params: () => ({}), as: admin, bad: paging(100) },
  { name: "GET /api/portal/usage/[period]", handler: report.GET, path: () => `/api/portal/usage/${period}`, params: () => ({ period }), as: admin, bad: paging(200) },
  { name: "GET /api/portal/webhooks/[endpointId]/deliveries", handler: endpointDeliveries.GET, path: () => `/api/portal/webhooks/${endpointId}/deliveries`, params: () => ({ endpointId }), as: admin, bad: paging(100) },
  { name: "GET /api/portal/licenses/[licenseId]/key", handler: licenseKey.GET, path: () => "/api/portal/licenses/LIC-ACME1-00001/key", params: () => ({ licenseId: "LIC-ACME1-00001" }), as: admin, bad: { version: badPage } },
  { name: "GET /api/staff/cases", handler: staffCases.GET, path: () => "/api/staff/cases", params: () => ({}), as: staff, bad: { ...paging(100), state: badQueryEnum(["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"]), type: badQueryEnum(["GENERAL_INQUIRY", "TECHNICAL", "LICENSING"]), problemArea: badQueryEnum(["VCSP_PULSE", "LICENSING", "OTHER"]) } },
  { name: "GET /api/staff/organizations", handler: staffOrgs.GET, path: () => "/api/staff/organizations", params: () => ({}), as: staff, bad: { page: badPage } },
];

/** Values that are valid but extreme: a far page, the largest page size. Never a 5xx. */
const extremePage = fc.constantFrom("2147483648", "9007199254740993", "99999999999999999999", "1000000");

/** A path parameter that names nothing: malformed percent-encoding, overlong, NUL, unicode, traversal. */
const badId = fc.oneof(
  fc.constantFrom("%E0%A4%A", "%", "%%", "%00", "\u0000", "..", "../..", "a/b", " ", "-1", "0", "1e3", "99999999999999999999", "NaN", "null", "undefined", "__proto__", "constructor", "LIC-ACME1-00001\u0000", "LIC-ACME1-00001 ", "lic-acme1-00001", "LIC-GLBX1-00001", "*", "%25", "' OR '1'='1"),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
  fc.string({ minLength: 300, maxLength: 5000 }),
  fc.string({ maxLength: 10 }).map((s) => `${s}\u0000`),
);
/** A period that is malformed, or well-formed but of no report (before the portal existed, far ahead). */
const badPeriod = fc.oneof(
  badId,
  fc.constantFrom("2026-13", "2026-00", "0000-01", "1900-01", "9999-12", "2026-1", "202611", "2026-11-01", "+2026-11", "٢٠٢٦-١١"),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 13, max: 99 })).map(([y, m]) => `${String(y).padStart(4, "0")}-${m}`),
);
/** Well-formed periods of no report: a GET may answer them (an empty month) but never with a 5xx; a write is a 4xx. */
const isShapedPeriod = (p: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(p);

interface ParamTarget {
  name: string;
  handler: Handler;
  method: string;
  as: string;
  param: string;
  bad: fc.Arbitrary<string>;
  path: (value: string) => string;
  other?: () => Record<string, string>;
  body?: () => unknown;
}

const PARAM_TARGETS: ParamTarget[] = [
  { name: "GET /api/portal/licenses/[licenseId]", handler: licenseOne.GET, method: "GET", as: admin, param: "licenseId", bad: badId, path: (v) => `/api/portal/licenses/${v}` },
  { name: "PATCH /api/portal/licenses/[licenseId]", handler: licenseOne.PATCH, method: "PATCH", as: admin, param: "licenseId", bad: badId, path: (v) => `/api/portal/licenses/${v}`, body: () => ({ autoReported: false }) },
  { name: "GET /api/portal/licenses/[licenseId]/key", handler: licenseKey.GET, method: "GET", as: admin, param: "licenseId", bad: badId, path: (v) => `/api/portal/licenses/${v}/key` },
  { name: "POST /api/portal/licenses/[licenseId]/revoke", handler: licenseRevoke.POST, method: "POST", as: admin, param: "licenseId", bad: badId, path: (v) => `/api/portal/licenses/${v}/revoke` },
  { name: "PUT /api/portal/licenses/[licenseId]/company", handler: licenseCompany.PUT, method: "PUT", as: admin, param: "licenseId", bad: badId, path: (v) => `/api/portal/licenses/${v}/company`, body: () => ({ companyId, usageType: "INTERNAL" }) },
  { name: "GET /api/portal/cases/[number]", handler: caseOne.GET, method: "GET", as: admin, param: "number", bad: badId, path: (v) => `/api/portal/cases/${v}` },
  { name: "POST /api/portal/cases/[number]/comments", handler: caseComments.POST, method: "POST", as: admin, param: "number", bad: badId, path: (v) => `/api/portal/cases/${v}/comments`, body: () => ({ body: "hello" }) },
  { name: "PATCH /api/portal/companies/[id]", handler: companyOne.PATCH, method: "PATCH", as: admin, param: "id", bad: badId, path: (v) => `/api/portal/companies/${v}`, body: () => ({ name: "Renamed" }) },
  { name: "GET /api/portal/contracts/[number]", handler: contractOne.GET, method: "GET", as: admin, param: "number", bad: badId, path: (v) => `/api/portal/contracts/${v}` },
  { name: "POST /api/portal/notices/[noticeId]/dismiss", handler: noticeDismiss.POST, method: "POST", as: admin, param: "noticeId", bad: badId, path: (v) => `/api/portal/notices/${v}/dismiss` },
  { name: "DELETE /api/portal/tokens/[id]", handler: tokenOne.DELETE, method: "DELETE", as: admin, param: "id", bad: badId, path: (v) => `/api/portal/tokens/${v}` },
  { name: "GET /api/portal/usage/[period]", handler: report.GET, method: "GET", as: admin, param: "period", bad: badPeriod, path: (v) => `/api/portal/usage/${v}` },
  { name: "GET /api/portal/usage/[period]/export", handler: usageExport.GET, method: "GET", as: admin, param: "period", bad: badPeriod, path: (v) => `/api/portal/usage/${v}/export` },
  { name: "PUT /api/portal/usage/[period]/adjustments", handler: adjustments.PUT, method: "PUT", as: DEMO.bob, param: "period", bad: badPeriod, path: (v) => `/api/portal/usage/${v}/adjustments`, body: () => ({ licenseId: "LIC-GLBX1-00001", workloadType: "VBR_VM", count: 400, reason: null }) },
  { name: "POST /api/portal/usage/[period]/rows", handler: rows.POST, method: "POST", as: admin, param: "period", bad: badPeriod, path: (v) => `/api/portal/usage/${v}/rows`, body: () => ({ productId: "VSPC", workloadType: "VAC_Server_Agent", count: 5 }) },
  { name: "DELETE /api/portal/usage/[period]/rows/[rowId] (period)", handler: rowOne.DELETE, method: "DELETE", as: admin, param: "period", bad: badPeriod, path: (v) => `/api/portal/usage/${v}/rows/${rowId}`, other: () => ({ rowId }) },
  { name: "DELETE /api/portal/usage/[period]/rows/[rowId] (rowId)", handler: rowOne.DELETE, method: "DELETE", as: admin, param: "rowId", bad: badId, path: (v) => `/api/portal/usage/${period}/rows/${v}`, other: () => ({ period }) },
  { name: "POST /api/portal/usage/[period]/rows/copy-previous", handler: copyPrevious.POST, method: "POST", as: admin, param: "period", bad: badPeriod, path: (v) => `/api/portal/usage/${v}/rows/copy-previous` },
  { name: "POST /api/portal/usage/[period]/submit", handler: submit.POST, method: "POST", as: admin, param: "period", bad: badPeriod, path: (v) => `/api/portal/usage/${v}/submit` },
  { name: "DELETE /api/portal/webhooks/[endpointId]", handler: endpointOne.DELETE, method: "DELETE", as: admin, param: "endpointId", bad: badId, path: (v) => `/api/portal/webhooks/${v}` },
  { name: "GET /api/portal/webhooks/[endpointId]/deliveries", handler: endpointDeliveries.GET, method: "GET", as: admin, param: "endpointId", bad: badId, path: (v) => `/api/portal/webhooks/${v}/deliveries` },
  { name: "POST /api/portal/webhooks/deliveries/[deliveryId]/redeliver", handler: redeliver.POST, method: "POST", as: admin, param: "deliveryId", bad: badId, path: (v) => `/api/portal/webhooks/deliveries/${v}/redeliver` },
  { name: "GET /api/staff/cases/[number]", handler: staffCaseOne.GET, method: "GET", as: staff, param: "number", bad: badId, path: (v) => `/api/staff/cases/${v}` },
  { name: "PATCH /api/staff/cases/[number]", handler: staffCaseOne.PATCH, method: "PATCH", as: staff, param: "number", bad: badId, path: (v) => `/api/staff/cases/${v}`, body: () => ({ state: "IN_PROGRESS" }) },
  { name: "POST /api/staff/cases/[number]/comments", handler: staffComments.POST, method: "POST", as: staff, param: "number", bad: badId, path: (v) => `/api/staff/cases/${v}/comments`, body: () => ({ body: "hi" }) },
  { name: "POST /api/staff/cases/[number]/auto-reporting", handler: staffAutoReporting.POST, method: "POST", as: staff, param: "number", bad: badId, path: (v) => `/api/staff/cases/${v}/auto-reporting`, body: () => ({ enabled: true }) },
  { name: "PATCH /api/staff/contracts/[number]", handler: staffContractOne.PATCH, method: "PATCH", as: staff, param: "number", bad: badId, path: (v) => `/api/staff/contracts/${v}`, body: () => ({ action: "terminate" }) },
  { name: "POST /api/staff/organizations/[organizationId]/contracts", handler: staffOrgContracts.POST, method: "POST", as: staff, param: "organizationId", bad: badId, path: (v) => `/api/staff/organizations/${v}/contracts`, body: () => ({ number: "07000002", type: "NO_COMMIT", startDate: today() }) },
];

/** The path as a client would send it: the value percent-encoded unless it is malformed percent-encoding itself. */
function urlPath(value: string, path: (v: string) => string): string {
  let encoded: string;
  try {
    decodeURIComponent(value);
    encoded = /%/.test(value) ? value : encodeURIComponent(value);
  } catch {
    encoded = value;
  }
  return path(encoded).replace(/[^\x21-\x7e]/gu, (c) => (c.length === 1 && c >= "\ud800" && c <= "\udfff" ? "%EF%BF%BD" : encodeURIComponent(c)));
}

/** fast-check's report without the counterexample itself, which can be 70 KB (the error names it, shortened). */
function shortReport<Ts>(details: fc.RunDetails<Ts>) {
  if (details.failed) throw new Error(`Property failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}): ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
}

const is4xx = (status: number) => status >= 400 && status < 500;

// The database before any malformed request, and after all of them (hashing it around each
// route would cost more than the requests): every model's rows must be the same.
let initial: Record<string, string> = {};

describe("malformed input", () => {
  beforeAll(async () => {
    initial = await stateHashes(getDb());
  });

  describe("portal and staff routes: malformed bodies answer 4xx and change nothing", () => {
    for (const t of BODY_TARGETS) {
      it(`${t.name}: ${RUNS} malformed bodies`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: wholeBody }, { weight: 3, arbitrary: t.malformed(t.valid()) }), async (m) => {
            const res = await call(t.handler, await send(t.method, t.path(), t.as, { body: m.body, contentType: m.contentType }), t.params());
            if (!is4xx(res.status)) throw new Error(`${m.label} (${typeof m.body === "string" ? JSON.stringify(m.body.slice(0, 120)) : "bytes"}): ${res.status} ${res.text.slice(0, 300)}`);
          }),
          { numRuns: RUNS, reporter: shortReport },
        );
      });
    }

    it("POST /api/unsubscribe: malformed or forged tokens answer 4xx and change nothing", async () => {
      const token = fc.oneof(badId, fc.tuple(fc.base64String({ maxLength: 40 }), fc.base64String({ maxLength: 44 })).map(([a, b]) => `${a}.${b}`));
      await fc.assert(
        fc.asyncProperty(token, fc.boolean(), async (value, asForm) => {
          const req = asForm
            ? new Req(new URL("/api/unsubscribe", BASE), { method: "POST", headers: { host: "localhost:3000", "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: value }).toString() })
            : new Req(new URL(`/api/unsubscribe?token=${encodeURIComponent(value)}`, BASE), { method: "POST", headers: { host: "localhost:3000" } });
          const res = await call(unsubscribe.POST, req);
          if (!is4xx(res.status)) throw new Error(`${JSON.stringify(value).slice(0, 80)}: ${res.status} ${res.text.slice(0, 200)}`);
        }),
        { numRuns: RUNS, reporter: shortReport },
      );
    });
  });

  describe("portal and staff routes: bad query parameters answer 4xx", () => {
    for (const t of QUERY_TARGETS) {
      it(`${t.name}: ${RUNS} bad queries, and extreme valid pages never 5xx`, async () => {
        const names = Object.keys(t.bad);
        const oneBad = fc.constantFrom(...names).chain((name) => t.bad[name].map((value) => ({ name, value })));
        await fc.assert(
          fc.asyncProperty(oneBad, async ({ name, value }) => {
            const res = await call(t.handler, await send("GET", `${t.path()}?${new URLSearchParams({ [name]: value })}`, t.as), t.params());
            if (!is4xx(res.status)) throw new Error(`${name}=${JSON.stringify(value).slice(0, 80)}: ${res.status} ${res.text.slice(0, 300)}`);
          }),
          { numRuns: RUNS, reporter: shortReport },
        );
        if ("page" in t.bad) {
          await fc.assert(
            fc.asyncProperty(extremePage, async (page) => {
              const res = await call(t.handler, await send("GET", `${t.path()}?page=${page}`, t.as), t.params());
              if (res.status >= 500) throw new Error(`page=${page}: ${res.status} ${res.text.slice(0, 300)}`);
            }),
            { numRuns: 4, reporter: shortReport },
          );
        }
        const control = await call(t.handler, await send("GET", t.path(), t.as), t.params());
        expect(control.status, control.text).toBe(200);
      });
    }
  });

  describe("portal and staff routes: bad path parameters answer 4xx and change nothing", () => {
    for (const t of PARAM_TARGETS) {
      it(`${t.name}: ${RUNS} bad ${t.param} values`, async () => {
        await fc.assert(
          fc.asyncProperty(t.bad, async (value) => {
            const body = t.body?.();
            const req = await send(t.method, urlPath(value, t.path), t.as, body === undefined ? {} : { body: JSON.stringify(body), contentType: "application/json" });
            const res = await call(t.handler, req, { ...t.other?.(), [t.param]: value });
            const shapedRead = t.method === "GET" && t.param === "period" && isShapedPeriod(value);
            if (shapedRead ? res.status >= 500 : !is4xx(res.status)) throw new Error(`${t.param}=${JSON.stringify(value).slice(0, 80)}: ${res.status} ${res.text.slice(0, 300)}`);
          }),
          { numRuns: RUNS, reporter: shortReport },
        );
      });
    }
  });

  it("changed no row of any table", async () => {
    const now = await stateHashes(getDb());
    expect(Object.keys(now).filter((model) => now[model] !== initial[model])).toEqual([]);
  });
});

describe("the valid input of each route is accepted (the pair: a set-up that refuses everything fails)", () => {
  for (const t of BODY_TARGETS) {
    it(`${t.name}: the valid body`, async () => {
      const res = await call(t.handler, await send(t.method, t.path(), t.as, { body: JSON.stringify(t.valid()), contentType: "application/json" }), t.params());
      expect(res.status, res.text).toBeLessThan(300);
    });
  }
});
