// Monthly Usages: the report of a period (Current Month Usage, manual rows, adjustments, hints),
// Submit Usage exactly once under 50 concurrent requests with one extension per license, bad
// input refused with nothing changed, tenant isolation and viewers, CSV export, and reports
// racing a submission.
import { afterEach, describe, expect, it } from "vitest";
import { GET as overviewRoute } from "@/app/api/portal/usage/route";
import { GET as historyRoute } from "@/app/api/portal/usage/history/route";
import { GET as reportRoute } from "@/app/api/portal/usage/[period]/route";
import { POST as rowsRoute } from "@/app/api/portal/usage/[period]/rows/route";
import { DELETE as rowRoute } from "@/app/api/portal/usage/[period]/rows/[rowId]/route";
import { PUT as adjustRoute } from "@/app/api/portal/usage/[period]/adjustments/route";
import { POST as submitRoute } from "@/app/api/portal/usage/[period]/submit/route";
import { GET as exportRoute } from "@/app/api/portal/usage/[period]/export/route";
import { resetTestClock, setTestClock } from "@/lib/clock";
import { verifyLicenseKey } from "@/lib/crypto/license-key";
import { getDb } from "@/lib/db";
import { addMonths, periodOf, shiftPeriod, toDateString } from "@/lib/domain/dates";
import { isOnTime } from "@/lib/domain/reporting";
import { currentMonthUsage } from "@/lib/domain/usage";
import { submitReport } from "@/lib/server/monthly-reports";
import { call, DEMO, request } from "../helpers";
import { keyOf, postReport } from "../product";

const current = () => periodOf(new Date());
const lastEnded = () => shiftPeriod(current(), -1);
const GLOBEX_AUTO = ["LIC-GLBX1-00001", "LIC-GLBX1-00002", "LIC-GLBX1-00003"];

const getReport = async (as: string, period: string, query = "") =>
  call(reportRoute, await request("GET", `/api/portal/usage/${period}${query}`, { as }), { period });
const addRow = async (as: string, period: string, body: unknown) =>
  call(rowsRoute, await request("POST", `/api/portal/usage/${period}/rows`, { as, body }), { period });
const adjust = async (as: string, period: string, body: unknown) =>
  call(adjustRoute, await request("PUT", `/api/portal/usage/${period}/adjustments`, { as, body }), { period });
const submit = async (as: string, period: string) =>
  call(submitRoute, await request("POST", `/api/portal/usage/${period}/submit`, { as }), { period });

async function snapshot() {
  const db = getDb();
  const [reports, lines, keyVersions, extensions, licenses, audit] = await Promise.all([
    db.monthlyReport.findMany({ orderBy: { id: "asc" } }),
    db.monthlyReportLine.findMany({ orderBy: { id: "asc" } }),
    db.keyVersion.count(),
    db.licenseExtension.count(),
    db.license.findMany({ select: { licenseId: true, expirationDate: true, currentVersion: true }, orderBy: { licenseId: "asc" } }),
    db.auditEvent.count(),
  ]);
  return { reports, lines, keyVersions, extensions, licenses, audit };
}

type Row = { licenseId: string; rows: { workloadType: string; reportedCount: number; count: number; points: number; sources: unknown[] }[]; extension: { from: string; to: string } | null };

afterEach(async () => {
  if (process.env.PULSE_TEST_CLOCK) {
    await resetTestClock();
    delete process.env.PULSE_TEST_CLOCK;
  }
});

describe("a period's report", () => {
  it("fills Current Month Usage from what the product servers reported, per license and workload type", async () => {
    const res = await getReport(DEMO.bob, lastEnded());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ period: lastEnded(), kind: "DUE", editable: true, submittedAt: null });
    const items = (res.json.licenses as { items: Row[] }).items;
    expect(items.map((i) => i.licenseId)).toEqual(GLOBEX_AUTO);
    const vbr = items[0].rows.find((r) => r.workloadType === "VBR_VM")!;
    // two installations, each its highest weekly count: 301 + 41
    expect(vbr).toMatchObject({ reportedCount: 342, count: 342, points: 342 * 7 });
    expect(vbr.sources).toEqual([
      { installationId: "vbr-globex-ams-01", kind: "weekly", count: 301 },
      { installationId: "vbr-globex-fra-02", kind: "weekly", count: 41 },
    ]);
    expect(items[0].rows.find((r) => r.workloadType === "VBR_Server_Agent")).toMatchObject({ reportedCount: 0, count: 0, points: 0 });
    expect(items[2].rows).toEqual([expect.objectContaining({ workloadType: "VB365_User", reportedCount: 502 })]);
    expect(res.json.extensions).toMatchObject({ count: 3, notExtended: 0 });
  });

  it("shows the current month read-only, and 404 for a future period or one before the first contract; 400 for a malformed one", async () => {
    const cur = await getReport(DEMO.bob, current());
    expect(cur.status).toBe(200);
    expect(cur.json).toMatchObject({ kind: "CURRENT", editable: false });
    expect((await getReport(DEMO.bob, shiftPeriod(current(), 1))).status).toBe(404);
    expect((await getReport(DEMO.bob, "2001-01")).status).toBe(404);
    const bad = await getReport(DEMO.bob, "2026-13");
    expect(bad.status).toBe(400);
    expect((await submit(DEMO.bob, current())).status).toBe(422);
    expect((await addRow(DEMO.bob, current(), { productId: "VBR_ENT", workloadType: "VBR_VM", count: 1 })).status).toBe(422);
  });

  it("is the caller's own organization's: another organization sees its own rows; staff and strangers are refused", async () => {
    const acme = await getReport(DEMO.alice, lastEnded());
    expect(acme.status).toBe(200);
    expect((acme.json.licenses as { items: Row[] }).items).toEqual([]); // Acme has no auto-reported license
    expect((await getReport(DEMO.sam, lastEnded())).status).toBe(404);
    const anonymous = await call(reportRoute, await request("GET", `/api/portal/usage/${lastEnded()}`), { period: lastEnded() });
    expect(anonymous.status).toBe(401);
  });
});

describe("manual rows and adjustments", () => {
  it("adds and removes a manual row with its points; the viewer cannot", async () => {
    const period = lastEnded();
    const added = await addRow(DEMO.alice, period, { productId: "VBR_ENT", workloadType: "VBR_VM", count: 12 });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ productId: "VBR_ENT", workloadType: "VBR_VM", count: 12, points: 60 });
    const report = await getReport(DEMO.victor, period);
    expect(report.json.manualRows).toEqual([expect.objectContaining({ id: added.json.id, count: 12, points: 60 })]);
    expect(report.json.totals).toMatchObject({ manualPoints: 60, totalPoints: 60 });
    expect(report.json.editable).toBe(false); // the viewer's view

    const before = await snapshot();
    expect((await addRow(DEMO.victor, period, { productId: "VBR_ENT", workloadType: "VBR_VM", count: 1 })).status).toBe(403);
    expect((await submit(DEMO.victor, period)).status).toBe(403);
    const bobRemoves = await call(rowRoute, await request("DELETE", `/api/portal/usage/${period}/rows/${added.json.id}`, { as: DEMO.bob }), { period, rowId: added.json.id as string });
    expect(bobRemoves.status).toBe(404); // another organization's row
    expect(await snapshot()).toEqual(before);

    const removed = await call(rowRoute, await request("DELETE", `/api/portal/usage/${period}/rows/${added.json.id}`, { as: DEMO.alice }), { period, rowId: added.json.id as string });
    expect(removed.status).toBe(200);
    expect((await getReport(DEMO.alice, period)).json.manualRows).toEqual([]);
  });

  it.each([
    ["an unknown product", { productId: "NOPE", workloadType: "VBR_VM", count: 1 }, "productId"],
    ["a workload type the product does not have", { productId: "VB365", workloadType: "VBR_VM", count: 1 }, "workloadType"],
    ["a negative count", { productId: "VBR_ENT", workloadType: "VBR_VM", count: -1 }, "count"],
    ["a fractional count", { productId: "VBR_ENT", workloadType: "VBR_VM", count: 1.5 }, "count"],
    ["a count as text", { productId: "VBR_ENT", workloadType: "VBR_VM", count: "5" }, "count"],
    ["an extra field", { productId: "VBR_ENT", workloadType: "VBR_VM", count: 1, points: 0 }, "(body)"],
  ])("refuses a manual row with %s, naming the field, and changes nothing", async (_, body, field) => {
    const before = await snapshot();
    const res = await addRow(DEMO.alice, lastEnded(), body);
    expect(res.status).toBe(400);
    expect((res.json.errors as { path: string }[]).map((e) => e.path)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a lowered count without a reason and changes nothing; keeps the reason when given; a higher count needs none", async () => {
    const period = lastEnded();
    const before = await snapshot();
    const refused = await adjust(DEMO.bob, period, { licenseId: "LIC-GLBX1-00003", workloadType: "VB365_User", count: 400 });
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([{ path: "reason", message: expect.stringMatching(/502/) }]);
    for (const bad of [-1, 2.5]) expect((await adjust(DEMO.bob, period, { licenseId: "LIC-GLBX1-00003", workloadType: "VB365_User", count: bad, reason: "x" })).status).toBe(422);
    expect((await adjust(DEMO.bob, period, { licenseId: "LIC-GLBX1-00003", workloadType: "VBR_VM", count: 1, reason: "x" })).status).toBe(422);
    expect((await adjust(DEMO.alice, period, { licenseId: "LIC-GLBX1-00003", workloadType: "VB365_User", count: 600 })).status).toBe(404);
    expect(await snapshot()).toEqual(before);

    const lowered = await adjust(DEMO.bob, period, { licenseId: "LIC-GLBX1-00003", workloadType: "VB365_User", count: 480, reason: "22 test mailboxes are not billable" });
    expect(lowered.status).toBe(200);
    const raised = await adjust(DEMO.bob, period, { licenseId: "LIC-GLBX1-00002", workloadType: "CC_VM_Replica", count: 4 });
    expect(raised.status).toBe(200);
    const items = ((await getReport(DEMO.bob, period)).json.licenses as { items: (Row & { rows: { adjustmentReason: string | null }[] })[] }).items;
    expect(items[2].rows[0]).toMatchObject({ reportedCount: 502, count: 480, adjustmentReason: "22 test mailboxes are not billable" });
    expect(items[1].rows.find((r) => r.workloadType === "CC_VM_Replica")).toMatchObject({ reportedCount: 0, count: 4 });
    // Putting the reported figure back
    expect((await adjust(DEMO.bob, period, { licenseId: "LIC-GLBX1-00002", workloadType: "CC_VM_Replica", count: null })).status).toBe(200);
    const again = ((await getReport(DEMO.bob, period)).json.licenses as { items: Row[] }).items;
    expect(again[1].rows.find((r) => r.workloadType === "CC_VM_Replica")).toMatchObject({ count: 0 });
  });

  it("shows usage reported for a license that is not auto-reported as a hint, never counted", async () => {
    const period = lastEnded();
    const res = await postReport({
      licenseKey: await keyOf("LIC-ACME1-00001"), installationId: "vbr-acme-01", reportId: "acme-hint-1", kind: "monthly", period,
      collectedAt: `${period}-28T00:00:00Z`, workloads: [{ type: "VBR_VM", count: 118 }],
    });
    expect(res.status).toBe(201);
    const report = await getReport(DEMO.alice, period);
    expect(report.json.hints).toEqual([expect.objectContaining({ licenseId: "LIC-ACME1-00001", productId: "VBR_ENT", workloadType: "VBR_VM", count: 118 })]);
    expect(report.json.totals).toMatchObject({ totalPoints: 0 });
  });
});

describe("Submit Usage", () => {
  it("50 concurrent submissions: one submission, one new key version and extension per included license, 49 clear refusals", async () => {
    const period = lastEnded();
    const before = await snapshot();
    const preview = ((await getReport(DEMO.bob, period)).json.licenses as { items: Row[] }).items;
    const answers = await Promise.all(Array.from({ length: 50 }, () => submit(DEMO.bob, period)));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(r.json.detail).toMatch(/already submitted/);

    const result = ok[0].json as { onTime: boolean; totalPoints: number; extended: { licenseId: string; from: string; to: string; version: number }[] };
    expect(result.extended.map((e) => e.licenseId)).toEqual(GLOBEX_AUTO);
    const after = await snapshot();
    expect(after.keyVersions).toBe(before.keyVersions + 3);
    expect(after.extensions).toBe(before.extensions + 3);
    for (const e of result.extended) {
      const b = before.licenses.find((l) => l.licenseId === e.licenseId)!;
      const a = after.licenses.find((l) => l.licenseId === e.licenseId)!;
      expect(e.from).toBe(b.expirationDate);
      expect(a.expirationDate).toBe(addMonths(b.expirationDate, 1));
      expect(preview.find((p) => p.licenseId === e.licenseId)!.extension).toEqual({ from: e.from, to: e.to });
      expect(a.currentVersion).toBe(b.currentVersion + 1);
      // The new key says the new date and verifies.
      const claims = await verifyLicenseKey(await keyOf(e.licenseId));
      expect(claims.lic.expirationDate).toBe(a.expirationDate);
    }
    const report = await getDb().monthlyReport.findFirstOrThrow({ where: { period, organization: { name: { contains: "Globex" } } } });
    const onTime = isOnTime(new Date(), period, 10); // the demo contracts' due day
    expect(result.onTime).toBe(onTime);
    expect(report).toMatchObject({ status: "SUBMITTED", onTime, totalPoints: result.totalPoints });

    const view = await getReport(DEMO.bob, period);
    expect(view.json).toMatchObject({ kind: "SUBMITTED", editable: false, submittedBy: DEMO.bob, onTime });
    expect(((view.json.licenses as { items: Row[] }).items)[0].rows.find((r) => r.workloadType === "VBR_VM")).toMatchObject({ reportedCount: 342, count: 342 });

    // The closed period refuses edits and product reports.
    expect((await addRow(DEMO.bob, period, { productId: "VCC", workloadType: "CC_VM_Backup", count: 1 })).status).toBe(409);
    const late = await postReport({
      licenseKey: await keyOf("LIC-GLBX1-00001"), installationId: "vbr-globex-ams-01", reportId: "after-submit", kind: "monthly", period,
      collectedAt: `${period}-28T00:00:00Z`, workloads: [{ type: "VBR_VM", count: 1 }],
    });
    expect(late.status).toBe(409);

    // History and the CSV export.
    const history = await call(historyRoute, await request("GET", "/api/portal/usage/history", { as: DEMO.bob }));
    expect((history.json.items as { period: string; extensions: number }[])[0]).toMatchObject({ period, extensions: 3 });
    const csv = await call(exportRoute, await request("GET", `/api/portal/usage/${period}/export`, { as: DEMO.bob }), { period });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("period,license_id,product,workload_type,reported_count,count,points,source,adjustment_reason,company,usage_type");
    expect(lines).toContain(`${period},LIC-GLBX1-00001,VBR_ENTPLUS,VBR_VM,342,342,2394,AUTO,,Northwind Traders,MULTI_CUSTOMER`);
    const overview = await call(overviewRoute, await request("GET", "/api/portal/usage", { as: DEMO.bob }));
    expect((overview.json.actions as unknown[]).length).toBe(0);
    expect((overview.json.chart as { period: string; points: number | null }[]).at(-1)).toEqual({ period, points: result.totalPoints, onTime });
  });

  it("a report racing the submission is either counted in it or refused, never stored and left out", async () => {
    // One month on, the current period has ended: submit it while product servers report it.
    const period = current();
    const bob = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.bob } });
    const ctx = { actor: { type: "user" as const, userId: bob.id, email: bob.email, role: bob.role, organizationId: bob.organizationId! }, now: new Date(Date.now() + 32 * 86_400_000) };
    const key = await keyOf("LIC-GLBX1-00002");
    const reports = Array.from({ length: 20 }, (_, i) => ({
      licenseKey: key, installationId: `vcc-race-${i % 4}`, reportId: `race-report-${i}`, kind: "weekly", period,
      collectedAt: new Date(Date.now() - 60_000).toISOString(), workloads: [{ type: "CC_VM_Backup", count: 10 + i }],
    }));
    const [answers, submitted] = await Promise.all([
      Promise.all(reports.map(async (r, i) => {
        await new Promise((res) => setTimeout(res, i * 2));
        return postReport(r);
      })),
      (async () => {
        await new Promise((res) => setTimeout(res, 15));
        return submitReport(ctx, period);
      })(),
    ]);
    expect(answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => [a.status, a.json.detail])).toEqual([]);
    const stored = await getDb().usageReport.findMany({
      where: { period, license: { licenseId: "LIC-GLBX1-00002" } },
      select: { reportId: true, installationId: true, kind: true, collectedAt: true, workloads: { select: { type: true, count: true } } },
    });
    expect(stored.map((s) => s.reportId).sort()).toEqual(reports.filter((_, i) => answers[i].status === 201).map((r) => r.reportId).sort());
    const line = await getDb().monthlyReportLine.findFirstOrThrow({
      where: { monthlyReport: { period, status: "SUBMITTED" }, license: { licenseId: "LIC-GLBX1-00002" }, workloadType: "CC_VM_Backup" },
    });
    expect(line.reportedCount).toBe(currentMonthUsage(stored).get("CC_VM_Backup")?.count ?? 0);
    expect(submitted.extended.map((e) => e.licenseId)).toContain("LIC-GLBX1-00002");
  });

  it("a late submission is accepted and marked late", async () => {
    process.env.PULSE_TEST_CLOCK = "1";
    const period = shiftPeriod(current(), -1); // submitted in the test above; use Acme, which has not submitted it
    await setTestClock(new Date(Date.now() + 40 * 86_400_000));
    const res = await submit(DEMO.alice, period);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ onTime: false, extended: [] });
    const acme = await getDb().monthlyReport.findFirstOrThrow({ where: { period, organization: { name: { contains: "Acme" } } } });
    expect(acme.onTime).toBe(false);
    expect(toDateString(acme.submittedAt!)).toBe(toDateString(new Date(Date.now() + 40 * 86_400_000)));
  });
});
