// The New License Key draft is judged step by step: the date rule runs whatever the workloads hold.
import { describe, expect, it } from "vitest";
import { licenseDraftSchema } from "./licenses";

const today = "2026-12-03";

describe("the New License Key draft, step by step", () => {
  const facts = { today, organizationHasFeature: false, contracts: [{ number: "02553275", type: "VOLUME" as const, endDate: null }] };
  const info = { contractNumber: "02553275", productId: "VBR_ENT", autoReported: false, description: "" };
  const paths = (input: unknown) => {
    const r = licenseDraftSchema(facts).safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("refuses a past or missing date even while the workloads are still empty", () => {
    expect(paths({ ...info, expirationDate: "2026-12-01", workloads: [{ type: "", count: Number.NaN }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^expirationDate: /), expect.stringMatching(/^workloads\.0\.type: /)]),
    );
    expect(paths({ ...info, expirationDate: null, workloads: [] })).toEqual(expect.arrayContaining(["expirationDate: Choose an expiration date"]));
  });
  it("accepts a whole, valid draft", () => {
    expect(paths({ ...info, expirationDate: "2027-03-01", workloads: [{ type: "VBR_VM", count: 10 }] })).toEqual([]);
  });
});
