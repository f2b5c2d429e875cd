// The license routes: list, key download, the Auto Reported License toggle, the wizard's Finish
// and revoke; tenant isolation for each (owner allowed, other organization 404) and viewers.
import { afterEach, describe, expect, it } from "vitest";
import { GET as listRoute, POST as createRoute } from "@/app/api/portal/licenses/route";
import { GET as detailRoute, PATCH as patchRoute } from "@/app/api/portal/licenses/[licenseId]/route";
import { GET as keyRoute } from "@/app/api/portal/licenses/[licenseId]/key/route";
import { POST as revokeRoute } from "@/app/api/portal/licenses/[licenseId]/revoke/route";
import { resetTestClock, setTestClock } from "@/lib/clock";
import { verifyLicenseKey } from "@/lib/crypto/license-key";
import { getDb } from "@/lib/db";
import { addDays, addMonths, periodOf, shiftPeriod, toDateString } from "@/lib/domain/dates";
import { call, DEMO, request } from "../helpers";

const ACME_RENTAL = "LIC-ACME1-00001";
const ACME_NFR = "LIC-ACME1-NFR01";
const GLOBEX_AUTO = "LIC-GLBX1-00001";
const GLOBEX_VOLUME = "LIC-GLBX1-VOL01";
const today = () => toDateString(new Date());

const versions = async (licenseId: string) =>
  getDb().keyVersion.count({ where: { license: { licenseId } } });
const patch = async (as: string, licenseId: string, autoReported: unknown) =>
  call(patchRoute, await request("PATCH", `/api/portal/licenses/${licenseId}`, { as, body: { autoReported } }), { licenseId });

afterEach(async () => {
  if (process.env.PULSE_TEST_CLOCK) {
    await resetTestClock();
    delete process.env.PULSE_TEST_CLOCK;
  }
});

describe("GET /api/portal/licenses", () => {
  it("searches % and _ as plain characters, not as wildcards", async () => {
    await getDb().license.updateMany({ where: { licenseId: ACME_NFR }, data: { description: "Lab 50%_off" } });
    const search = async (query: string) => {
      const res = await call(listRoute, await request("GET", `/api/portal/licenses?query=${encodeURIComponent(query)}`, { as: DEMO.alice }));
      expect(res.status).toBe(200);
      return (res.json.items as { licenseId: string }[]).map((i) => i.licenseId);
    };
    expect(await search("ACME1_0")).toEqual([]);
    expect(await search("LIC%ACME")).toEqual([]);
    expect(await search("_")).toEqual([ACME_NFR]);
    expect(await search("%")).toEqual([ACME_NFR]);
    expect(await search("50%_OFF")).toEqual([ACME_NFR]);
    expect(await search("acme1-0")).toHaveLength(2);
  });

  it("lists only the caller's organization's licenses, in the stable format", async () => {
    const acme = await call(listRoute, await request("GET", "/api/portal/licenses", { as: DEMO.victor }));
    expect(acme.status).toBe(200);
    expect(acme.json).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    const items = acme.json.items as Record<string, unknown>[];
    expect(items.map((i) => i.licenseId).sort()).toEqual(["LIC-ACME1-00001", "LIC-ACME1-00002", "LIC-ACME1-NFR01"]);
    expect(items.find((i) => i.licenseId === ACME_NFR)).toMatchObject({ type: "NFR", supportId: null, productId: "VBR_ENTPLUS", autoReported: false, state: "ACTIVE" });
    expect(items.find((i) => i.licenseId === ACME_RENTAL)).toMatchObject({
      type: "RENTAL", supportId: "02553275", productName: "Veeam Backup & Replication", description: "Primary datacenter backup", points: 650,
    });
    // Each row says why its toggle cannot change, from the same rules the PATCH applies.
    expect(items.every((i) => /not enabled for your organization/.test(i.toggleRefusal as string))).toBe(true);
    for (const key of ["licenseId", "type", "supportId", "productId", "productName", "description", "autoReported", "expirationDate", "state", "points"]) {
      expect(items[0]).toHaveProperty(key);
    }
    const globex = await call(listRoute, await request("GET", "/api/portal/licenses", { as: DEMO.bob }));
    const globexItems = globex.json.items as { licenseId: string; toggleRefusal: string | null }[];
    expect(globexItems.length).toBe(4);
    expect(globexItems.every((i) => i.licenseId.startsWith("LIC-GLBX1"))).toBe(true);
    expect(globexItems.find((i) => i.licenseId === "LIC-GLBX1-00002")?.toggleRefusal).toBeNull();
    expect(globexItems.find((i) => i.licenseId === GLOBEX_VOLUME)?.toggleRefusal).toMatch(/contract is not active|expired/);
  });

  it("searches license id and description in any case, filters by product and state, sorts and pages", async () => {
    const q = async (qs: string) => (await call(listRoute, await request("GET", `/api/portal/licenses?${qs}`, { as: DEMO.bob }))).json;
    expect((await q("query=hosted")).items).toHaveLength(2); // "Hosted backup cluster A", "Microsoft 365 hosted backup"
    expect((await q("query=glbx1-0000")).total).toBe(3);
    expect(((await q("product=VCC")).items as { licenseId: string }[]).map((i) => i.licenseId)).toEqual(["LIC-GLBX1-00002"]);
    const ended = (await q("state=CONTRACT_ENDED")).items as { licenseId: string; state: string }[];
    const expired = (await q("state=EXPIRED")).items as { licenseId: string; state: string }[];
    // The volume license ends on the first of this month: expired, or contract-ended on the 1st.
    expect([...ended, ...expired].map((i) => i.licenseId)).toEqual([GLOBEX_VOLUME]);
    const active = (await q("state=ACTIVE")).items as { licenseId: string; state: string }[];
    // The two newer auto-reported licenses have well over 7 days left whatever the date.
    expect(active.map((i) => i.licenseId)).toEqual(expect.arrayContaining(["LIC-GLBX1-00002", "LIC-GLBX1-00003"]));
    expect(active.every((i) => i.state === "ACTIVE")).toBe(true);
    const byPoints = (await q("sort=points&dir=desc")).items as { points: number }[];
    expect(byPoints.map((i) => i.points)).toEqual([...byPoints.map((i) => i.points)].sort((a, b) => b - a));
    const page2 = await q("sort=licenseId&pageSize=3&page=2");
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect((page2.items as { licenseId: string }[]).map((i) => i.licenseId)).toEqual(["LIC-GLBX1-VOL01"]);
    expect((await q("product=")).total).toBe(4); // an empty filter is no filter
  });

  it("refuses bad query values with 400 naming the field", async () => {
    for (const qs of ["pageSize=0", "pageSize=201", "state=SLEEPING", "product=NOPE", "page=-1", "sort=password"]) {
      const res = await call(listRoute, await request("GET", `/api/portal/licenses?${qs}`, { as: DEMO.bob }));
      expect(res.status, qs).toBe(400);
      expect((res.json.errors as { path: string }[])[0].path, qs).toBe(qs.split("=")[0]);
    }
  });

  it("needs a session and refuses support staff", async () => {
    expect((await call(listRoute, await request("GET", "/api/portal/licenses"))).status).toBe(401);
    expect((await call(listRoute, await request("GET", "/api/portal/licenses", { as: DEMO.sam }))).status).toBe(404);
  });
});

describe("key download", () => {
  it("gives the owner the newest key file, or a given version, that verifies", async () => {
    const res = await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}/key`, { as: DEMO.bob }), { licenseId: GLOBEX_AUTO });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${GLOBEX_AUTO}.lic"`);
    expect(res.text.endsWith("\n")).toBe(true);
    expect(res.text.trim().split(".")).toHaveLength(3);
    const newest = await verifyLicenseKey(res.text);
    const total = await versions(GLOBEX_AUTO);
    expect(newest.ver).toBe(total);
    expect(newest.lic).toMatchObject({ licenseId: GLOBEX_AUTO, supportId: "03110042", autoReported: true, organization: { name: "Globex Hosting" } });
    const v1 = await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}/key?version=1`, { as: DEMO.bob }), { licenseId: GLOBEX_AUTO });
    expect((await verifyLicenseKey(v1.text)).ver).toBe(1);
    const none = await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}/key?version=99`, { as: DEMO.bob }), { licenseId: GLOBEX_AUTO });
    expect(none.status).toBe(404);
  });

  it("refuses a viewer the key file (a product credential) but shows the versions", async () => {
    const res = await call(keyRoute, await request("GET", `/api/portal/licenses/${ACME_RENTAL}/key`, { as: DEMO.victor }), { licenseId: ACME_RENTAL });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain("eyJ");
    expect(res.headers.get("content-disposition")).toBeNull();
    const detail = await call(detailRoute, await request("GET", `/api/portal/licenses/${ACME_RENTAL}`, { as: DEMO.victor }), { licenseId: ACME_RENTAL });
    expect(detail.status).toBe(200);
    expect((detail.json.versions as unknown[]).length).toBeGreaterThan(0);
    const admin = await call(keyRoute, await request("GET", `/api/portal/licenses/${ACME_RENTAL}/key`, { as: DEMO.alice }), { licenseId: ACME_RENTAL });
    expect(admin.status).toBe(200);
  });

  it("answers another organization's license with 404", async () => {
    const res = await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}/key`, { as: DEMO.alice }), { licenseId: GLOBEX_AUTO });
    expect(res.status).toBe(404);
    const detail = await call(detailRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}`, { as: DEMO.alice }), { licenseId: GLOBEX_AUTO });
    expect(detail.status).toBe(404);
    const own = await call(detailRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}`, { as: DEMO.bob }), { licenseId: GLOBEX_AUTO });
    expect(own.status).toBe(200);
    expect((own.json.versions as unknown[]).length).toBe(await versions(GLOBEX_AUTO));
  });
});

describe("PATCH autoReported", () => {
  it("switching off issues one version with the flag off and keeps the date; the same PATCH again issues none", async () => {
    const before = await getDb().license.findUniqueOrThrow({ where: { licenseId: GLOBEX_AUTO } });
    const n = await versions(GLOBEX_AUTO);
    const off = await patch(DEMO.bob, GLOBEX_AUTO, false);
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ licenseId: GLOBEX_AUTO, autoReported: false, expirationDate: before.expirationDate });
    expect(await versions(GLOBEX_AUTO)).toBe(n + 1);
    const again = await patch(DEMO.bob, GLOBEX_AUTO, false);
    expect(again.status).toBe(200);
    expect(await versions(GLOBEX_AUTO)).toBe(n + 1);
    const key = await call(keyRoute, await request("GET", `/api/portal/licenses/${GLOBEX_AUTO}/key`, { as: DEMO.bob }), { licenseId: GLOBEX_AUTO });
    expect((await verifyLicenseKey(key.text)).lic.autoReported).toBe(false);
    const audit = await getDb().auditEvent.findMany({ where: { targetId: GLOBEX_AUTO, action: { in: ["license.auto_reported_off", "license.key_issued"] } } });
    expect(audit.filter((a) => a.action === "license.auto_reported_off")).toHaveLength(1);
  });

  it("switching on sets the earlier of the current date and 75 days out, and never lengthens", async () => {
    const far = addMonths(today(), 10);
    await getDb().license.update({ where: { licenseId: GLOBEX_AUTO }, data: { autoReported: false, expirationDate: far, supportExpirationDate: far } });
    const on = await patch(DEMO.bob, GLOBEX_AUTO, true);
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ autoReported: true, expirationDate: addDays(today(), 75) });
    await patch(DEMO.bob, GLOBEX_AUTO, false);
    const again = await patch(DEMO.bob, GLOBEX_AUTO, true);
    expect(again.json.expirationDate).toBe(addDays(today(), 75));
    const soon = addDays(today(), 20);
    await getDb().license.update({ where: { licenseId: GLOBEX_AUTO }, data: { autoReported: false, expirationDate: soon } });
    expect((await patch(DEMO.bob, GLOBEX_AUTO, true)).json.expirationDate).toBe(soon);
  });

  it("issues exactly one version under concurrent toggles", async () => {
    await patch(DEMO.bob, GLOBEX_AUTO, false);
    const n = await versions(GLOBEX_AUTO);
    const ons = await Promise.all(Array.from({ length: 10 }, () => patch(DEMO.bob, GLOBEX_AUTO, true)));
    expect(ons.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await versions(GLOBEX_AUTO)).toBe(n + 1);
    const offs = await Promise.all(Array.from({ length: 10 }, () => patch(DEMO.bob, GLOBEX_AUTO, false)));
    expect(offs.every((r) => r.status === 200 && r.json.autoReported === false)).toBe(true);
    expect(await versions(GLOBEX_AUTO)).toBe(n + 2);
    const numbers = (await getDb().keyVersion.findMany({ where: { license: { licenseId: GLOBEX_AUTO } }, select: { version: true }, orderBy: { version: "asc" } })).map((v) => v.version);
    expect(numbers).toEqual(Array.from({ length: n + 2 }, (_, i) => i + 1));
  });

  it("is refused with 422 saying why while the organization lacks the feature, and changes nothing", async () => {
    const n = await versions(ACME_RENTAL);
    const res = await patch(DEMO.alice, ACME_RENTAL, true);
    expect(res.status).toBe(422);
    expect(res.json.detail).toMatch(/not enabled for your organization/);
    expect(await versions(ACME_RENTAL)).toBe(n);
    expect((await getDb().license.findUniqueOrThrow({ where: { licenseId: ACME_RENTAL } })).autoReported).toBe(false);
  });

  it("is refused for an NFR license and a license whose contract ended", async () => {
    await getDb().organization.update({ where: { name: "Acme Cloud Services" }, data: { autoReportingEnabled: true } });
    try {
      const nfr = await patch(DEMO.alice, ACME_NFR, true);
      expect(nfr.status).toBe(422);
      expect(nfr.json.detail).toMatch(/Only rental/);
      const ok = await patch(DEMO.alice, ACME_RENTAL, true);
      expect(ok.status).toBe(200);
      expect(ok.json.expirationDate).toBe(addDays(today(), 75));
    } finally {
      await getDb().organization.update({ where: { name: "Acme Cloud Services" }, data: { autoReportingEnabled: false } });
    }
    const vol = await patch(DEMO.bob, GLOBEX_VOLUME, true);
    expect(vol.status).toBe(422);
  });

  it("refuses a viewer (403), another organization (404), and a body that is not a boolean (400)", async () => {
    expect((await patch(DEMO.victor, ACME_RENTAL, true)).status).toBe(403);
    expect((await patch(DEMO.alice, GLOBEX_AUTO, false)).status).toBe(404);
    expect((await patch(DEMO.bob, GLOBEX_AUTO, "yes")).status).toBe(400);
    const extra = await call(patchRoute, await request("PATCH", `/api/portal/licenses/${GLOBEX_AUTO}`, { as: DEMO.bob, body: { autoReported: true, expirationDate: "2099-01-01" } }), { licenseId: GLOBEX_AUTO });
    expect(extra.status).toBe(400);
  });

  it("refuses a state-changing request from another site's page (403)", async () => {
    const req = await request("PATCH", `/api/portal/licenses/${GLOBEX_AUTO}`, { as: DEMO.bob, body: { autoReported: false }, headers: { origin: "https://evil.example" } });
    expect((await call(patchRoute, req, { licenseId: GLOBEX_AUTO })).status).toBe(403);
  });
});

describe("POST /api/portal/licenses (New License Key)", () => {
  const create = async (as: string, body: unknown) => call(createRoute, await request("POST", "/api/portal/licenses", { as, body }));
  const noCommit = { contractNumber: "03110042", productId: "VBR_ENT", autoReported: true, description: "New cluster", workloads: [{ type: "VBR_VM", count: 10 }] };

  it("creates an auto-reported NO_COMMIT key expiring 75 days out, with version 1 signed", async () => {
    const res = await create(DEMO.bob, noCommit);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ autoReported: true, expirationDate: addDays(today(), 75), points: 50, supportId: "03110042", type: "RENTAL", state: "ACTIVE" });
    const licenseId = res.json.licenseId as string;
    const key = await call(keyRoute, await request("GET", `/api/portal/licenses/${licenseId}/key`, { as: DEMO.bob }), { licenseId });
    const payload = await verifyLicenseKey(key.text);
    expect(payload).toMatchObject({ sub: licenseId, ver: 1, lic: { workloads: [{ type: "VBR_VM", count: 10 }], points: 50, expirationDate: addDays(today(), 75) } });
    expect(await getDb().auditEvent.count({ where: { targetId: licenseId, action: { in: ["license.created", "license.key_issued"] } } })).toBe(2);
  });

  it("refuses to turn the forced-on toggle off, and a chosen date for an auto-reported key is ignored", async () => {
    const off = await create(DEMO.bob, { ...noCommit, autoReported: false, expirationDate: addDays(today(), 30) });
    expect(off.status).toBe(400);
    expect(off.json.errors).toEqual([expect.objectContaining({ path: "autoReported", message: expect.stringMatching(/no-commit/) })]);
    const dated = await create(DEMO.bob, { ...noCommit, expirationDate: addDays(today(), 300) });
    expect(dated.json.expirationDate).toBe(addDays(today(), 75));
  });

  it("creates a manual key within tomorrow to 12 months when the organization lacks the feature", async () => {
    const manual = { contractNumber: "02553275", productId: "VB365", autoReported: false, expirationDate: addDays(today(), 1), workloads: [{ type: "VB365_User", count: 3 }] };
    const res = await create(DEMO.alice, manual);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ autoReported: false, expirationDate: addDays(today(), 1), points: 5, description: "" });
    const before = await getDb().license.count();
    for (const [body, path] of [
      [{ ...manual, expirationDate: today() }, "expirationDate"],
      [{ ...manual, expirationDate: addDays(addMonths(today(), 12), 1) }, "expirationDate"],
      [{ ...manual, autoReported: true, expirationDate: null }, "autoReported"],
      [{ ...manual, contractNumber: "03110042" }, "contractNumber"],
      [{ ...manual, workloads: [{ type: "VBR_VM", count: 1 }] }, "workloads.0.type"],
      [{ ...manual, workloads: [{ type: "VB365_User", count: 0 }] }, "workloads.0.count"],
      [{ ...manual, workloads: [{ type: "VB365_User", count: 1.5 }] }, "workloads.0.count"],
      [{ ...manual, workloads: [] }, "workloads"],
      [{ ...manual, productId: "NOPE" }, "productId"],
      [{ ...manual, description: "x".repeat(201) }, "description"],
    ] as const) {
      const bad = await create(DEMO.alice, body);
      expect(bad.status, path).toBe(400);
      expect((bad.json.errors as { path: string }[]).map((e) => e.path), path).toContain(path);
    }
    expect(await getDb().license.count()).toBe(before);
  });

  it("refuses a viewer with 403 and creates nothing", async () => {
    const before = await getDb().license.count();
    const res = await create(DEMO.victor, { contractNumber: "02553275", productId: "VB365", autoReported: false, expirationDate: addDays(today(), 10), workloads: [{ type: "VB365_User", count: 3 }] });
    expect(res.status).toBe(403);
    expect(await getDb().license.count()).toBe(before);
  });

  it("is refused while the organization is suspended, saying which periods to submit", async () => {
    // On the 20th, the period that just ended is past its due day (10th); drop the one before it too.
    process.env.PULSE_TEST_CLOCK = "1";
    const now = new Date();
    await setTestClock(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 20, 12)));
    const lastEnded = shiftPeriod(periodOf(now), -1);
    const before = shiftPeriod(lastEnded, -1);
    const acme = await getDb().organization.findUniqueOrThrow({ where: { name: "Acme Cloud Services" } });
    await getDb().monthlyReport.deleteMany({ where: { organizationId: acme.id, period: before } });
    const res = await create(DEMO.alice, { contractNumber: "02553275", productId: "VB365", autoReported: false, expirationDate: addDays(today(), 10), workloads: [{ type: "VB365_User", count: 3 }] });
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain(`Submit the usage report for ${before}, ${lastEnded}`);
    // Globex, whose periods are all in order, is not affected.
    expect((await create(DEMO.bob, noCommit)).status).toBe(201);
  });
});

describe("revoke", () => {
  it("refuses a viewer and another organization, then lets the admin revoke once", async () => {
    const path = `/api/portal/licenses/${ACME_RENTAL}/revoke`;
    expect((await call(revokeRoute, await request("POST", path, { as: DEMO.victor }), { licenseId: ACME_RENTAL })).status).toBe(403);
    expect((await call(revokeRoute, await request("POST", path, { as: DEMO.bob }), { licenseId: ACME_RENTAL })).status).toBe(404);
    expect((await getDb().license.findUniqueOrThrow({ where: { licenseId: ACME_RENTAL } })).revokedAt).toBeNull();
    const res = await call(revokeRoute, await request("POST", path, { as: DEMO.alice }), { licenseId: ACME_RENTAL });
    expect(res.status).toBe(200);
    expect(res.json.state).toBe("REVOKED");
    await call(revokeRoute, await request("POST", path, { as: DEMO.alice }), { licenseId: ACME_RENTAL });
    expect(await getDb().auditEvent.count({ where: { targetId: ACME_RENTAL, action: "license.revoked" } })).toBe(1);
    // A revoked license can no longer be changed.
    const { autoReported } = await getDb().license.findUniqueOrThrow({ where: { licenseId: ACME_RENTAL } });
    const change = await patch(DEMO.alice, ACME_RENTAL, !autoReported);
    expect(change.status).toBe(422);
    expect(change.json.detail).toMatch(/revoked/);
  });
});
