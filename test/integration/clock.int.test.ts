import { afterEach, describe, expect, it } from "vitest";
import { DELETE, GET, PUT } from "@/app/api/test/clock/route";
import { now, resetTestClock } from "@/lib/clock";
import { createDb, getDb } from "@/lib/db";
import { call, request } from "../helpers";

afterEach(async () => {
  // Back to real time even when a test failed half-way, so that one failure does not fail the next.
  process.env.PULSE_TEST_CLOCK = "1";
  await resetTestClock();
  delete process.env.PULSE_TEST_CLOCK;
});

describe("test clock", () => {
  it("answers 404 on every method without PULSE_TEST_CLOCK=1, and moves nothing", async () => {
    delete process.env.PULSE_TEST_CLOCK;
    expect((await call(GET, await request("GET", "/api/test/clock"))).status).toBe(404);
    expect((await call(PUT, await request("PUT", "/api/test/clock", { body: { now: "2027-01-15T10:00:00Z" } }))).status).toBe(404);
    expect((await call(DELETE, await request("DELETE", "/api/test/clock"))).status).toBe(404);
    expect(await getDb().setting.count({ where: { key: "testClock.offsetMs" } })).toBe(0);
    expect(Math.abs((await now()).getTime() - Date.now())).toBeLessThan(5_000);
  });

  it("moves the time every process reads, keeps it running, and returns to real time", async () => {
    process.env.PULSE_TEST_CLOCK = "1";
    const put = await call(PUT, await request("PUT", "/api/test/clock", { body: { now: "2027-01-15T10:00:00Z" } }));
    expect(put.status).toBe(200);
    const got = await call(GET, await request("GET", "/api/test/clock"));
    const at = new Date(got.json.now as string).getTime();
    expect(at).toBeGreaterThanOrEqual(Date.parse("2027-01-15T10:00:00Z"));
    expect(at).toBeLessThan(Date.parse("2027-01-15T10:00:05Z"));

    // Another process is another client of the same database: it reads the same offset.
    const other = createDb();
    try {
      const row = await other.setting.findUniqueOrThrow({ where: { key: "testClock.offsetMs" } });
      expect(Math.abs(Date.now() + Number(row.value) - Date.parse("2027-01-15T10:00:00Z"))).toBeLessThan(5_000);
    } finally {
      await other.$disconnect();
    }

    // It is an offset, not a frozen time.
    const first = (await now()).getTime();
    await new Promise((r) => setTimeout(r, 30));
    expect((await now()).getTime()).toBeGreaterThan(first);

    expect((await call(DELETE, await request("DELETE", "/api/test/clock"))).status).toBe(200);
    expect(Math.abs((await now()).getTime() - Date.now())).toBeLessThan(5_000);
  });

  it("refuses a malformed time with 400 naming the field and changes nothing", async () => {
    process.env.PULSE_TEST_CLOCK = "1";
    const res = await call(PUT, await request("PUT", "/api/test/clock", { body: { now: "next tuesday" } }));
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: "now" })]);
    expect(Math.abs((await now()).getTime() - Date.now())).toBeLessThan(5_000);
  });

  it("refuses a time before 2000 or more than two years ahead (dates near year 9999 cannot be written), and changes nothing", async () => {
    process.env.PULSE_TEST_CLOCK = "1";
    const inTwoYears = new Date(Date.now() + 2 * 365 * 86_400_000 + 2 * 86_400_000).toISOString();
    for (const at of ["9999-12-31T12:00:00Z", inTwoYears, "1999-12-31T23:59:59Z"]) {
      const res = await call(PUT, await request("PUT", "/api/test/clock", { body: { now: at } }));
      expect(res.status, at).toBe(400);
      expect(res.json.errors).toEqual([expect.objectContaining({ path: "now", message: expect.stringMatching(/^The test clock accepts times from 2000-01-01 to \d{4}-\d\d-\d\d \(2 years from now\)\.$/) })]);
    }
    expect(Math.abs((await now()).getTime() - Date.now())).toBeLessThan(5_000);
  });

});
