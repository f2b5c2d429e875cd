import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrors } from "./form-field";

describe("fieldErrors", () => {
  it("keeps the first message of each field, and puts path-less issues under form", () => {
    const schema = z.object({ name: z.string().min(3, "Too short").max(1, "Too long"), days: z.number() }).refine(() => false, "Whole form");
    const parsed = schema.safeParse({ name: "a", days: "x" });
    expect(fieldErrors<"name" | "days">(parsed.error!.issues)).toEqual({ name: "Too short", days: expect.any(String) });
    expect(fieldErrors([{ path: [], message: "Whole form" }])).toEqual({ form: "Whole form" });
  });
});
