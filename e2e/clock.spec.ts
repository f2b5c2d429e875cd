// Runs after every other spec (see playwright.config.ts): it moves the server's clock.
import { expect, test } from "@playwright/test";

test("the test clock moves server time for pages and endpoints, and returns to real time", async ({ request }) => {
  const put = await request.put("/api/test/clock", { data: { now: "2027-01-15T10:00:00Z" } });
  expect(put.status()).toBe(200);
  const got = await (await request.get("/api/test/clock")).json();
  expect(Date.parse(got.now)).toBeGreaterThanOrEqual(Date.parse("2027-01-15T10:00:00Z"));
  expect(Date.parse(got.now)).toBeLessThan(Date.parse("2027-01-15T10:01:00Z"));
  const reset = await request.delete("/api/test/clock");
  expect(Math.abs(Date.parse((await reset.json()).now) - Date.now())).toBeLessThan(60_000);
});
