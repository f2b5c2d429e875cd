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

describe("parseWith refuses U+0000 anywhere (PostgreSQL text cannot hold it)", () => {
  const schema = z.object({ body: z.string(), tags: z.array(z.string()).optional(), email: z.record(z.string(), z.boolean()).optional() });

  it.each([
    [{ body: "\u0000" }, "body"],
    [{ body: "a comment\u0000 with a NUL" }, "body"],
    [{ body: "ok", tags: ["x", "y\u0000"] }, "tags.1"],
    [{ body: "ok", email: { "kind\u0000": true } }, "email.kind\u0000"],
    ["\u0000", "(body)"],
  ])("%j is a BAD_REQUEST naming %s", (data, path) => {
    expect(() => parseWith(schema, data)).toThrow(AppError);
    try {
      parseWith(schema, data);
    } catch (e) {
      expect(e).toMatchObject({ code: "BAD_REQUEST", errors: [{ path, message: expect.stringMatching(/U\+0000/) }] });
    }
  });

  it("accepts other control characters and unicode", () => {
    expect(parseWith(schema, { body: "tab\there, é, 👩‍👩‍👧, \u202e" })).toEqual({ body: "tab\there, é, 👩‍👩‍👧, \u202e" });
  });
});
