// For each role, what it may and may not reach; and tenant isolation as a pair of tests:
// another organization is refused (404) and the owner is allowed.
import { describe, expect, it } from "vitest";
import { GET as getContract } from "@/app/api/portal/contracts/[number]/route";
import { GET as getOrganizations } from "@/app/api/staff/organizations/route";
import { call, DEMO, request } from "../helpers";

const ACME_CONTRACT = "02553275";
const GLOBEX_CONTRACT = "03110042";

describe("provider routes", () => {
  it("refuse a request without a session with 401 problem+json", async () => {
    const res = await call(getContract, await request("GET", `/api/portal/contracts/${ACME_CONTRACT}`), { number: ACME_CONTRACT });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ status: 401, title: "Unauthorized" });
  });

  it("refuse a forged session cookie", async () => {
    const req = await request("GET", `/api/portal/contracts/${ACME_CONTRACT}`, {
      headers: { cookie: "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.forged.forged.forged" },
    });
    expect((await call(getContract, req, { number: ACME_CONTRACT })).status).toBe(401);
  });

  it("let the owner's admin and viewer read the owner's contract", async () => {
    for (const who of [DEMO.alice, DEMO.victor]) {
      const res = await call(getContract, await request("GET", `/api/portal/contracts/${ACME_CONTRACT}`, { as: who }), { number: ACME_CONTRACT });
      expect(res.status, who).toBe(200);
      expect(res.json).toMatchObject({ number: ACME_CONTRACT, type: "NO_COMMIT", state: "ACTIVE", dueDay: 10 });
    }
  });

  it("answer another organization's contract with 404, never 403", async () => {
    const res = await call(getContract, await request("GET", `/api/portal/contracts/${GLOBEX_CONTRACT}`, { as: DEMO.alice }), { number: GLOBEX_CONTRACT });
    expect(res.status).toBe(404);
    const own = await call(getContract, await request("GET", `/api/portal/contracts/${GLOBEX_CONTRACT}`, { as: DEMO.bob }), { number: GLOBEX_CONTRACT });
    expect(own.status).toBe(200);
  });

  it("answer the same 404 for an id that does not exist, so ids leak nothing", async () => {
    const res = await call(getContract, await request("GET", "/api/portal/contracts/99999999", { as: DEMO.alice }), { number: "99999999" });
    expect(res.status).toBe(404);
  });

  it("refuse support staff with 404", async () => {
    const res = await call(getContract, await request("GET", `/api/portal/contracts/${ACME_CONTRACT}`, { as: DEMO.sam }), { number: ACME_CONTRACT });
    expect(res.status).toBe(404);
  });
});

describe("staff routes", () => {
  it("let support staff list every organization with contracts and automatic-reporting state", async () => {
    const res = await call(getOrganizations, await request("GET", "/api/staff/organizations", { as: DEMO.sam }));
    expect(res.status).toBe(200);
    const items = res.json.items as { name: string; autoReportingEnabled: boolean; contracts: { number: string; state: string }[] }[];
    expect(items.map((o) => o.name)).toEqual(["Acme Cloud Services", "Globex Hosting"]);
    expect(items[0].autoReportingEnabled).toBe(false);
    expect(items[1].autoReportingEnabled).toBe(true);
    expect(items[1].contracts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ number: "03110042", state: "ACTIVE" }),
        expect.objectContaining({ number: "04000001", state: "TERMINATED" }),
      ]),
    );
  });

  it("refuse providers (admin and viewer) with 404 and anonymous callers with 401", async () => {
    for (const who of [DEMO.alice, DEMO.victor, DEMO.bob]) {
      const res = await call(getOrganizations, await request("GET", "/api/staff/organizations", { as: who }));
      expect(res.status, who).toBe(404);
    }
    expect((await call(getOrganizations, await request("GET", "/api/staff/organizations"))).status).toBe(401);
  });

  it("refuse a bad page number with 400 naming the field", async () => {
    const res = await call(getOrganizations, await request("GET", "/api/staff/organizations?page=0", { as: DEMO.sam }));
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: "page" })]);
  });
});
