import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { fieldErrors, parseWith } from "./parse";

describe("parseWith", () => {
  const schema = z.object({ name: z.string().min(1, "name is required"), items: z.array(z.object({ count: z.number() })) });

  it("answers the parsed value", () => {
    expect(parseWith(schema, { name: "a", items: [{ count: 1 }] })).toEqual({ name: "a", items: [{ count: 1 }] });
  });

  it("throws one BAD_REQUEST naming each field, by its dotted path", () => {
    let error: unknown;
    try {
      parseWith(schema, { name: "", items: [{ count: "x" }] }, "The new license");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", errors: [{ path: "name", message: "name is required" }, { path: "items.0.count" }] });
    expect((error as Error).message).toMatch(/^The new license is invalid: name: name is required; items\.0\.count: /);
  });

  it("names a mismatch of the whole body (body)", () => {
    expect(fieldErrors([{ path: [], message: "Expected object" }])).toEqual([{ path: "(body)", message: "Expected object" }]);
  });
});
