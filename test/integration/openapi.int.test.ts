import { describe, expect, it } from "vitest";
import { GET as openapiRoute } from "@/app/api/v1/openapi.json/route";
import { licenseListItemSchema } from "@/lib/schemas/licenses";
import { call, request } from "../helpers";

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document of every endpoint of PRODUCT-API.md, generated from the zod schemas", async () => {
    const res = await call(openapiRoute, await request("GET", "/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    const doc = res.json as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, { properties: Record<string, { minLength?: number; maxLength?: number; enum?: string[] }>; required: string[] }> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/license/update", "/api/v1/usage/reports", "/.well-known/jwks.json", "/api/health", "/api/portal/licenses", "/api/portal/licenses/{licenseId}/key", "/api/portal/licenses/{licenseId}", "/api/portal/tokens", "/api/portal/tokens/{id}"]),
    );
    expect(Object.keys(doc.paths["/api/v1/license/update"].post.responses).sort()).toEqual(["200", "400", "401", "413", "429", "503"]);
    expect(Object.keys(doc.paths["/api/v1/usage/reports"].post.responses).sort()).toEqual(["200", "201", "400", "401", "409", "413", "422", "429", "500"]);
    const report = doc.components.schemas.UsageReportRequest;
    expect(report.required.sort()).toEqual(["collectedAt", "installationId", "kind", "licenseKey", "period", "reportId", "workloads"]);
    expect(report.properties.reportId).toMatchObject({ minLength: 8, maxLength: 64 });
    expect(report.properties.kind.enum).toEqual(["weekly", "monthly"]);
    expect(doc.components.schemas.LicenseUpdateAnswer.properties.result.enum).toEqual([
      "Success", "NotRequired", "UnsupportedLicenseType", "ContractTerminated", "InvalidLicense", "GenerationFailed",
    ]);
  });

  it("shows the license as the list endpoint and PATCH answer it: the same zod object, every field required", async () => {
    const doc = (await call(openapiRoute, await request("GET", "/api/v1/openapi.json"))).json as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[]; additionalProperties?: boolean }> };
    };
    const license = doc.components.schemas.License;
    expect(Object.keys(license.properties).sort()).toEqual(Object.keys(licenseListItemSchema.shape).sort());
    expect(license.required.sort()).toEqual(Object.keys(licenseListItemSchema.shape).sort());
    expect(license.additionalProperties).toBe(false);
    expect(doc.paths["/api/portal/licenses/{licenseId}"].patch.responses["200"].content?.["application/json"].schema).toEqual({ $ref: "#/components/schemas/License" });
    expect(doc.paths["/api/portal/licenses"].get.responses["200"].content?.["application/json"].schema).toEqual({ $ref: "#/components/schemas/LicensePage" });
    expect(doc.components.schemas.LicensePage.properties.items).toEqual({ type: "array", items: { $ref: "#/components/schemas/License" } });
    // The portal's other answers are components too (their routes may change, so no paths).
    for (const name of ["LicenseDetail", "UsageReportView", "UsageOverview", "CaseDetail", "StaffCaseDetail", "Notice", "ActivityPage", "Contract"]) {
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
  });
});
