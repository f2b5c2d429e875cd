// Support cases and enabling automatic license reporting (issue 6): tenant isolation as pairs
// (another organization 404, the owner allowed), viewers read-only, providers refused on every
// staff route, staff acting on any organization, the enable transaction (all or nothing, once),
// bad input refused with the field named and nothing changed, notices and the activity log.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as activityRoute } from "@/app/api/portal/activity/route";
import { POST as providerCommentRoute } from "@/app/api/portal/cases/[number]/comments/route";
import { GET as providerCaseRoute } from "@/app/api/portal/cases/[number]/route";
import { GET as providerListRoute, POST as openRoute } from "@/app/api/portal/cases/route";
import { PATCH as licensePatchRoute } from "@/app/api/portal/licenses/[licenseId]/route";
import { POST as dismissRoute } from "@/app/api/portal/notices/[noticeId]/dismiss/route";
import { GET as noticesRoute } from "@/app/api/portal/notices/route";
import { POST as autoReportingRoute } from "@/app/api/staff/cases/[number]/auto-reporting/route";
import { POST as staffCommentRoute } from "@/app/api/staff/cases/[number]/comments/route";
import { GET as staffCaseRoute, PATCH as staffStateRoute } from "@/app/api/staff/cases/[number]/route";
import { GET as queueRoute } from "@/app/api/staff/cases/route";
import { GET as organizationsRoute } from "@/app/api/staff/organizations/route";
import { getDb } from "@/lib/db";
import { periodOf, shiftPeriod } from "@/lib/domain/dates";
import { countOpenCases } from "@/lib/server/support-cases";
import { call, DEMO, request } from "../helpers";

// The audit module, with a switch that makes one action's audit write fail: the enable
// transaction must then leave nothing behind.
const failAudit = vi.hoisted(() => ({ action: null as string | null }));
vi.mock("@/lib/server/audit", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/server/audit")>();
  return {
    ...original,
    writeAudit: async (...args: Parameters<typeof original.writeAudit>) => {
      if (args[2].action === failAudit.action) throw new Error("The audit store is unavailable (test).");
      return original.writeAudit(...args);
    },
  };
});

afterEach(() => {
  failAudit.action = null;
});

const REQUEST = { type: "GENERAL_INQUIRY", problemArea: "VCSP_PULSE", severity: 3, summary: "Please enable automatic license reporting", description: "We would like our keys renewed automatically." };

let acmeId: string;
let globexId: string;
beforeAll(async () => {
  acmeId = (await getDb().organization.findUniqueOrThrow({ where: { name: "Acme Cloud Services" } })).id;
  globexId = (await getDb().organization.findUniqueOrThrow({ where: { name: "Globex Hosting" } })).id;
});

async function open(as: string, body: unknown = REQUEST) {
  return call(openRoute, await request("POST", "/api/portal/cases", { as, body }));
}
async function openOk(as: string, body: unknown = REQUEST): Promise<number> {
  const res = await open(as, body);
  expect(res.status, res.text).toBe(201);
  return res.json.number as number;
}
const p = (n: number) => ({ number: String(n) });
const providerGet = async (as: string, n: number) => call(providerCaseRoute, await request("GET", `/api/portal/cases/${n}`, { as }), p(n));
const providerComment = async (as: string, n: number, body: unknown) =>
  call(providerCommentRoute, await request("POST", `/api/portal/cases/${n}/comments`, { as, body }), p(n));
const staffGet = async (as: string, n: number) => call(staffCaseRoute, await request("GET", `/api/staff/cases/${n}`, { as }), p(n));
const staffState = async (as: string, n: number, state: string) =>
  call(staffStateRoute, await request("PATCH", `/api/staff/cases/${n}`, { as, body: { state } }), p(n));
const staffReply = async (as: string, n: number, body: string) =>
  call(staffCommentRoute, await request("POST", `/api/staff/cases/${n}/comments`, { as, body: { body } }), p(n));
const setAuto = async (as: string, n: number, enabled: unknown) =>
  call(autoReportingRoute, await request("POST", `/api/staff/cases/${n}/auto-reporting`, { as, body: { enabled } }), p(n));

/** Everything the enable transaction writes, for Acme. */
async function acmeFeatureState() {
  const db = getDb();
  const org = await db.organization.findUniqueOrThrow({ where: { id: acmeId }, select: { autoReportingEnabled: true, autoReportingChangedAt: true, autoReportingChangedById: true } });
  return {
    ...org,
    systemComments: await db.caseComment.count({ where: { kind: "SYSTEM", case: { organizationId: acmeId }, body: { contains: "Automatic license reporting" } } }),
    notices: await db.notice.count({ where: { organizationId: acmeId } }),
    audits: await db.auditEvent.count({ where: { organizationId: acmeId, action: { startsWith: "organization.auto_reporting" } } }),
  };
}
async function resetAcmeFeature() {
  await getDb().organization.update({ where: { id: acmeId }, data: { autoReportingEnabled: false, autoReportingChangedAt: null, autoReportingChangedById: null } });
}

describe("opening a case", () => {
  it("gives the case the next number from the counter and records it, for an admin", async () => {
    const before = await getDb().auditEvent.count({ where: { action: "case.opened" } });
    const first = await openOk(DEMO.alice);
    const second = await openOk(DEMO.bob, { ...REQUEST, type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 1, summary: "Veeam ONE stopped collecting" });
    expect(second).toBe(first + 1);
    const c = await getDb().supportCase.findUniqueOrThrow({ where: { number: first }, include: { openedBy: true } });
    expect(c).toMatchObject({ organizationId: acmeId, state: "OPEN", type: "GENERAL_INQUIRY", problemArea: "VCSP_PULSE", severity: 3, summary: REQUEST.summary });
    expect(c.openedBy.email).toBe(DEMO.alice);
    expect(await getDb().auditEvent.count({ where: { action: "case.opened" } })).toBe(before + 2);
  });

  it("defaults the severity to 3 and the description to empty", async () => {
    const n = await openOk(DEMO.alice, { type: "LICENSING", problemArea: "LICENSING", summary: "Points question" });
    expect(await getDb().supportCase.findUniqueOrThrow({ where: { number: n } })).toMatchObject({ severity: 3, description: "" });
  });

  it("accepts a 200-character summary and severities 1 and 4", async () => {
    await openOk(DEMO.alice, { ...REQUEST, summary: "x".repeat(200), severity: 1 });
    await openOk(DEMO.alice, { ...REQUEST, severity: 4 });
  });

  it("refuses invalid input with 400 naming the field, and changes nothing", async () => {
    const bad: [string, Record<string, unknown>][] = [
      ["summary", { ...REQUEST, summary: "" }],
      ["summary", { ...REQUEST, summary: "   " }],
      ["summary", { ...REQUEST, summary: "x".repeat(201) }],
      ["summary", { type: "GENERAL_INQUIRY", problemArea: "VCSP_PULSE" }],
      ["type", { ...REQUEST, type: "URGENT" }],
      ["problemArea", { ...REQUEST, problemArea: "WINDOWS" }],
      ["severity", { ...REQUEST, severity: 0 }],
      ["severity", { ...REQUEST, severity: 5 }],
      ["severity", { ...REQUEST, severity: 2.5 }],
      ["severity", { ...REQUEST, severity: "3" }],
    ];
    const db = getDb();
    const before = { cases: await db.supportCase.count(), counter: await db.counter.findUnique({ where: { name: "supportCase" } }), audits: await db.auditEvent.count() };
    for (const [field, body] of bad) {
      const res = await open(DEMO.alice, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((res.json.errors as { path: string }[]).map((e) => e.path), field).toContain(field);
      expect(res.json.detail).toContain(field);
    }
    expect({ cases: await db.supportCase.count(), counter: await db.counter.findUnique({ where: { name: "supportCase" } }), audits: await db.auditEvent.count() }).toEqual(before);
  });

  it("refuses a viewer (403) and support staff (404), and opens nothing", async () => {
    const before = await getDb().supportCase.count();
    expect((await open(DEMO.victor)).status).toBe(403);
    expect((await open(DEMO.sam)).status).toBe(404);
    expect((await open("")).status).toBe(401);
    expect(await getDb().supportCase.count()).toBe(before);
  });
});

describe("the NUL character (U+0000), which PostgreSQL text cannot store", () => {
  it("is refused with 400 in a case, a comment, a staff reply and a query, and nothing is written", async () => {
    const n = await openOk(DEMO.alice);
    const counts = async () => [await getDb().supportCase.count(), await getDb().caseComment.count()];
    const before = await counts();
    const opened = await open(DEMO.alice, { ...REQUEST, description: "before\u0000after" });
    expect(opened.status).toBe(400);
    expect(opened.json.detail).toMatch(/NUL character/);
    expect((await providerComment(DEMO.alice, n, { body: "a\u0000b" })).status).toBe(400);
    expect((await open(DEMO.alice, { ...REQUEST, ["sum\u0000mary"]: "x" })).status).toBe(400);
    expect((await staffReply(DEMO.sam, n, "x\u0000")).status).toBe(400);
    const listed = await call(providerListRoute, await request("GET", "/api/portal/cases?query=a%00b", { as: DEMO.alice }));
    expect(listed.status).toBe(400);
    const path = await call(providerCaseRoute, await request("GET", "/api/portal/cases/1%00", { as: DEMO.alice }), { number: "1\u0000" });
    expect([400, 404]).toContain(path.status);
    expect(await counts()).toEqual(before);
  });
});

describe("provider case routes: tenant isolation", () => {
  it("answer another organization's case with 404 and the owner's admin and viewer with the case", async () => {
    const n = await openOk(DEMO.alice);
    expect((await providerGet(DEMO.bob, n)).status).toBe(404);
    for (const who of [DEMO.alice, DEMO.victor]) {
      const own = await providerGet(who, n);
      expect(own.status, who).toBe(200);
      expect(own.json).toMatchObject({ number: n, state: "OPEN", summary: REQUEST.summary, openedBy: { email: DEMO.alice } });
    }
    expect((await providerGet(DEMO.alice, 99_999_999)).status).toBe(404);
    expect((await call(providerCaseRoute, await request("GET", "/api/portal/cases/abc", { as: DEMO.alice }), { number: "abc" })).status).toBe(404);
  });

  it("refuse a comment on another organization's case with 404 and change nothing; the owner may comment", async () => {
    const n = await openOk(DEMO.alice);
    const res = await providerComment(DEMO.bob, n, { body: "Not mine" });
    expect(res.status).toBe(404);
    expect(await getDb().caseComment.count({ where: { case: { number: n } } })).toBe(0);
    const own = await providerComment(DEMO.alice, n, { body: "More details" });
    expect(own.status).toBe(201);
    expect((own.json.comments as { body: string }[]).map((c) => c.body)).toEqual(["More details"]);
  });

  it("list only the caller's organization's cases, paginated on the server", async () => {
    const acme = await call(providerListRoute, await request("GET", "/api/portal/cases?pageSize=2", { as: DEMO.victor }));
    expect(acme.status).toBe(200);
    const total = await getDb().supportCase.count({ where: { organizationId: acmeId } });
    expect(acme.json).toMatchObject({ total, page: 1, pageSize: 2 });
    expect(acme.json.items).toHaveLength(2);
    const globex = await call(providerListRoute, await request("GET", "/api/portal/cases?pageSize=100", { as: DEMO.bob }));
    const numbers = (globex.json.items as { number: number; organizationName: string }[]);
    expect(numbers.length).toBe(await getDb().supportCase.count({ where: { organizationId: globexId } }));
    expect(numbers.every((c) => c.organizationName === "Globex Hosting")).toBe(true);
    expect((await call(providerListRoute, await request("GET", "/api/portal/cases?state=SLEEPING", { as: DEMO.bob }))).status).toBe(400);
  });

  it("let a viewer read but not comment (403, nothing written)", async () => {
    const n = await openOk(DEMO.alice);
    const res = await providerComment(DEMO.victor, n, { body: "Viewer here" });
    expect(res.status).toBe(403);
    expect(await getDb().caseComment.count({ where: { case: { number: n } } })).toBe(0);
  });

  it("refuse an empty or oversized comment with 400 naming the field", async () => {
    const n = await openOk(DEMO.alice);
    for (const body of [{ body: "" }, { body: "  " }, { body: "x".repeat(10_001) }, {}]) {
      const res = await providerComment(DEMO.alice, n, body);
      expect(res.status).toBe(400);
      expect((res.json.errors as { path: string }[])[0].path).toBe("body");
    }
    expect(await getDb().caseComment.count({ where: { case: { number: n } } })).toBe(0);
  });
});

describe("staff routes refuse providers", () => {
  it("answer every staff route and action with 404 for admins and viewers, 401 without a session, and change nothing", async () => {
    const n = await openOk(DEMO.alice);
    const before = { state: await acmeFeatureState(), comments: await getDb().caseComment.count(), c: await getDb().supportCase.findUniqueOrThrow({ where: { number: n } }) };
    for (const who of [DEMO.alice, DEMO.victor, DEMO.bob]) {
      expect((await call(queueRoute, await request("GET", "/api/staff/cases", { as: who }))).status, who).toBe(404);
      expect((await staffGet(who, n)).status, who).toBe(404);
      expect((await staffState(who, n, "RESOLVED")).status, who).toBe(404);
      expect((await staffReply(who, n, "I am support")).status, who).toBe(404);
      expect((await setAuto(who, n, true)).status, who).toBe(404);
      expect((await call(organizationsRoute, await request("GET", "/api/staff/organizations", { as: who }))).status, who).toBe(404);
    }
    expect((await setAuto("", n, true)).status).toBe(401);
    expect((await staffState("", n, "RESOLVED")).status).toBe(401);
    expect(await acmeFeatureState()).toEqual(before.state);
    expect(await getDb().caseComment.count()).toBe(before.comments);
    expect(await getDb().supportCase.findUniqueOrThrow({ where: { number: n } })).toEqual(before.c);
  });
});

describe("support staff", () => {
  it("see every organization's cases in the queue, newest first, filtered, with the open ones counted", async () => {
    const a = await openOk(DEMO.alice, { ...REQUEST, type: "LICENSING", problemArea: "LICENSING", summary: "Queue A" });
    const b = await openOk(DEMO.bob, { ...REQUEST, type: "TECHNICAL", problemArea: "VEEAM_ONE", summary: "Queue B" });
    const q = async (qs: string) => (await call(queueRoute, await request("GET", `/api/staff/cases?${qs}`, { as: DEMO.sam }))).json;
    const all = await q("pageSize=100");
    const items = all.items as { number: number; organizationName: string; createdAt: string }[];
    expect(all.total).toBe(await getDb().supportCase.count());
    expect(new Set(items.map((i) => i.organizationName))).toEqual(new Set(["Acme Cloud Services", "Globex Hosting"]));
    expect(items[0].number).toBe(b);
    expect(items[1].number).toBe(a);
    expect(items.map((i) => i.createdAt)).toEqual([...items.map((i) => i.createdAt)].sort().reverse());
    expect(all.open).toBe(await getDb().supportCase.count({ where: { state: { in: ["OPEN", "IN_PROGRESS"] } } }));
    const tech = await q("type=TECHNICAL&problemArea=VEEAM_ONE");
    expect((tech.items as { number: number }[]).map((i) => i.number)).toContain(b);
    expect((tech.items as { type: string }[]).every((i) => i.type === "TECHNICAL")).toBe(true);
    await staffState(DEMO.sam, b, "RESOLVED");
    expect(((await q("state=RESOLVED")).items as { number: number }[]).map((i) => i.number)).toContain(b);
    expect(((await q("state=OPEN&pageSize=100")).items as { number: number }[]).map((i) => i.number)).not.toContain(b);
    const page2 = await q("pageSize=1&page=2");
    expect((page2.items as { number: number }[])[0].number).toBe(a);
    for (const bad of ["state=NOPE", "type=URGENT", "problemArea=WINDOWS", "pageSize=101", "page=0"]) {
      expect((await call(queueRoute, await request("GET", `/api/staff/cases?${bad}`, { as: DEMO.sam }))).status, bad).toBe(400);
    }
  });

  it("read, reply to and move any organization's case; a provider comment on a resolved case reopens it", async () => {
    for (const owner of [DEMO.alice, DEMO.bob]) {
      const n = await openOk(owner);
      expect((await staffGet(DEMO.sam, n)).json).toMatchObject({ number: n, state: "OPEN", nextStates: ["IN_PROGRESS", "RESOLVED", "CLOSED"] });
      const reply = await staffReply(DEMO.sam, n, "Looking into it");
      expect(reply.status).toBe(201);
      expect((reply.json.comments as { body: string; author: { staff: boolean } }[]).at(-1)).toMatchObject({ body: "Looking into it", author: { staff: true } });
      expect((await staffState(DEMO.sam, n, "IN_PROGRESS")).json).toMatchObject({ state: "IN_PROGRESS" });
      const resolved = await staffState(DEMO.sam, n, "RESOLVED");
      expect(resolved.json).toMatchObject({ state: "RESOLVED" });
      expect(resolved.json.resolvedAt).not.toBeNull();
      // The owner sees the staff reply and the resolved state.
      const seen = await providerGet(owner, n);
      expect(seen.json.state).toBe("RESOLVED");
      const reopened = await providerComment(owner, n, { body: "Still broken" });
      expect(reopened.json).toMatchObject({ state: "OPEN", resolvedAt: null });
      const audit = await getDb().auditEvent.findFirst({ where: { action: "case.state_changed", targetId: String(n) }, orderBy: { at: "desc" } });
      expect(JSON.parse(audit!.after!)).toEqual({ state: "OPEN" });
    }
  });

  it("refuse a move that the rules forbid with 422 naming the field; a closed case is final", async () => {
    const n = await openOk(DEMO.alice);
    await staffState(DEMO.sam, n, "IN_PROGRESS");
    const back = await staffState(DEMO.sam, n, "OPEN");
    expect(back.status).toBe(422);
    expect((back.json.errors as { path: string }[])[0].path).toBe("state");
    expect((await staffState(DEMO.sam, n, "NOPE")).status).toBe(400);
    expect((await staffState(DEMO.sam, n, "CLOSED")).json).toMatchObject({ state: "CLOSED", nextStates: [] });
    expect((await staffState(DEMO.sam, n, "IN_PROGRESS")).status).toBe(422);
    expect((await providerComment(DEMO.alice, n, { body: "Hello?" })).status).toBe(409);
    expect((await staffReply(DEMO.sam, n, "Hello")).status).toBe(409);
    // Moving to the state it is in changes nothing.
    const comments = await getDb().caseComment.count({ where: { case: { number: n } } });
    expect((await staffState(DEMO.sam, n, "CLOSED")).status).toBe(200);
    expect(await getDb().caseComment.count({ where: { case: { number: n } } })).toBe(comments);
  });

  it("answer a case that does not exist with 404", async () => {
    expect((await staffGet(DEMO.sam, 99_999_999)).status).toBe(404);
    expect((await setAuto(DEMO.sam, 99_999_999, true)).status).toBe(404);
  });
});

describe("enabling automatic license reporting from a case", () => {
  it("is one transaction: when the audit write fails, nothing changed (flag, who, when, comment, notice)", async () => {
    await resetAcmeFeature();
    const n = await openOk(DEMO.alice);
    const before = await acmeFeatureState();
    const caseBefore = await getDb().supportCase.findUniqueOrThrow({ where: { number: n } });
    failAudit.action = "organization.auto_reporting_enabled";
    const res = await setAuto(DEMO.sam, n, true);
    expect(res.status).toBe(500);
    expect(await acmeFeatureState()).toEqual(before);
    expect(before.autoReportingEnabled).toBe(false);
    expect(await getDb().caseComment.count({ where: { caseId: caseBefore.id } })).toBe(0);
    expect(await getDb().supportCase.findUniqueOrThrow({ where: { number: n } })).toEqual(caseBefore);
    // The provider still cannot turn a key to auto-reported.
    const toggle = await call(licensePatchRoute, await request("PATCH", "/api/portal/licenses/LIC-ACME1-00002", { as: DEMO.alice, body: { autoReported: true } }), { licenseId: "LIC-ACME1-00002" });
    expect(toggle.status).toBe(422);
  });

  it("writes the flag with who and when, a case comment, a notice and an audit event; the provider has the feature at once", async () => {
    await resetAcmeFeature();
    const n = await openOk(DEMO.alice);
    const before = await acmeFeatureState();
    const res = await setAuto(DEMO.sam, n, true);
    expect(res.status).toBe(200);
    expect(res.json.changed).toBe(true);
    const sam = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.sam } });
    const after = await acmeFeatureState();
    expect(after).toMatchObject({ autoReportingEnabled: true, autoReportingChangedById: sam.id, systemComments: before.systemComments + 1, notices: before.notices + 1, audits: before.audits + 1 });
    expect(after.autoReportingChangedAt).toBeInstanceOf(Date);
    const c = res.json.case as { organization: { autoReportingEnabled: boolean; autoReportingChangedBy: string }; comments: { kind: string; body: string }[] };
    expect(c.organization).toMatchObject({ autoReportingEnabled: true, autoReportingChangedBy: "Sam Support" });
    expect(c.comments.at(-1)).toMatchObject({ kind: "SYSTEM", body: "Automatic license reporting enabled for Acme Cloud Services." });
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { organizationId: acmeId, action: "organization.auto_reporting_enabled" }, orderBy: { at: "desc" } });
    expect(audit).toMatchObject({ actorUserId: sam.id, actorLabel: DEMO.sam, targetType: "Organization", targetId: acmeId });
    expect(JSON.parse(audit.before!)).toMatchObject({ autoReportingEnabled: false });
    expect(JSON.parse(audit.after!)).toMatchObject({ autoReportingEnabled: true, case: n });
    // The provider sees it at once: the toggle that was refused now works.
    const toggle = await call(licensePatchRoute, await request("PATCH", "/api/portal/licenses/LIC-ACME1-00002", { as: DEMO.alice, body: { autoReported: true } }), { licenseId: "LIC-ACME1-00002" });
    expect(toggle.status).toBe(200);
    expect(toggle.json.autoReported).toBe(true);
  });

  it("changes nothing the second time, nor when two staff members click at once", async () => {
    await resetAcmeFeature();
    const n = await openOk(DEMO.alice);
    const first = await setAuto(DEMO.sam, n, true);
    expect(first.json.changed).toBe(true);
    const once = await acmeFeatureState();
    const again = await setAuto(DEMO.sam, n, true);
    expect(again.status).toBe(200);
    expect(again.json.changed).toBe(false);
    expect(await acmeFeatureState()).toEqual(once);

    await resetAcmeFeature();
    const before = await acmeFeatureState();
    const racing = await Promise.all([setAuto(DEMO.sam, n, true), setAuto(DEMO.sam, n, true), setAuto(DEMO.sam, n, true)]);
    expect(racing.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(racing.filter((r) => r.json.changed).length).toBe(1);
    const after = await acmeFeatureState();
    expect(after).toMatchObject({ autoReportingEnabled: true, notices: before.notices + 1, audits: before.audits + 1, systemComments: before.systemComments + 1 });
  });

  it("disables the same way (flag, comment, notice, audit), and refuses a body that is not a boolean", async () => {
    const n = await openOk(DEMO.alice);
    await setAuto(DEMO.sam, n, true);
    const before = await acmeFeatureState();
    const off = await setAuto(DEMO.sam, n, false);
    expect(off.json.changed).toBe(true);
    expect(await acmeFeatureState()).toMatchObject({ autoReportingEnabled: false, notices: before.notices + 1, audits: before.audits + 1, systemComments: before.systemComments + 1 });
    const bad = await setAuto(DEMO.sam, n, "yes");
    expect(bad.status).toBe(400);
    expect((bad.json.errors as { path: string }[])[0].path).toBe("enabled");
    expect((await acmeFeatureState()).autoReportingEnabled).toBe(false);
  });

  it("lets staff act on any organization's case (Globex, already enabled: no change)", async () => {
    const n = await openOk(DEMO.bob);
    const res = await setAuto(DEMO.sam, n, true);
    expect(res.status).toBe(200);
    expect(res.json.changed).toBe(false);
  });
});

describe("notices", () => {
  it("show the organization's users the notice until each dismisses it; another organization's notice is 404", async () => {
    await resetAcmeFeature();
    const n = await openOk(DEMO.alice);
    await setAuto(DEMO.sam, n, true);
    const list = async (as: string) => (await call(noticesRoute, await request("GET", "/api/portal/notices", { as }))).json as unknown as { id: string; kind: string }[];
    const alices = await list(DEMO.alice);
    expect(alices[0]).toMatchObject({ kind: "auto-reporting-enabled" });
    const id = alices[0].id;
    expect((await list(DEMO.bob)).map((x) => x.id)).not.toContain(id);
    expect((await call(dismissRoute, await request("POST", `/api/portal/notices/${id}/dismiss`, { as: DEMO.bob }), { noticeId: id })).status).toBe(404);
    expect((await list(DEMO.alice)).map((x) => x.id)).toContain(id);
    for (let i = 0; i < 2; i++) {
      const res = await call(dismissRoute, await request("POST", `/api/portal/notices/${id}/dismiss`, { as: DEMO.alice }), { noticeId: id });
      expect(res.status).toBe(200);
    }
    expect((await list(DEMO.alice)).map((x) => x.id)).not.toContain(id);
    expect((await list(DEMO.victor)).map((x) => x.id)).toContain(id);
    expect(await getDb().noticeDismissal.count({ where: { noticeId: id } })).toBe(1);
  });
});

describe("activity", () => {
  it("lists the organization's audit events newest first, filtered and paginated; never another organization's", async () => {
    await openOk(DEMO.alice, { ...REQUEST, summary: "Activity check" });
    const get = async (as: string, qs = "") => call(activityRoute, await request("GET", `/api/portal/activity?${qs}`, { as }));
    const all = await get(DEMO.victor, "pageSize=200");
    expect(all.status).toBe(200);
    const items = all.json.items as { at: string; action: string; targetId: string }[];
    expect(all.json.total).toBe(await getDb().auditEvent.count({ where: { organizationId: acmeId } }));
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());
    expect(items[0].action).toBe("case.opened");
    const globexIds = new Set((await getDb().auditEvent.findMany({ where: { organizationId: globexId }, select: { id: true } })).map((e) => e.id));
    expect((all.json.items as { id: string }[]).some((i) => globexIds.has(i.id))).toBe(false);
    const cases = await get(DEMO.alice, "category=case");
    expect((cases.json.items as { action: string }[]).every((i) => i.action.startsWith("case."))).toBe(true);
    const licenses = await get(DEMO.alice, "category=license&query=LIC-ACME1-00001");
    expect((licenses.json.items as { targetId: string }[]).every((i) => i.targetId === "LIC-ACME1-00001")).toBe(true);
    expect(licenses.json.total).toBeGreaterThan(0);
    const page2 = await get(DEMO.alice, "pageSize=1&page=2");
    expect((page2.json.items as { id: string }[])[0].id).toBe((all.json.items as { id: string }[])[1].id);
    expect((await get(DEMO.alice, "category=secrets")).status).toBe(400);
    expect((await get(DEMO.sam)).status).toBe(404);
  });
});

describe("open cases count and organizations' reporting health", () => {
  it("counts the organization's OPEN and IN_PROGRESS cases only", async () => {
    const acme = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.alice } });
    const ctx = { actor: { type: "user" as const, userId: acme.id, email: acme.email, role: acme.role, organizationId: acmeId }, now: new Date() };
    const expected = await getDb().supportCase.count({ where: { organizationId: acmeId, state: { in: ["OPEN", "IN_PROGRESS"] } } });
    expect(await countOpenCases(ctx)).toBe(expected);
    const n = await openOk(DEMO.alice);
    expect(await countOpenCases(ctx)).toBe(expected + 1);
    await staffState(DEMO.sam, n, "RESOLVED");
    expect(await countOpenCases(ctx)).toBe(expected);
  });

  it("shows each organization's late and missing periods", async () => {
    const res = await call(organizationsRoute, await request("GET", "/api/staff/organizations", { as: DEMO.sam }));
    const items = res.json.items as { name: string; health: { periods: number; late: string[]; missing: string[]; open: string[]; suspended: boolean } }[];
    const lastEnded = shiftPeriod(periodOf(new Date()), -1);
    for (const org of items) {
      // Demo data: every period on time except the one that just ended (due, or missing past the 10th).
      expect(org.health.periods, org.name).toBe(6);
      expect(org.health.late).toEqual([]);
      expect([...org.health.missing, ...org.health.open]).toEqual([lastEnded]);
      expect(org.health.suspended).toBe(false);
    }
    // A period submitted late (as stored at its submission) shows as late.
    const report = await getDb().monthlyReport.findFirstOrThrow({ where: { organizationId: acmeId, status: "SUBMITTED" }, orderBy: { period: "asc" } });
    await getDb().monthlyReport.update({ where: { id: report.id }, data: { submittedAt: new Date(report.dueAt.getTime() + 3 * 86_400_000), onTime: false } });
    const again = await call(organizationsRoute, await request("GET", "/api/staff/organizations", { as: DEMO.sam }));
    const acme = (again.json.items as typeof items).find((o) => o.name === "Acme Cloud Services")!;
    expect(acme.health.late).toEqual([report.period]);
  });
});
