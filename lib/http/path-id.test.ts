import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { idParam, isPathId } from "./path-id";

describe("idParam", () => {
  it("answers an id that can name a row", () => {
    expect(idParam({ licenseId: "LIC-ACME1-00001" }, "licenseId")).toBe("LIC-ACME1-00001");
    expect(isPathId("é👩‍👩‍👧")).toBe(true);
  });

  // PostgreSQL text cannot hold U+0000: a lookup by such an id answered 500 there (portal-fuzz).
  it.each([["LIC-ACME1-00001\u0000"], ["\u0000"], [""], ["x".repeat(201)]])("%j is not found (404), before any query", (raw) => {
    expect(() => idParam({ id: raw }, "id", "License not found.")).toThrow(AppError);
    expect(() => idParam({ id: raw }, "id")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });

  it("a missing parameter is not found", () => {
    expect(() => idParam({}, "id")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });
});
