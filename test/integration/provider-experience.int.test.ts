// The server side of issue 21: the list's live-first order and its "not collected" filter agree
// with their rules in lib/domain at every page; the Overview's counts; one manual row per product
// and type; "Copy last month's rows"; and the open request for automatic reporting.
import { describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/portal/licenses/route";
import { POST as copyRoute } from "@/app/api/portal/usage/[period]/rows/copy-previous/route";
import { POST as addRowRoute } from "@/app/api/portal/usage/[period]/rows/route";
import { GET as reportRoute } from "@/app/api/portal/usage/[period]/route";
import { getDb } from "@/lib/db";
import { addDays, periodOf, shiftPeriod, toDateString } from "@/lib/domain/dates";
import { awaitingCollection, liveFirst } from "@/lib/domain/licenses";
import { licenseHealth } from "@/lib/server/license-list";
import { openAutoReportingRequest } from "@/lib/server/support-cases";
import { call, DEMO, request } from "../helpers";

const today = () => toDateString(new Date());
const list = async (as: string, qs: string) => (await call(listRoute, await request("GET", `/api/portal/licenses?${qs}`, { as }))).json;
const globex = () => getDb().organization.findFirstOrThrow({ where: { name: "Globex Hosting" }, select: { id: true } });

async function providerCtx(email: string) {
  const user = await getDb().user.findUniqueOrThrow({ where: { email }, select: { id: true, email: true, role: true, organizationId: true } });
  return { actor: { type: "user" as const, userId: user.id, email: user.email, role: user.role, organizationId: user.organizationId! }, now: new Date() };
}

describe("the license list's default view and its 'not collected' filter", () => {
  it("pages live keys first by expiration, then expired and revoked ones, exactly as liveFirst orders them", async () => {
    // More keys than a page, some expired and one revoked, so that pages straddle the two ranges.
    const org = await globex();
    const contract = await getDb().contract.findFirstOrThrow({ where: { organizationId: org.id, number: "03110042" } });
    const offsets = [-30, -1, 0, 3, 9, 40, -200, 120, -5];
    for (const [i, days] of offsets.entries()) {
      const expirationDate = addDays(today(), days);
      await getDb().license.create({
        data: {
          licenseId: `LIC-ORDER-${String(i).padStart(5, "0")}`, organizationId: org.id, contractId: contract.id, type: "RENTAL", productId: "VBR_ENT",
          expirationDate, supportExpirationDate: expirationDate, points: 5, currentVersion: 1, revokedAt: i === 7 ? new Date() : null,
        },
      });
    }
    const all = await getDb().license.findMany({ where: { organizationId: org.id }, select: { licenseId: true, expirationDate: true, revokedAt: true } });
    const expected = all
      .map((l) => ({ ...l, revoked: l.revokedAt !== null }))
      .sort((a, b) => liveFirst(a, b, today()) || a.licenseId.localeCompare(b.licenseId))
      .map((l) => l.licenseId);
    for (const pageSize of [1, 3, 4, 50]) {
      const seen: string[] = [];
      for (let page = 1; seen.length < all.length; page++) {
        const json = await list(DEMO.bob, `sort=live&pageSize=${pageSize}&page=${page}`);
        expect(json.total).toBe(all.length);
        seen.push(...(json.items as { licenseId: string }[]).map((i) => i.licenseId));
        expect(page).toBeLessThanOrEqual(all.length);
      }
      expect(seen).toEqual(expected);
    }
    // Filters still apply within both ranges.
    const order = (await list(DEMO.bob, "sort=live&query=LIC-ORDER")).items as { licenseId: string }[];
    expect(order.map((i) => i.licenseId)).toEqual(expected.filter((id) => id.startsWith("LIC-ORDER")));
  });

  it("lists, and counts, exactly the keys awaitingCollection flags; a check after the renewal clears one", async () => {
    const org = await globex();
    const rows = await getDb().license.findMany({
      where: { organizationId: org.id },
      select: { licenseId: true, autoReported: true, revokedAt: true, expirationDate: true, keyIssuedAt: true, lastCheckAt: true },
    });
    const flagged = rows.filter((r) => awaitingCollection({ ...r, revoked: r.revokedAt !== null }, today())).map((r) => r.licenseId).sort();
    expect(flagged).toEqual(expect.arrayContaining(["LIC-GLBX1-00001", "LIC-GLBX1-00002", "LIC-GLBX1-00003"]));
    const json = await list(DEMO.bob, "collected=no&pageSize=200");
    const items = json.items as { licenseId: string; awaitingCollection: boolean }[];
    expect(items.map((i) => i.licenseId).sort()).toEqual(flagged);
    expect(items.every((i) => i.awaitingCollection)).toBe(true);
    const ctx = await providerCtx(DEMO.bob);
    expect((await licenseHealth(ctx)).awaitingCollection).toBe(flagged.length);

    // A product server's check after the renewal collects the key.
    const key = await getDb().license.findFirstOrThrow({ where: { licenseId: "LIC-GLBX1-00002" }, select: { keyIssuedAt: true } });
    await getDb().license.update({ where: { licenseId: "LIC-GLBX1-00002" }, data: { lastCheckAt: new Date(key.keyIssuedAt!.getTime() + 1000), lastCheckResult: "NotRequired" } });
    const after = (await list(DEMO.bob, "collected=no&pageSize=200")).items as { licenseId: string }[];
    expect(after.map((i) => i.licenseId)).not.toContain("LIC-GLBX1-00002");
    expect((await licenseHealth(ctx)).awaitingCollection).toBe(flagged.length - 1);
    // Another organization's keys never count.
    expect((await licenseHealth(await providerCtx(DEMO.alice))).awaitingCollection).toBe(0);
  });

  it("stamps keyIssuedAt with the new key version's issue time on every key version", async () => {
    const rows = await getDb().license.findMany({ select: { id: true, currentVersion: true, keyIssuedAt: true } });
    for (const r of rows.filter((x) => x.currentVersion > 0)) {
      const v = await getDb().keyVersion.findFirst({ where: { licenseId: r.id, version: r.currentVersion }, select: { issuedAt: true } });
      if (v) expect(r.keyIssuedAt?.toISOString()).toBe(v.issuedAt.toISOString());
    }
  });

  it("refuses an unknown collected value with 400", async () => {
    const res = await call(listRoute, await request("GET", "/api/portal/licenses?collected=yes", { as: DEMO.bob }));
    expect(res.status).toBe(400);
  });
});

describe("manual rows: one per product and type, and last month's rows", () => {
  const period = () => shiftPeriod(periodOf(new Date()), -1);
  const report = async (as: string, p = period()) => (await call(reportRoute, await request("GET", `/api/portal/usage/${p}`, { as }), { period: p })).json;
  const add = async (as: string, body: unknown) => call(addRowRoute, await request("POST", `/api/portal/usage/${period()}/rows`, { as, body }), { period: period() });
  const copy = async (as: string) => call(copyRoute, await request("POST", `/api/portal/usage/${period()}/rows/copy-previous`, { as }), { period: period() });

  it("copies last month's rows this month lacks, once; refuses a viewer; a second row for a pair is refused", async () => {
    const before = await report(DEMO.alice);
    const previous = before.previousManualRows as { productId: string; workloadType: string; count: number }[];
    expect(previous.length).toBeGreaterThan(0);
    expect((await copy(DEMO.victor)).status).toBe(403);

    const added = await add(DEMO.alice, { productId: "VBR_ENT", workloadType: "VBR_VM", count: 7 });
    expect(added.status).toBe(201);
    const copied = await copy(DEMO.alice);
    expect(copied.status).toBe(201);
    const rows = (copied.json.added as { productId: string; workloadType: string; count: number }[]).map((r) => `${r.productId}/${r.workloadType}/${r.count}`);
    expect(rows).toEqual(previous.filter((r) => r.workloadType !== "VBR_VM").map((r) => `${r.productId}/${r.workloadType}/${r.count}`));
    const after = await report(DEMO.alice);
    expect((after.manualRows as unknown[]).length).toBe(previous.length);

    // Nothing left to copy: refused, nothing added.
    const again = await copy(DEMO.alice);
    expect(again.status).toBe(422);
    expect(again.json.detail).toMatch(/already in this month/);
    expect(((await report(DEMO.alice)).manualRows as unknown[]).length).toBe(previous.length);

    const twice = await add(DEMO.alice, { productId: "VBR_ENT", workloadType: "VBR_VM", count: 9 });
    expect(twice.status).toBe(422);
    expect(twice.json.errors).toEqual([expect.objectContaining({ path: "workloadType" })]);
    expect(((await report(DEMO.alice)).manualRows as unknown[]).length).toBe(previous.length);

    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "usage.rows_copied", targetId: period() } });
    expect(JSON.parse(audit.after as string)).toMatchObject({ from: shiftPeriod(period(), -1) });
  });

  it("keeps another organization's rows apart: Globex copies only its own last month", async () => {
    const globexReport = await report(DEMO.bob);
    const previous = globexReport.previousManualRows as { productId: string }[];
    const res = await copy(DEMO.bob);
    if (previous.length === 0) {
      expect(res.status).toBe(422);
      expect(res.json.detail).toMatch(/has no manual rows to copy/);
    } else expect(res.status).toBe(201);
  });
});

describe("the open request for automatic license reporting", () => {
  it("is the newest open case of the organization asking for it, and none once it is resolved", async () => {
    const ctx = await providerCtx(DEMO.alice);
    expect(await openAutoReportingRequest(ctx)).toBeNull();
    const org = await getDb().organization.findFirstOrThrow({ where: { name: "Acme Cloud Services" }, select: { id: true } });
    const opener = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.alice }, select: { id: true } });
    const number = 990001;
    await getDb().supportCase.create({
      data: {
        number, organizationId: org.id, openedById: opener.id, type: "GENERAL_INQUIRY", problemArea: "VCSP_PULSE", severity: 3,
        summary: "Please enable automatic license reporting", description: "x", state: "OPEN", createdAt: new Date(), updatedAt: new Date(),
      },
    });
    expect(await openAutoReportingRequest(ctx)).toBe(number);
    expect(await openAutoReportingRequest(await providerCtx(DEMO.bob))).toBeNull();
    await getDb().supportCase.update({ where: { number }, data: { state: "RESOLVED" } });
    expect(await openAutoReportingRequest(ctx)).toBeNull();
  });
});
