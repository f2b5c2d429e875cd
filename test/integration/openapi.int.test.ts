import { describe, expect, it } from "vitest";
import { GET as openapiRoute } from "@/app/api/v1/openapi.json/route";
import { call, request } from "../helpers";

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document of every endpoint of PRODUCT-API.md, generated from the zod schemas", async () => {
    const res = await call(openapiRoute, await request("GET", "/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    const doc = res.json as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, { properties: Record<string, { minLength?: number; maxLength?: number; enum?: string[] }>; required: string[] }> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/license/update", "/api/v1/usage/reports", "/.well-known/jwks.json", "/api/health", "/api/portal/licenses", "/api/portal/licenses/{licenseId}/key", "/api/portal/licenses/{licenseId}"]),
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
});
