// Companies (issue 20): CRUD with its audit, uniqueness, archive refused while licenses are
// assigned, assignment, viewers read only, another organization's company or license 404
// everywhere, and the monthly report and its CSV broken down per company.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PUT as assignRoute } from "@/app/api/portal/licenses/[licenseId]/company/route";
import { GET as listLicensesRoute } from "@/app/api/portal/licenses/route";
import { PATCH as patchRoute } from "@/app/api/portal/companies/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/portal/companies/route";
import { GET as exportRoute } from "@/app/api/portal/usage/[period]/export/route";
import { GET as reportRoute } from "@/app/api/portal/usage/[period]/route";
import { getDb } from "@/lib/db";
import { UNASSIGNED } from "@/lib/domain/companies";
import { periodOf, shiftPeriod } from "@/lib/domain/dates";
import { companyBreakdownSchema, companyListSchema, companySchema, licenseCompanyResultSchema } from "@/lib/schemas/companies";
import { licenseListPageSchema } from "@/lib/schemas/licenses";
import type { ReportView } from "@/lib/schemas/usage";
import { call, DEMO, request } from "../helpers";

const unique = () => Math.random().toString(36).slice(2, 8);

async function create(as: string, body: Record<string, unknown>) {
  return call(createRoute, await request("POST", "/api/portal/companies", { as, body }));
}
async function patch(as: string, id: string, body: Record<string, unknown>) {
  return call(patchRoute, await request("PATCH", `/api/portal/companies/${id}`, { as, body }), { id });
}
async function assign(as: string, licenseId: string, body: Record<string, unknown>) {
  return call(assignRoute, await request("PUT", `/api/portal/licenses/${licenseId}/company`, { as, body }), { licenseId });
}
async function audit(action: string, targetId: string) {
  return getDb().auditEvent.findMany({ where: { action, targetId }, select: { actorLabel: true, before: true, after: true, organizationId: true } });
}
async function companyOf(org: string, name: string) {
  return getDb().company.findFirstOrThrow({ where: { name, organization: { name: org } } });
}

describe("companies", () => {
  it("an admin creates, lists, renames and archives a company, each change audited", async () => {
    const name = `Contoso ${unique()}`;
    const created = await create(DEMO.bob, { name: `  ${name} `, externalId: `EXT-${name}` });
    expect(created.status, created.text).toBe(201);
    const c = companySchema.parse(created.json);
    expect(c).toMatchObject({ name, externalId: `EXT-${name}`, archivedAt: null, licenses: 0 });
    expect(await audit("company.created", name)).toEqual([expect.objectContaining({ actorLabel: DEMO.bob })]);

    const list = companyListSchema.parse((await call(listRoute, await request("GET", "/api/portal/companies", { as: DEMO.bob }))).json);
    expect(list.items.map((i) => i.name)).toEqual(expect.arrayContaining([name, "Northwind Traders", "Initech", "Globex internal IT"]));
    expect(list.items.find((i) => i.name === "Northwind Traders")?.licenses).toBe(1);

    const renamed = await patch(DEMO.bob, c.id, { name: `${name} Ltd`, externalId: "" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(companySchema.parse(renamed.json)).toMatchObject({ name: `${name} Ltd`, externalId: null });
    const [event] = await audit("company.renamed", `${name} Ltd`);
    expect(JSON.parse(event.before!)).toMatchObject({ name });

    const archived = await patch(DEMO.bob, c.id, { archived: true });
    expect(archived.status, archived.text).toBe(200);
    expect(companySchema.parse(archived.json).archivedAt).not.toBeNull();
    expect(await audit("company.archived", `${name} Ltd`)).toHaveLength(1);
    const restored = await patch(DEMO.bob, c.id, { archived: false });
    expect(companySchema.parse(restored.json).archivedAt).toBeNull();
    expect(await audit("company.restored", `${name} Ltd`)).toHaveLength(1);
  });

  it("a name or external id used in the organization is 409; a blank name 400; another organization may use it", async () => {
    expect((await create(DEMO.bob, { name: "Initech" })).status).toBe(409);
    expect((await create(DEMO.bob, { name: `Other ${unique()}`, externalId: "CUST-1001" })).status).toBe(409);
    expect((await create(DEMO.bob, { name: "   " })).status).toBe(400);
    const northwind = await companyOf("Globex Hosting", "Northwind Traders");
    expect((await patch(DEMO.bob, northwind.id, { name: "Initech" })).status).toBe(409);
    expect((await patch(DEMO.bob, northwind.id, {})).status).toBe(400);
    const acme = await create(DEMO.alice, { name: "Initech", externalId: "CUST-1001" });
    expect(acme.status, acme.text).toBe(201);
  });

  it("archiving a company with licenses is refused with 422, and allowed once they are unassigned", async () => {
    const name = `Umbrella ${unique()}`;
    const c = companySchema.parse((await create(DEMO.bob, { name })).json);
    expect((await assign(DEMO.bob, "LIC-GLBX1-00003", { companyId: c.id, usageType: "SINGLE_CUSTOMER" })).status).toBe(200);
    const refused = await patch(DEMO.bob, c.id, { archived: true });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/1 license/);
    expect((await assign(DEMO.bob, "LIC-GLBX1-00003", { companyId: null, usageType: null })).status).toBe(200);
    expect((await patch(DEMO.bob, c.id, { archived: true })).status).toBe(200);
    // An archived company takes no new licenses.
    const onArchived = await assign(DEMO.bob, "LIC-GLBX1-00003", { companyId: c.id, usageType: "INTERNAL" });
    expect(onArchived.status).toBe(422);
    expect(onArchived.text).toMatch(/archived/);
  });

  it("assigns and unassigns a license with its usage type, audited; the list filters by company", async () => {
    const initech = await companyOf("Globex Hosting", "Initech");
    const res = await assign(DEMO.bob, "LIC-GLBX1-00003", { companyId: initech.id, usageType: "MULTI_CUSTOMER" });
    expect(res.status, res.text).toBe(200);
    expect(licenseCompanyResultSchema.parse(res.json)).toEqual({ licenseId: "LIC-GLBX1-00003", companyId: initech.id, companyName: "Initech", usageType: "MULTI_CUSTOMER" });
    const [event] = await audit("license.company_assigned", "LIC-GLBX1-00003").then((e) => e.slice(-1));
    expect(JSON.parse(event.after!)).toEqual({ company: "Initech", usageType: "MULTI_CUSTOMER" });

    const page = async (q: string) =>
      licenseListPageSchema.parse((await call(listLicensesRoute, await request("GET", `/api/portal/licenses?${q}`, { as: DEMO.bob }))).json);
    const ofInitech = await page(`company=${initech.id}`);
    expect(ofInitech.items.map((i) => i.licenseId).sort()).toEqual(["LIC-GLBX1-00003", "LIC-GLBX1-VOL01"]);
    expect(ofInitech.items[0]).toMatchObject({ companyId: initech.id, companyName: "Initech" });
    expect((await page("company=none")).items.map((i) => i.licenseId)).not.toContain("LIC-GLBX1-00003");

    // Refusals: a usage type without a company, a company without one: 400.
    expect((await assign(DEMO.bob, "LIC-GLBX1-00003", { companyId: null, usageType: "INTERNAL" })).status).toBe(400);
    expect((await assign(DEMO.bob, "LIC-GLBX1-00003", { companyId: initech.id, usageType: null })).status).toBe(400);

    expect((await assign(DEMO.bob, "LIC-GLBX1-00003", { companyId: null, usageType: null })).status).toBe(200);
    expect(await audit("license.company_unassigned", "LIC-GLBX1-00003")).not.toHaveLength(0);
    expect((await page("company=none")).items.map((i) => i.licenseId)).toContain("LIC-GLBX1-00003");
  });

  it("a viewer reads the list and changes nothing (403)", async () => {
    const list = await call(listRoute, await request("GET", "/api/portal/companies", { as: DEMO.victor }));
    expect(list.status).toBe(200);
    const acmeCompany = companySchema.parse((await create(DEMO.alice, { name: `Viewer test ${unique()}` })).json);
    expect((await create(DEMO.victor, { name: `Nope ${unique()}` })).status).toBe(403);
    expect((await patch(DEMO.victor, acmeCompany.id, { name: "Renamed" })).status).toBe(403);
    expect((await assign(DEMO.victor, "LIC-ACME1-00001", { companyId: acmeCompany.id, usageType: "INTERNAL" })).status).toBe(403);
    expect((await call(listRoute, await request("GET", "/api/portal/companies"))).status).toBe(401);
  });

  it("another organization's company or license is 404 everywhere, and changes nothing", async () => {
    const northwind = await companyOf("Globex Hosting", "Northwind Traders");
    const acme = companySchema.parse((await create(DEMO.alice, { name: `Acme customer ${unique()}` })).json);
    expect((await patch(DEMO.alice, northwind.id, { name: "Hijacked" })).status).toBe(404);
    expect((await patch(DEMO.alice, northwind.id, { archived: true })).status).toBe(404);
    expect((await assign(DEMO.alice, "LIC-ACME1-00001", { companyId: northwind.id, usageType: "INTERNAL" })).status).toBe(404);
    expect((await assign(DEMO.alice, "LIC-GLBX1-00001", { companyId: acme.id, usageType: "INTERNAL" })).status).toBe(404);
    expect((await assign(DEMO.alice, "LIC-GLBX1-00001", { companyId: null, usageType: null })).status).toBe(404);
    expect((await assign(DEMO.bob, "LIC-GLBX1-00001", { companyId: acme.id, usageType: "INTERNAL" })).status).toBe(404);
    const acmeList = companyListSchema.parse((await call(listRoute, await request("GET", "/api/portal/companies", { as: DEMO.alice }))).json);
    expect(acmeList.items.map((i) => i.id)).not.toContain(northwind.id);
    const filtered = licenseListPageSchema.parse((await call(listLicensesRoute, await request("GET", `/api/portal/licenses?company=${northwind.id}`, { as: DEMO.alice }))).json);
    expect(filtered.total).toBe(0);
    expect(await getDb().company.findUniqueOrThrow({ where: { id: northwind.id } })).toMatchObject({ name: "Northwind Traders", archivedAt: null });
    expect(await getDb().license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00001" } })).toMatchObject({ companyId: northwind.id, usageType: "MULTI_CUSTOMER" });
  });
});

describe("the monthly report per company", () => {
  it("per-company usage and points sum to the report's totals for every report in the demo data", async () => {
    const stored = await getDb().monthlyReport.findMany({ select: { period: true, status: true, organization: { select: { name: true } } }, orderBy: { period: "asc" } });
    // And the periods with no report row yet: last month's (due) and this month's (current), both drafts.
    const now = periodOf(new Date());
    const drafts = ["Globex Hosting", "Acme Cloud Services"].flatMap((name) =>
      [shiftPeriod(now, -1), now]
        .filter((period) => !stored.some((r) => r.period === period && r.organization.name === name))
        .map((period) => ({ period, status: "DRAFT", organization: { name } })),
    );
    const reports = [...stored, ...drafts];
    const seen = new Set<string>();
    for (const r of reports) {
      const as = r.organization.name === "Globex Hosting" ? DEMO.bob : DEMO.alice;
      const res = await call(reportRoute, await request("GET", `/api/portal/usage/${r.period}?pageSize=200`, { as }), { period: r.period });
      expect(res.status, res.text).toBe(200);
      // Not parsed with reportViewSchema: a submitted report can answer a negative `extensions.notExtended`
      // (extensions of licenses outside the report), a separate bug; the breakdown is parsed on its own.
      const view = res.json as unknown as ReportView;
      z.array(companyBreakdownSchema).parse(view.companies);
      const points = view.companies.reduce((s, c) => s + c.points, 0);
      const usage = view.companies.reduce((s, c) => s + c.usage, 0);
      expect(points, `${r.organization.name} ${r.period}`).toBe(view.totals.totalPoints);
      expect(usage).toBe(view.licenses.items.reduce((s, l) => s + l.rows.reduce((t, x) => t + x.count, 0), 0) + view.manualRows.reduce((s, m) => s + m.count, 0));
      expect(view.companies.reduce((s, c) => s + (c.companyId ? c.licenses : 0), 0)).toBe(view.licenses.items.filter((l) => l.companyId).length);
      for (const l of view.licenses.items) {
        const group = view.companies.find((c) => c.companyId === l.companyId);
        expect(group?.name).toBe(l.company ?? UNASSIGNED);
      }
      if (view.manualRows.length) expect(view.companies.at(-1)?.name).toBe(UNASSIGNED);
      seen.add(`${r.organization.name} ${r.status}`);
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining(["Acme Cloud Services SUBMITTED", "Globex Hosting SUBMITTED", "Acme Cloud Services DRAFT", "Globex Hosting DRAFT"]));
    // A submitted Globex report names its companies.
    const globex = reports.filter((r) => r.organization.name === "Globex Hosting" && r.status === "SUBMITTED").at(-1)!;
    const view = (await call(reportRoute, await request("GET", `/api/portal/usage/${globex.period}`, { as: DEMO.bob }), { period: globex.period })).json as unknown as ReportView;
    expect(view.companies.map((c) => c.name)).toContain("Northwind Traders");
  });

  it("the CSV names each row's company and usage type, Unassigned for manual rows", async () => {
    const submitted = await getDb().monthlyReport.findMany({ where: { status: "SUBMITTED" }, select: { period: true, organization: { select: { name: true } } }, orderBy: { period: "desc" } });
    const globex = submitted.find((r) => r.organization.name === "Globex Hosting")!;
    const csv = await call(exportRoute, await request("GET", `/api/portal/usage/${globex.period}/export`, { as: DEMO.bob }), { period: globex.period });
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("period,license_id,product,workload_type,reported_count,count,points,source,adjustment_reason,company,usage_type");
    expect(lines.some((l) => l.startsWith(`${globex.period},LIC-GLBX1-00001,`) && l.endsWith(",Northwind Traders,MULTI_CUSTOMER"))).toBe(true);
    const acme = submitted.find((r) => r.organization.name === "Acme Cloud Services")!;
    const acmeCsv = await call(exportRoute, await request("GET", `/api/portal/usage/${acme.period}/export`, { as: DEMO.alice }), { period: acme.period });
    const manual = acmeCsv.text.trim().split("\r\n").filter((l) => l.includes(",MANUAL,"));
    expect(manual.length).toBeGreaterThan(0);
    for (const l of manual) expect(l.endsWith(`,${UNASSIGNED},`)).toBe(true);
    // Per-company sums of the CSV equal the report's total.
    const view = (await call(reportRoute, await request("GET", `/api/portal/usage/${globex.period}?pageSize=200`, { as: DEMO.bob }), { period: globex.period })).json as unknown as ReportView;
    const perCompany = new Map<string, number>();
    for (const l of lines.slice(1)) {
      const cells = l.split(",");
      perCompany.set(cells[9], (perCompany.get(cells[9]) ?? 0) + Number(cells[6]));
    }
    expect([...perCompany.values()].reduce((a, b) => a + b, 0)).toBe(view.totals.totalPoints);
    for (const c of view.companies) expect(perCompany.get(c.name)).toBe(c.points);
  });
});
