// Every JSON answer of the portal and the product API, parsed with its output schema from
// lib/schemas: the real route handlers, called as a browser, a script or a product server would.
// The portal's schemas are strict objects at every level and the product API's are made strict
// here, so a field that a service adds, drops or renames without its schema fails a test.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { GET as jwksRoute } from "@/app/.well-known/jwks.json/route";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as activityRoute } from "@/app/api/portal/activity/route";
import { POST as commentRoute } from "@/app/api/portal/cases/[number]/comments/route";
import { GET as caseRoute } from "@/app/api/portal/cases/[number]/route";
import { GET as casesRoute, POST as openCaseRoute } from "@/app/api/portal/cases/route";
import { GET as contractRoute } from "@/app/api/portal/contracts/[number]/route";
import { GET as keyRoute } from "@/app/api/portal/licenses/[licenseId]/key/route";
import { POST as revokeRoute } from "@/app/api/portal/licenses/[licenseId]/revoke/route";
import { GET as detailRoute, PATCH as patchRoute } from "@/app/api/portal/licenses/[licenseId]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/portal/licenses/route";
import { PATCH as patchCompanyRoute } from "@/app/api/portal/companies/[id]/route";
import { GET as companiesRoute, POST as createCompanyRoute } from "@/app/api/portal/companies/route";
import { PUT as assignCompanyRoute } from "@/app/api/portal/licenses/[licenseId]/company/route";
import { POST as dismissRoute } from "@/app/api/portal/notices/[noticeId]/dismiss/route";
import { GET as noticesRoute } from "@/app/api/portal/notices/route";
import { DELETE as revokeTokenRoute } from "@/app/api/portal/tokens/[id]/route";
import { GET as tokensRoute, POST as createTokenRoute } from "@/app/api/portal/tokens/route";
import { PUT as adjustRoute } from "@/app/api/portal/usage/[period]/adjustments/route";
import { GET as reportRoute } from "@/app/api/portal/usage/[period]/route";
import { DELETE as rowRoute } from "@/app/api/portal/usage/[period]/rows/[rowId]/route";
import { POST as rowsRoute } from "@/app/api/portal/usage/[period]/rows/route";
import { POST as submitRoute } from "@/app/api/portal/usage/[period]/submit/route";
import { GET as historyRoute } from "@/app/api/portal/usage/history/route";
import { GET as overviewRoute } from "@/app/api/portal/usage/route";
import { POST as autoReportingRoute } from "@/app/api/staff/cases/[number]/auto-reporting/route";
import { POST as staffCommentRoute } from "@/app/api/staff/cases/[number]/comments/route";
import { GET as staffCaseRoute, PATCH as staffStateRoute } from "@/app/api/staff/cases/[number]/route";
import { GET as queueRoute } from "@/app/api/staff/cases/route";
import { GET as organizationsRoute } from "@/app/api/staff/organizations/route";
import { periodOf, shiftPeriod } from "@/lib/domain/dates";
import { activityPageSchema } from "@/lib/schemas/activity";
import { apiTokenCreatedSchema, apiTokenListSchema } from "@/lib/schemas/api-tokens";
import { companyListSchema, companySchema, licenseCompanyResultSchema } from "@/lib/schemas/companies";
import { licenseDetailSchema, licenseListItemSchema, licenseListPageSchema } from "@/lib/schemas/licenses";
import { dismissedNoticeSchema, pendingNoticesSchema } from "@/lib/schemas/notices";
import { contractSchema, staffOrganizationPageSchema } from "@/lib/schemas/organizations";
import { healthAnswer, jsonWebKey, jwksDocument, licenseUpdateAnswer, problem, usageReportAnswer } from "@/lib/schemas/product-api";
import {
  autoReportingChangeResultSchema, caseDetailSchema, caseListPageSchema, staffCaseDetailSchema, staffCaseListPageSchema,
} from "@/lib/schemas/support";
import {
  adjustmentResultSchema, historyPageSchema, manualRowViewSchema, removedRowSchema, reportViewSchema, submitResultSchema, usageOverviewSchema,
} from "@/lib/schemas/usage";
import { call, DEMO, request } from "../helpers";
import { keyOf, postReport, postUpdate, reportBody } from "../product";

const GLOBEX_AUTO = "LIC-GLBX1-00001";
const ACME_CONTRACT = "02553275";

/** Parses a real answer with its schema; a mismatch fails with zod's issues (path and message). */
function expectAnswer<S extends z.ZodType>(res: { status: number; json: unknown; text: string }, status: number, schema: S): z.infer<S> {
  expect(res.status, res.text).toBe(status);
  const parsed = schema.safeParse(res.json);
  expect(parsed.error?.issues, JSON.stringify(res.json).slice(0, 500)).toBeUndefined();
  return parsed.data as z.infer<S>;
}

// The product API's schemas are open in the published document (a client must tolerate a field
// added later); here they are closed, so that the portal never sends one undeclared.
const updateAnswer = licenseUpdateAnswer.strict();
const reportAnswer = usageReportAnswer.strict();
const problemDocument = problem.strict();

describe("the output schemas are strict", () => {
  it("refuse an answer with a field too many or one missing", async () => {
    const res = await call(listRoute, await request("GET", "/api/portal/licenses?pageSize=1", { as: DEMO.bob }));
    const page = expectAnswer(res, 200, licenseListPageSchema);
    const item = page.items[0];
    expect(licenseListItemSchema.safeParse({ ...item, extra: 1 }).success).toBe(false);
    const missing: Partial<typeof item> = { ...item };
    delete missing.toggleRefusal;
    expect(licenseListItemSchema.safeParse(missing).success).toBe(false);
    expect(licenseListPageSchema.safeParse({ ...page, items: [{ ...item, lastCheckAt: "yesterday" }] }).success).toBe(false);
  });
});

describe("licenses (stable portal endpoints)", () => {
  it("GET /api/portal/licenses answers a page of License", async () => {
    for (const who of [DEMO.alice, DEMO.bob]) {
      const page = expectAnswer(await call(listRoute, await request("GET", "/api/portal/licenses?pageSize=200", { as: who })), 200, licenseListPageSchema);
      expect(page.items.length).toBeGreaterThan(0);
    }
    const filtered = await call(listRoute, await request("GET", "/api/portal/licenses?query=glbx&state=ACTIVE&product=VBR_ENT&page=1&pageSize=2", { as: DEMO.bob }));
    expectAnswer(filtered, 200, licenseListPageSchema);
  });

  it("PATCH /api/portal/licenses/{licenseId} answers the License, changed or not; a refusal is a problem", async () => {
    const path = `/api/portal/licenses/${GLOBEX_AUTO}`;
    const off = expectAnswer(await call(patchRoute, await request("PATCH", path, { as: DEMO.bob, body: { autoReported: false } }), { licenseId: GLOBEX_AUTO }), 200, licenseListItemSchema);
    expect(off.autoReported).toBe(false);
    const on = expectAnswer(await call(patchRoute, await request("PATCH", path, { as: DEMO.bob, body: { autoReported: true } }), { licenseId: GLOBEX_AUTO }), 200, licenseListItemSchema);
    expect(on.autoReported).toBe(true);
    expectAnswer(await call(patchRoute, await request("PATCH", path, { as: DEMO.bob, body: { autoReported: true } }), { licenseId: GLOBEX_AUTO }), 200, licenseListItemSchema);
    const acme = "LIC-ACME1-00001";
    const refused = await call(patchRoute, await request("PATCH", `/api/portal/licenses/${acme}`, { as: DEMO.alice, body: { autoReported: true } }), { licenseId: acme });
    expectAnswer(refused, 422, problemDocument);
  });

  it("answers the companies endpoints and a license's assignment with their schemas", async () => {
    const c = expectAnswer(await call(createCompanyRoute, await request("POST", "/api/portal/companies", { as: DEMO.bob, body: { name: "Schemas Inc" } })), 201, companySchema);
    expectAnswer(await call(companiesRoute, await request("GET", "/api/portal/companies", { as: DEMO.victor })), 200, companyListSchema);
    expectAnswer(await call(patchCompanyRoute, await request("PATCH", `/api/portal/companies/${c.id}`, { as: DEMO.bob, body: { name: "Schemas Ltd" } }), { id: c.id }), 200, companySchema);
    const path = "/api/portal/licenses/LIC-GLBX1-00003/company";
    expectAnswer(await call(assignCompanyRoute, await request("PUT", path, { as: DEMO.bob, body: { companyId: c.id, usageType: "INTERNAL" } }), { licenseId: "LIC-GLBX1-00003" }), 200, licenseCompanyResultSchema);
    expectAnswer(await call(patchCompanyRoute, await request("PATCH", `/api/portal/companies/${c.id}`, { as: DEMO.bob, body: { archived: true } }), { id: c.id }), 422, problemDocument);
    expectAnswer(await call(assignCompanyRoute, await request("PUT", path, { as: DEMO.bob, body: { companyId: null, usageType: null } }), { licenseId: "LIC-GLBX1-00003" }), 200, licenseCompanyResultSchema);
    expectAnswer(await call(createCompanyRoute, await request("POST", "/api/portal/companies", { as: DEMO.bob, body: { name: "Schemas Ltd" } })), 409, problemDocument);
  });

  it("answers the stable endpoints with the same schemas when called with an API token", async () => {
    const t = expectAnswer(await call(createTokenRoute, await request("POST", "/api/portal/tokens", { as: DEMO.bob, body: { name: "schemas", scope: "admin", expiresInDays: 7 } })), 201, apiTokenCreatedSchema);
    const auth = { headers: { authorization: `Bearer ${t.token}` } };
    expectAnswer(await call(listRoute, await request("GET", "/api/portal/licenses?pageSize=3", auth)), 200, licenseListPageSchema);
    const path = `/api/portal/licenses/${GLOBEX_AUTO}`;
    expectAnswer(await call(patchRoute, await request("PATCH", path, { ...auth, body: { autoReported: true } }), { licenseId: GLOBEX_AUTO }), 200, licenseListItemSchema);
    const list = expectAnswer(await call(tokensRoute, await request("GET", "/api/portal/tokens", { as: DEMO.bob })), 200, apiTokenListSchema);
    expect(list.items[0]).toMatchObject({ id: t.id, status: "active" });
    expect(list.items[0].lastUsedAt).not.toBeNull();
    const revoked = await call(revokeTokenRoute, await request("DELETE", `/api/portal/tokens/${t.id}`, { as: DEMO.bob }), { id: t.id });
    expect(revoked.status).toBe(204);
    expectAnswer(await call(listRoute, await request("GET", "/api/portal/licenses", auth)), 401, problemDocument);
  });

  it("GET /api/portal/licenses/{licenseId}/key answers the key file", async () => {
    const res = await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}/key`, { as: DEMO.bob }), { licenseId: GLOBEX_AUTO });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${GLOBEX_AUTO}.lic"`);
    expect(res.text).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it("GET /api/portal/licenses/{licenseId} answers the license page's data, with update sessions, installations and reports", async () => {
    await postUpdate({ licenseKey: await keyOf(GLOBEX_AUTO, 1), installationId: "vbr-output-schemas-1", productVersion: "13.0.1.1071" });
    expect((await postReport(await reportBody(GLOBEX_AUTO))).status).toBe(201);
    const detail = expectAnswer(await call(detailRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}`, { as: DEMO.bob }), { licenseId: GLOBEX_AUTO }), 200, licenseDetailSchema);
    expect(detail.updateSessions.length).toBeGreaterThan(0);
    expect(detail.installations.length).toBeGreaterThan(0);
    expect(detail.usageReports.length).toBeGreaterThan(0);
    expect(detail.versions.length).toBeGreaterThan(0);
    expect(detail.contract).not.toBeNull();
    const nfr = "LIC-ACME1-NFR01";
    const noContract = expectAnswer(await call(detailRoute, await request("GET", `/api/portal/licenses/${nfr}`, { as: DEMO.alice }), { licenseId: nfr }), 200, licenseDetailSchema);
    expect(noContract.contract).toBeNull();
    expectAnswer(await call(detailRoute, await request("GET", `/api/portal/licenses/${nfr}`, { as: DEMO.bob }), { licenseId: nfr }), 404, problemDocument);
  });

  it("POST /api/portal/licenses and POST .../revoke answer the License", async () => {
    const body = { contractNumber: "03110042", productId: "VBR_ENT", autoReported: true, description: "Output schemas", workloads: [{ type: "VBR_VM", count: 10 }] };
    const created = expectAnswer(await call(createRoute, await request("POST", "/api/portal/licenses", { as: DEMO.bob, body })), 201, licenseListItemSchema);
    const path = `/api/portal/licenses/${created.licenseId}/revoke`;
    const revoked = expectAnswer(await call(revokeRoute, await request("POST", path, { as: DEMO.bob }), { licenseId: created.licenseId }), 200, licenseListItemSchema);
    expect(revoked.state).toBe("REVOKED");
    const bad = await call(createRoute, await request("POST", "/api/portal/licenses", { as: DEMO.bob, body: { ...body, workloads: [] } }));
    expectAnswer(bad, 400, problemDocument);
  });
});

describe("the product API", () => {
  it("POST /api/v1/license/update answers LicenseUpdateAnswer for every result it can give here", async () => {
    const request = { installationId: "vbr-output-schemas-2", productVersion: "13.0.1.1071" };
    const success = expectAnswer(await postUpdate({ ...request, licenseKey: await keyOf(GLOBEX_AUTO, 1) }), 200, updateAnswer);
    expect(success.result).toBe("Success");
    expect(success.licenseKey).toBeTruthy();
    const upToDate = expectAnswer(await postUpdate({ ...request, licenseKey: await keyOf(GLOBEX_AUTO) }), 200, updateAnswer);
    expect(upToDate.result).toBe("NotRequired");
    const nfr = expectAnswer(await postUpdate({ ...request, licenseKey: await keyOf("LIC-ACME1-NFR01") }), 200, updateAnswer);
    expect(nfr.result).toBe("UnsupportedLicenseType");
    const invalid = expectAnswer(await postUpdate({ ...request, licenseKey: "eyJhbGciOiJFZERTQSJ9.e30.c2ln" }), 401, updateAnswer);
    expect(invalid).not.toHaveProperty("nextCheckAfter");
    expectAnswer(await postUpdate({ licenseKey: "x" }), 400, problemDocument);
  });

  it("POST /api/v1/usage/reports answers UsageReportAnswer (accepted, duplicate) or a problem", async () => {
    const body = await reportBody(GLOBEX_AUTO, { installationId: "vbr-output-schemas-3" });
    expect(expectAnswer(await postReport(body), 201, reportAnswer).status).toBe("accepted");
    expect(expectAnswer(await postReport(body), 200, reportAnswer).status).toBe("duplicate");
    expectAnswer(await postReport({ ...body, workloads: [{ type: "VBR_VM", count: 1 }] }), 409, problemDocument);
    const future = await postReport(await reportBody(GLOBEX_AUTO, { period: shiftPeriod(periodOf(new Date()), 2) }));
    const invalid = expectAnswer(future, 422, problemDocument);
    expect(invalid.errors ?? []).toEqual(expect.any(Array));
  });

  it("GET /.well-known/jwks.json and GET /api/health answer their documents", async () => {
    const jwks = expectAnswer(await call(jwksRoute, await request("GET", "/.well-known/jwks.json")), 200, jwksDocument.strict());
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(jsonWebKey.strict().safeParse(key).error).toBeUndefined();
    expectAnswer(await call(healthRoute, await request("GET", "/api/health")), 200, healthAnswer.strict());
  });
});

describe("monthly usage", () => {
  const period = shiftPeriod(periodOf(new Date()), -1);
  const at = (suffix = "") => `/api/portal/usage/${period}${suffix}`;

  it("answers the overview, the history, every kind of report, and each edit and Submit Usage", async () => {
    for (const who of [DEMO.alice, DEMO.bob]) {
      expectAnswer(await call(overviewRoute, await request("GET", "/api/portal/usage", { as: who })), 200, usageOverviewSchema);
      expectAnswer(await call(historyRoute, await request("GET", "/api/portal/usage/history?pageSize=3", { as: who })), 200, historyPageSchema);
    }
    const current = periodOf(new Date());
    const running = expectAnswer(await call(reportRoute, await request("GET", `/api/portal/usage/${current}`, { as: DEMO.bob }), { period: current }), 200, reportViewSchema);
    expect(running.kind).toBe("CURRENT");
    const submittedBefore = shiftPeriod(period, -1);
    const old = expectAnswer(await call(reportRoute, await request("GET", `/api/portal/usage/${submittedBefore}`, { as: DEMO.bob }), { period: submittedBefore }), 200, reportViewSchema);
    expect(old.kind).toBe("SUBMITTED");

    const due = expectAnswer(await call(reportRoute, await request("GET", at(), { as: DEMO.bob }), { period }), 200, reportViewSchema);
    expect(due.kind).toBe("DUE");
    const license = due.licenses.items.find((l) => l.rows.length > 0)!;
    const row = license.rows[0];

    const added = expectAnswer(
      await call(rowsRoute, await request("POST", at("/rows"), { as: DEMO.bob, body: { productId: "VB365", workloadType: "VB365_User", count: 3 } }), { period }),
      201,
      manualRowViewSchema,
    );
    const kept = expectAnswer(
      await call(rowsRoute, await request("POST", at("/rows"), { as: DEMO.bob, body: { productId: "VBR_ENT", workloadType: "VBR_VM", count: 4 } }), { period }),
      201,
      manualRowViewSchema,
    );
    expectAnswer(await call(rowRoute, await request("DELETE", at(`/rows/${added.id}`), { as: DEMO.bob }), { period, rowId: added.id }), 200, removedRowSchema);
    const adjustment = { licenseId: license.licenseId, workloadType: row.workloadType, count: row.reportedCount + 2 };
    const adjusted = expectAnswer(await call(adjustRoute, await request("PUT", at("/adjustments"), { as: DEMO.bob, body: adjustment }), { period }), 200, adjustmentResultSchema);
    expect(adjusted.count).toBe(row.reportedCount + 2);
    const lowered = { ...adjustment, count: 0, reason: "A test server, not billed" };
    expectAnswer(await call(adjustRoute, await request("PUT", at("/adjustments"), { as: DEMO.bob, body: lowered }), { period }), 200, adjustmentResultSchema);
    expectAnswer(await call(rowsRoute, await request("POST", at("/rows"), { as: DEMO.bob, body: { productId: "NOPE", workloadType: "X", count: 1 } }), { period }), 400, problemDocument);

    const draft = expectAnswer(await call(reportRoute, await request("GET", at("?page=1&pageSize=1"), { as: DEMO.bob }), { period }), 200, reportViewSchema);
    expect(draft.manualRows.map((r) => r.id)).toContain(kept.id);
    expect(draft.licenses.items).toHaveLength(1);

    const result = expectAnswer(await call(submitRoute, await request("POST", at("/submit"), { as: DEMO.bob }), { period }), 200, submitResultSchema);
    expect(result.period).toBe(period);
    expectAnswer(await call(submitRoute, await request("POST", at("/submit"), { as: DEMO.bob }), { period }), 409, problemDocument);
    const submitted = expectAnswer(await call(reportRoute, await request("GET", at(), { as: DEMO.bob }), { period }), 200, reportViewSchema);
    expect(submitted.kind).toBe("SUBMITTED");
    expectAnswer(await call(reportRoute, await request("GET", at(), { as: DEMO.victor }), { period }), 200, reportViewSchema);
    const history = expectAnswer(await call(historyRoute, await request("GET", "/api/portal/usage/history", { as: DEMO.bob }), {}), 200, historyPageSchema);
    expect(history.items[0].period).toBe(period);
  });
});

describe("support cases, notices, activity and contracts", () => {
  it("answer every provider and staff route with its schema", async () => {
    const body = { type: "LICENSING", problemArea: "LICENSING", severity: 2, summary: "Enable automatic license reporting", description: "For the output schemas test." };
    const opened = expectAnswer(await call(openCaseRoute, await request("POST", "/api/portal/cases", { as: DEMO.alice, body })), 201, caseDetailSchema);
    const number = String(opened.number);
    expectAnswer(await call(casesRoute, await request("GET", "/api/portal/cases", { as: DEMO.victor })), 200, caseListPageSchema);
    expectAnswer(await call(casesRoute, await request("GET", "/api/portal/cases?state=OPEN&page=1&pageSize=5", { as: DEMO.alice })), 200, caseListPageSchema);
    expectAnswer(await call(caseRoute, await request("GET", `/api/portal/cases/${number}`, { as: DEMO.alice }), { number }), 200, caseDetailSchema);
    expectAnswer(await call(caseRoute, await request("GET", `/api/portal/cases/${number}`, { as: DEMO.bob }), { number }), 404, problemDocument);
    const commented = expectAnswer(
      await call(commentRoute, await request("POST", `/api/portal/cases/${number}/comments`, { as: DEMO.alice, body: { body: "Any news?" } }), { number }),
      201,
      caseDetailSchema,
    );
    expect(commented.comments.at(-1)?.author).toEqual({ name: expect.any(String), staff: false });

    expectAnswer(await call(queueRoute, await request("GET", "/api/staff/cases?type=LICENSING", { as: DEMO.sam })), 200, staffCaseListPageSchema);
    const staffView = expectAnswer(await call(staffCaseRoute, await request("GET", `/api/staff/cases/${number}`, { as: DEMO.sam }), { number }), 200, staffCaseDetailSchema);
    const replied = expectAnswer(
      await call(staffCommentRoute, await request("POST", `/api/staff/cases/${number}/comments`, { as: DEMO.sam, body: { body: "On it." } }), { number }),
      201,
      staffCaseDetailSchema,
    );
    expect(replied.comments.at(-1)?.author?.staff).toBe(true);
    const moved = expectAnswer(
      await call(staffStateRoute, await request("PATCH", `/api/staff/cases/${number}`, { as: DEMO.sam, body: { state: staffView.nextStates[0] } }), { number }),
      200,
      staffCaseDetailSchema,
    );
    expect(moved.comments.some((c) => c.kind === "SYSTEM" && c.author?.staff)).toBe(true);
    const enabled = expectAnswer(
      await call(autoReportingRoute, await request("POST", `/api/staff/cases/${number}/auto-reporting`, { as: DEMO.sam, body: { enabled: true } }), { number }),
      200,
      autoReportingChangeResultSchema,
    );
    expect(enabled.changed).toBe(true);
    expect(enabled.case.organization.autoReportingChangedAt).not.toBeNull();
    expectAnswer(await call(organizationsRoute, await request("GET", "/api/staff/organizations", { as: DEMO.sam })), 200, staffOrganizationPageSchema);

    const notices = expectAnswer(await call(noticesRoute, await request("GET", "/api/portal/notices", { as: DEMO.victor })), 200, pendingNoticesSchema);
    expect(notices.length).toBeGreaterThan(0);
    const noticeId = notices[0].id;
    expectAnswer(await call(dismissRoute, await request("POST", `/api/portal/notices/${noticeId}/dismiss`, { as: DEMO.victor }), { noticeId }), 200, dismissedNoticeSchema);
    expectAnswer(await call(noticesRoute, await request("GET", "/api/portal/notices", { as: DEMO.bob })), 200, pendingNoticesSchema);

    const activity = expectAnswer(await call(activityRoute, await request("GET", "/api/portal/activity?pageSize=200", { as: DEMO.alice })), 200, activityPageSchema);
    expect(activity.items.some((i) => i.before !== null || i.after !== null)).toBe(true);
    expectAnswer(await call(activityRoute, await request("GET", "/api/portal/activity?category=case&query=case", { as: DEMO.alice })), 200, activityPageSchema);

    const contract = expectAnswer(await call(contractRoute, await request("GET", `/api/portal/contracts/${ACME_CONTRACT}`, { as: DEMO.victor }), { number: ACME_CONTRACT }), 200, contractSchema);
    expect(contract.state).toBe("ACTIVE");
    expectAnswer(await call(contractRoute, await request("GET", "/api/portal/contracts/04000001", { as: DEMO.bob }), { number: "04000001" }), 200, contractSchema);
  });
});
