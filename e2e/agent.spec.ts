// The product agent's `run` against the production build, following the test clock over two
// virtual months: weekly checks and reports, the monthly report on the 1st extends the key and the
// agent installs it; stopped with Ctrl-C it resumes from its state; when the contract is
// terminated it turns automatic update off and stops.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { compactVerify, createLocalJWKSet } from "jose";
import { signIn, USERS } from "./fixtures";

test.describe.configure({ mode: "serial" });

test.afterAll(async ({ request }) => {
  await request.delete("/api/test/clock");
});

const DAY = 86_400_000;

interface Agent {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function startAgent(baseURL: string, key: string): Agent {
  // One process (no tsx launcher in between), so that SIGINT reaches the agent itself.
  const child = spawn(process.execPath, ["--require", "tsx/cjs", "agent/cli.ts", "run", "--server", baseURL, "--key", key, "--test-clock", "--poll", "0.1", "--json"], {
    cwd: path.resolve(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"], env: { ...process.env },
  });
  const lines: string[] = [];
  let buffer = "";
  child.stdout!.on("data", (d) => {
    buffer += d;
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on("data", (d) => lines.push(`stderr: ${d}`));
  return { child, lines, exited: new Promise((r) => child.on("exit", (code) => r(code))) };
}

const sessions = (a: Agent) => a.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { at: string; action: string; result: string; message: string; detail?: string; next: string });

/** Moves the portal's clock to `at` and waits until the agent has done everything due by then. */
async function advance(request: APIRequestContext, state: string, at: Date) {
  expect((await request.put("/api/test/clock", { data: { now: at.toISOString() } })).status()).toBe(200);
  await expect.poll(() => {
    try {
      return Date.parse(JSON.parse(readFileSync(state, "utf8")).observedAt ?? "0") >= at.getTime();
    } catch {
      return false;
    }
  }, { timeout: 20_000, intervals: [50, 100, 200] }).toBe(true);
}

test("agent run over two virtual months: weekly checks and reports, the monthly report extends the key and the agent installs it; Ctrl-C and resume; the contract is terminated and the agent turns automatic update off", async ({ browser, request, baseURL }) => {
  test.setTimeout(300_000);
  const start = new Date((await (await request.get("/api/test/clock")).json()).now);
  const today = start.toISOString().slice(0, 10);

  // Support staff give Globex a contract of its own for this test; Bob creates an auto-reported key under it.
  const staff = await browser.newPage();
  await signIn(staff, USERS.sam.email);
  const orgs = await (await staff.request.get("/api/staff/organizations")).json();
  const globex = orgs.items.find((o: { name: string }) => o.name === "Globex Hosting");
  const contract = await staff.request.post(`/api/staff/organizations/${globex.id}/contracts`, { data: { number: "07070707", type: "NO_COMMIT", startDate: today, dueDay: 10 } });
  expect(contract.status()).toBe(201);
  const bob = await browser.newPage();
  await signIn(bob, USERS.bob.email);
  const created = await bob.request.post("/api/portal/licenses", {
    data: { contractNumber: "07070707", productId: "VBR_ENT", autoReported: true, description: "e2e: product agent run", workloads: [{ type: "VBR_VM", count: 40 }] },
  });
  expect(created.status()).toBe(201);
  const { licenseId } = await created.json();
  const dir = mkdtempSync(path.join(os.tmpdir(), "agent-e2e-"));
  const key = path.join(dir, `${licenseId}.lic`);
  writeFileSync(key, await (await bob.request.get(`/api/portal/licenses/${licenseId}/key`)).text());
  const state = `${key}.state.json`;
  const claims = () => JSON.parse(Buffer.from(readFileSync(key, "utf8").trim().split(".")[1], "base64url").toString()).lic;
  const firstExpiration = claims().expirationDate;

  // The first month and a bit, a day at a time.
  let agent = startAgent(baseURL!, key);
  let day = 0;
  const firstOfMonth = (n: number) => new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1, 6));
  for (; start.getTime() + day * DAY <= firstOfMonth(1).getTime() + 8 * DAY; day++) await advance(request, state, new Date(start.getTime() + day * DAY));
  const installationId = JSON.parse(readFileSync(state, "utf8")).installationId;

  // Ctrl-C: it stops cleanly, and a new run resumes from the state beside the key.
  agent.child.kill("SIGINT");
  expect(await agent.exited).toBe(0);
  expect(agent.lines.join("\n")).toContain("Stopped; the state is saved");
  const firstRun = sessions(agent);
  agent = startAgent(baseURL!, key);
  await expect.poll(() => agent.lines.join("\n")).toContain(`installation ${installationId}`);
  for (; start.getTime() + day * DAY <= firstOfMonth(2).getTime() + 8 * DAY; day++) await advance(request, state, new Date(start.getTime() + day * DAY));
  const all = [...firstRun, ...sessions(agent)];

  // Weekly checks and weekly reports.
  const checks = all.filter((s) => s.action === "check");
  expect(checks.length).toBeGreaterThanOrEqual(9);
  expect(checks[0].result).toBe("NotRequired");
  // Weekly: the clock moves a day at a time, so a check due a week later is seen at the next step (at most a day late).
  for (let i = 1; i < checks.length; i++) {
    const gap = Date.parse(checks[i].at) - Date.parse(checks[i - 1].at);
    expect(gap, `${checks[i - 1].at} -> ${checks[i].at}`).toBeGreaterThanOrEqual(7 * DAY);
    expect(gap, `${checks[i - 1].at} -> ${checks[i].at}`).toBeLessThanOrEqual(8 * DAY + 60_000);
  }
  expect(all.filter((s) => s.action === "report" && /^weekly report/.test(s.message) && s.result === "accepted").length).toBeGreaterThanOrEqual(9);
  // Two monthly reports on the 1st, each extending the key by one calendar month, and the next check installs it.
  const monthly = all.filter((s) => s.action === "report" && /^monthly report/.test(s.message));
  expect(monthly.map((s) => s.result)).toEqual(["accepted", "accepted"]);
  const extendedTo = monthly.map((s) => /licenseExtendedTo (\d{4}-\d\d-\d\d)/.exec(s.detail ?? "")?.[1]);
  expect(extendedTo[0]! > firstExpiration).toBe(true);
  expect(extendedTo[1]! > extendedTo[0]!).toBe(true);
  expect(checks.filter((s) => s.result === "Success").length).toBe(2);
  expect(claims().expirationDate).toBe(extendedTo[1]);
  const jwks = await (await request.get("/.well-known/jwks.json")).json();
  await compactVerify(readFileSync(key, "utf8").trim(), createLocalJWKSet(jwks));
  expect(existsSync(`${key}.bak`)).toBe(true);

  // The contract is terminated: at its next check the agent turns automatic update off and stops.
  expect((await staff.request.patch("/api/staff/contracts/07070707", { data: { action: "terminate" } })).status()).toBe(200);
  const exited = agent.exited;
  for (let k = 1; k <= 8; k++) {
    await request.put("/api/test/clock", { data: { now: new Date(start.getTime() + (day + k) * DAY).toISOString() } });
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 1500))]);
    if (done) break;
  }
  expect(await exited).toBe(0);
  const last = sessions(agent).filter((s) => s.action === "check").at(-1)!;
  expect(last).toMatchObject({ result: "ContractTerminated", next: "off" });
  expect(agent.lines.join("\n")).toContain("Automatic license update is off (The contract is terminated.)");
  expect(JSON.parse(readFileSync(state, "utf8"))).toMatchObject({ autoUpdate: false });
  await staff.close();
  await bob.close();
});
