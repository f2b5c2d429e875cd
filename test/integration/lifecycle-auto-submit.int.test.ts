// Automatic submission: once per organization and period across racing runners and restarts (DOMAIN-RULES.md, Monthly usage).
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { reportDueAt } from "@/lib/domain/reporting";
import { runJobsOnce } from "@/lib/server/jobs/runner";
import { setAutoSubmit } from "@/lib/server/organizations";
import { PUT as settingRoute } from "@/app/api/portal/settings/usage-submission/route";
import { call, DEMO, request } from "../helpers";
import { bobContext, globex, lastEnded, now, providerContext } from "../lifecycle";

describe("Settings > Usage submission", () => {
  it("an admin turns it on (audited, the open periods' jobs written); a viewer gets 403 and changes nothing", async () => {
    const put = async (as: string, body: unknown) => call(settingRoute, await request("PUT", "/api/portal/settings/usage-submission", { as, body }));
    const acme = await getDb().organization.findUniqueOrThrow({ where: { name: "Acme Cloud Services" }, select: { id: true } });
    expect((await put(DEMO.victor, { autoSubmit: true })).status).toBe(403);
    expect((await put(DEMO.alice, { autoSubmit: "yes" })).status).toBe(400);
    expect(await getDb().organization.findUniqueOrThrow({ where: { id: acme.id }, select: { autoSubmit: true } })).toEqual({ autoSubmit: false });
    const on = await put(DEMO.alice, { autoSubmit: true });
    expect(on.status).toBe(200);
    expect(on.json).toEqual({ autoSubmit: true, scheduled: 1 }); // the month that just ended
    expect(await getDb().job.count({ where: { organizationId: acme.id, kind: "auto_submit", status: "PENDING" } })).toBe(1);
    expect(await getDb().auditEvent.count({ where: { organizationId: acme.id, action: "organization.auto_submit_on" } })).toBe(1);
    // Again: nothing new (no second audit event, no second job).
    await put(DEMO.alice, { autoSubmit: true });
    expect(await getDb().auditEvent.count({ where: { organizationId: acme.id, action: "organization.auto_submit_on" } })).toBe(1);
    expect(await getDb().job.count({ where: { organizationId: acme.id, kind: "auto_submit" } })).toBe(1);
    // Off: the pending automatic submission is dropped (and audited).
    expect((await put(DEMO.alice, { autoSubmit: false })).json).toEqual({ autoSubmit: false, scheduled: 0 });
    expect(await getDb().job.count({ where: { organizationId: acme.id, kind: "auto_submit" } })).toBe(0);
    expect(await getDb().auditEvent.count({ where: { organizationId: acme.id, action: "organization.auto_submit_off" } })).toBe(1);
  });
});

describe("automatic submission", () => {
  it("submits a due period once at 00:00 UTC of the due day, with two runners racing and a restart between", async () => {
    const org = await globex();
    const period = lastEnded();
    const dueDay = new Date(Date.UTC(reportDueAt(period, 10).getUTCFullYear(), reportDueAt(period, 10).getUTCMonth(), 10));
    await setAutoSubmit(await bobContext(now()), true);
    // The evening before: nothing happens.
    await runJobsOnce(new Date(dueDay.getTime() - 1000));
    expect(await getDb().job.count({ where: { kind: "auto_submit", status: { not: "PENDING" } } })).toBe(0);
    expect(await getDb().monthlyReport.count({ where: { organizationId: org.id, period, status: "SUBMITTED" } })).toBe(0);
    // At 00:00 two runners (two instances) race.
    await Promise.all([runJobsOnce(dueDay), runJobsOnce(dueDay)]);
    // A restart: a runner starting later catches up and finds nothing more to do.
    await runJobsOnce(new Date(dueDay.getTime() + 3_600_000));
    const reports = await getDb().monthlyReport.findMany({ where: { organizationId: org.id, period } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ status: "SUBMITTED", onTime: true, submittedAutomatically: true, submittedById: null });
    const audits = await getDb().auditEvent.findMany({ where: { organizationId: org.id, action: "usage.submitted", targetId: period } });
    expect(audits.map((a) => a.actorLabel)).toEqual(["system (automatic submission)"]);
    expect(await getDb().job.findMany({ where: { key: `auto_submit:${org.id}:${period}` }, select: { status: true } })).toEqual([{ status: "DONE" }]);
  });

  it("a portal that was down on the due day submits when it starts, late once the deadline has passed", async () => {
    const org = await getDb().organization.findUniqueOrThrow({ where: { name: "Acme Cloud Services" }, select: { id: true } });
    const period = lastEnded();
    await setAutoSubmit(await providerContext(DEMO.alice, now()), true);
    const afterDeadline = new Date(reportDueAt(period, 10).getTime() + 86_400_000);
    await runJobsOnce(afterDeadline);
    expect(await getDb().monthlyReport.findUniqueOrThrow({ where: { organizationId_period: { organizationId: org.id, period } } })).toMatchObject({ status: "SUBMITTED", onTime: false });
  });
});


