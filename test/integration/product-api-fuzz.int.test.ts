// Property-based: random malformed bodies against both product endpoints answer 4xx, never
// 5xx, and change nothing in the database.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as updateRoute } from "@/app/api/v1/license/update/route";
import { POST as reportsRoute } from "@/app/api/v1/usage/reports/route";
import { call, request } from "../helpers";
import { keyOf, productRowCounts } from "../product";

let validKey = "";
beforeAll(async () => {
  process.env.PULSE_RATE_LIMIT_PER_ADDRESS = "1000000";
  process.env.PULSE_RATE_LIMIT_PER_LICENSE = "1000000";
  validKey = await keyOf("LIC-GLBX1-00001");
});

/** Values no field of either endpoint accepts: wrong types, or strings of lengths no field allows. */
const notAString = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const badValue = fc.oneof(notAString, fc.constantFrom("", "   "), fc.string({ minLength: 65, maxLength: 80 }));
/** For the 8-to-64-character ids: also strings that are too short. */
const badId = fc.oneof(badValue, fc.string({ maxLength: 7 }));
const BAD: Record<string, fc.Arbitrary<unknown>> = {
  installationId: badId,
  reportId: badId,
  // Strings too: random text and JWS-shaped strings with random parts must be refused with a 4xx.
  licenseKey: fc.oneof(
    notAString,
    fc.string(),
    fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join(".")),
  ),
  productVersion: fc.oneof(notAString, fc.constantFrom("", "   ", "v".repeat(65))),
  kind: fc.oneof(notAString, fc.string().filter((s) => s !== "weekly" && s !== "monthly")),
  period: fc.oneof(notAString, fc.string().filter((s) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(s))),
  collectedAt: fc.oneof(notAString, fc.string({ maxLength: 12 })),
  workloads: fc.oneof(notAString.filter((v) => !Array.isArray(v)), fc.constant([])),
};

function malformed(valid: Record<string, unknown>, fields: string[]) {
  return fc.oneof(
    // A field replaced by a wrong value, or missing.
    fc.constantFrom(...fields).chain((field) => fc.record({ field: fc.constant(field), value: BAD[field], drop: fc.boolean() })).map(({ field, value, drop }) => {
      const copy: Record<string, unknown> = { ...valid };
      if (drop) delete copy[field];
      else copy[field] = value;
      return JSON.stringify(copy);
    }),
    // Any JSON value that is not the expected object.
    fc.anything().map((v) => JSON.stringify(v) ?? "null").filter((s) => !s.startsWith("{")),
    // Not JSON at all.
    fc.string().filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
  );
}

const runs = 1000;

describe("malformed bodies", () => {
  it(`license update: ${runs} random malformed bodies answer 4xx and change nothing`, async () => {
    const before = await productRowCounts();
    const valid = { licenseKey: validKey, installationId: "vbr-fuzz-install-01", productVersion: "13.0.1.1071" };
    await fc.assert(
      fc.asyncProperty(malformed(valid, ["licenseKey", "installationId", "productVersion"]), async (raw) => {
        const res = await call(updateRoute, await request("POST", "/api/v1/license/update", { rawBody: raw, headers: { "content-type": "application/json" } }));
        return res.status >= 400 && res.status < 500;
      }),
      { numRuns: runs },
    );
    expect(await productRowCounts()).toEqual(before);
  });

  it(`usage reports: ${runs} random malformed bodies answer 4xx and change nothing`, async () => {
    const before = await productRowCounts();
    const now = new Date();
    const valid = {
      licenseKey: validKey,
      installationId: "vbr-fuzz-install-01",
      reportId: "fuzz-report-0001",
      kind: "weekly",
      period: now.toISOString().slice(0, 7),
      collectedAt: new Date(now.getTime() - 60_000).toISOString(),
      workloads: [{ type: "VBR_VM", count: 1 }],
    };
    const workloadsBad = fc.oneof(
      fc.constant([]),
      fc.array(fc.record({ type: fc.constantFrom("VBR_VM", "NOPE", ""), count: fc.oneof(notAString.filter((v) => !Number.isInteger(v)), fc.integer({ max: -1 })) }), { minLength: 1, maxLength: 3 }),
      fc.constant([{ type: "VBR_VM", count: 1 }, { type: "VBR_VM", count: 2 }]),
      fc.constant([{ type: "VBR_VM", count: 1, newCount: 5 }]),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          malformed(valid, ["licenseKey", "installationId", "reportId", "kind", "period", "collectedAt", "workloads"]),
          workloadsBad.map((w) => JSON.stringify({ ...valid, workloads: w })),
        ),
        async (raw) => {
          const res = await call(reportsRoute, await request("POST", "/api/v1/usage/reports", { rawBody: raw, headers: { "content-type": "application/json" } }));
          return res.status >= 400 && res.status < 500;
        },
      ),
      { numRuns: runs },
    );
    expect(await productRowCounts()).toEqual(before);
  });
});
