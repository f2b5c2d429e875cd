// The machine-facing basics, as a script would call them.
import { expect, test } from "@playwright/test";

test("GET /api/health answers ok", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});

test("portal endpoints need a session", async ({ request }) => {
  const res = await request.get("/api/portal/contracts/02553275");
  expect(res.status()).toBe(401);
  expect(res.headers()["content-type"]).toBe("application/problem+json");
});
