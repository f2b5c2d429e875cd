// Edges of the served pages that only the production server shows: what it answers and what it
// logs for an address it cannot decode, and the pages at the far end of the test clock's range.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProduction, type ProductionServer } from "./server";
import { signInOverHttp, type Cookies } from "./session";

let server: ProductionServer;
let alice: Cookies;

beforeAll(async () => {
  server = await startProduction({ env: { PULSE_TEST_CLOCK: "1" } });
  alice = await signInOverHttp(server.url, "alice@acme.test");
});
afterAll(async () => {
  await server?.stop();
});

const page = (path: string) => fetch(`${server.url}${path}`, { headers: { Cookie: alice.header() }, redirect: "manual" });
const clock = (now: string) =>
  fetch(`${server.url}/api/test/clock`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ now }) });

describe("the production server", () => {
  it("answers a malformed license address with the 404 page and logs no error", async () => {
    const before = server.output().length;
    const res = await page("/licenses/%E0%A4%A");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page not found");
    expect((await page("/licenses/LIC-ACME1-00001")).status).toBe(200);
    expect(server.output().slice(before)).not.toMatch(/URIError|Error:|⨯/);
  });

  it("refuses a clock near year 9999, and serves the pages a year ahead", async () => {
    expect((await clock("9999-12-31T12:00:00Z")).status).toBe(400);
    expect((await clock(new Date(Date.now() + 365 * 86_400_000).toISOString())).status).toBe(200);
    try {
      for (const path of ["/overview", "/usage", "/licenses", "/activity"]) expect((await page(path)).status, path).toBe(200);
    } finally {
      await fetch(`${server.url}/api/test/clock`, { method: "DELETE" });
    }
  });
});
