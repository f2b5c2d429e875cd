// Contracts by support staff: created, ended and terminated with audit; deadlines follow the contracts active during each period.
import { describe, expect, it } from "vitest";
import { POST as createContractRoute } from "@/app/api/staff/organizations/[organizationId]/contracts/route";
import { PATCH as contractRoute } from "@/app/api/staff/contracts/[number]/route";
import { GET as reportRoute } from "@/app/api/portal/usage/[period]/route";
import { GET as organizationsRoute } from "@/app/api/staff/organizations/route";
import { getDb } from "@/lib/db";
import { shiftPeriod } from "@/lib/domain/dates";
import { organizationSuspension } from "@/lib/server/reporting";
import { call, DEMO, request } from "../helpers";
import { keyOf, postUpdate } from "../product";
import { current, globex, now } from "../lifecycle";

describe("contracts by support staff", () => {
  it("a contract with an earlier due day added later does not turn past on-time months late", async () => {
    const org = await globex();
    const before = await organizationSuspension(getDb(), org.id, now());
    const res = await call(createContractRoute, await request("POST", `/api/staff/organizations/${org.id}/contracts`, {
      as: DEMO.sam, body: { number: "05550001", type: "VOLUME", startDate: `${current()}-01`, dueDay: 6 },
    }), { organizationId: org.id });
    expect(res.status).toBe(201);
    expect(await organizationSuspension(getDb(), org.id, now())).toEqual(before);
    const reports = await getDb().monthlyReport.findMany({ where: { organizationId: org.id, status: "SUBMITTED" }, select: { onTime: true } });
    expect(reports.every((r) => r.onTime)).toBe(true);
    // The next deadline (the running month's) is the 6th.
    const next = await call(reportRoute, await request("GET", `/api/portal/usage/${current()}`, { as: DEMO.bob }), { period: current() });
    expect(new Date(next.json.dueAt as string).getUTCDate()).toBe(6);
  });

  it("is created by support staff only, with a unique 8-digit Support ID and a due day of 1 to 28; providers get 404", async () => {
    const org = await globex();
    const post = async (as: string, body: unknown) =>
      call(createContractRoute, await request("POST", `/api/staff/organizations/${org.id}/contracts`, { as, body }), { organizationId: org.id });
    expect((await post(DEMO.bob, { number: "05550002", type: "VOLUME", startDate: "2026-01-01" })).status).toBe(404);
    expect((await post(DEMO.sam, { number: "5550002", type: "VOLUME", startDate: "2026-01-01" })).status).toBe(400);
    expect((await post(DEMO.sam, { number: "05550002", type: "VOLUME", startDate: "2026-01-01", dueDay: 29 })).status).toBe(400);
    expect((await post(DEMO.sam, { number: "03110042", type: "VOLUME", startDate: "2026-01-01" })).status).toBe(409);
    expect(await getDb().contract.count({ where: { number: "05550002" } })).toBe(0);
  });

  it("terminating a contract makes its licenses' next update check ContractTerminated, and is audited", async () => {
    const res = await call(contractRoute, await request("PATCH", "/api/staff/contracts/03110042", { as: DEMO.sam, body: { action: "terminate" } }), { number: "03110042" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "TERMINATED", state: "TERMINATED" });
    const check = await postUpdate({ licenseKey: await keyOf("LIC-GLBX1-00001"), installationId: "vbr-after-termination", productVersion: "13.0.1.1071" });
    expect(check.json).toMatchObject({ result: "ContractTerminated" });
    expect(await getDb().auditEvent.count({ where: { action: "contract.terminated", targetId: "03110042" } })).toBe(1);
    // A terminated contract changes no more.
    const again = await call(contractRoute, await request("PATCH", "/api/staff/contracts/03110042", { as: DEMO.sam, body: { action: "end", endDate: "2030-01-01" } }), { number: "03110042" });
    expect(again.status).toBe(409);
  });

  it("the Organizations page lists organizations at risk of suspension first", async () => {
    const org = await globex();
    // Globex's month before last reported late, the last one still open: one more miss suspends it.
    await getDb().monthlyReport.update({ where: { organizationId_period: { organizationId: org.id, period: shiftPeriod(current(), -2) } }, data: { onTime: false } });
    const res = await call(organizationsRoute, await request("GET", "/api/staff/organizations", { as: DEMO.sam }));
    const items = res.json.items as { name: string; health: { atRisk: boolean } }[];
    expect(items.map((o) => [o.name, o.health.atRisk])).toEqual([["Globex Hosting", true], ["Acme Cloud Services", false]]);
  });
});
