// Runs after every other spec (see playwright.config.ts): these tests move the server's clock,
// one after the other.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { compactVerify, createLocalJWKSet } from "jose";
import { addMonths, shown, signIn, USERS } from "./fixtures";

test.describe.configure({ mode: "serial" });

test.afterAll(async ({ request }) => {
  await request.delete("/api/test/clock");
});

const shiftPeriod = (p: string, months: number) => {
  const [y, m] = p.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 7);
};
const monthName = (p: string) => new Date(`${p}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

async function setClock(request: APIRequestContext, at: string) {
  expect((await request.put("/api/test/clock", { data: { now: at } })).status()).toBe(200);
}

test("the test clock moves server time for pages and endpoints, and returns to real time", async ({ request }) => {
  const put = await request.put("/api/test/clock", { data: { now: "2027-01-15T10:00:00Z" } });
  expect(put.status()).toBe(200);
  const got = await (await request.get("/api/test/clock")).json();
  expect(Date.parse(got.now)).toBeGreaterThanOrEqual(Date.parse("2027-01-15T10:00:00Z"));
  expect(Date.parse(got.now)).toBeLessThan(Date.parse("2027-01-15T10:01:00Z"));
  const reset = await request.delete("/api/test/clock");
  expect(Math.abs(Date.parse((await reset.json()).now) - Date.now())).toBeLessThan(60_000);
});

test("servers report a month; on the 3rd of the next month Globex reviews it, adds a manual row, submits, and keys move one month", async ({ page, playwright, baseURL, request }) => {
  await request.delete("/api/test/clock");
  const period = new Date().toISOString().slice(0, 7);
  await signIn(page, USERS.bob.email);
  const licenseKey = (await (await page.request.get("/api/portal/licenses/LIC-GLBX1-00001/key")).text()).trim();

  // Globex's backup server reports the month through the product API, as the product does.
  const product = await playwright.request.newContext({ baseURL });
  for (const [week, count] of [[1, 610], [2, 655]] as const) {
    const res = await product.post("/api/v1/usage/reports", {
      data: {
        licenseKey, installationId: "vbr-e2e-month-01", reportId: `e2e-${period}-week-${week}`, kind: "weekly", period,
        collectedAt: new Date(Date.now() - (3 - week) * 60_000).toISOString(), workloads: [{ type: "VBR_VM", count }],
      },
    });
    expect(res.status()).toBe(201);
  }

  // The 3rd of the next month.
  await setClock(request, `${shiftPeriod(period, 1)}-03T09:00:00Z`);
  await page.goto("/usage");
  await page.getByRole("link", { name: `Review and submit ${monthName(period)}` }).click();
  await expect(page.getByRole("heading", { name: `Usage report: ${monthName(period)}` })).toBeVisible();
  const table = page.getByRole("table", { name: `Auto-reported licenses of ${monthName(period)}` });
  const vmRow = table.getByRole("row").filter({ hasText: "vbr-e2e-month-01" });
  await expect(vmRow).toContainText("655");
  await expect(vmRow).toContainText("weekly high watermark");
  await page.screenshot({ path: "test-results/usage-report.png", fullPage: true });

  // A manual row for an installation without an auto-reported license; points show as you type.
  const form = page.getByRole("form", { name: "Add a manual row" });
  await form.getByLabel("Product").selectOption({ label: "Veeam ONE" });
  await form.getByLabel("Workload type").selectOption("VONE_VM");
  await form.getByLabel("Workloads").fill("10");
  await expect(form.getByText("20 points")).toBeVisible();
  await form.getByRole("button", { name: "Add row" }).click();
  await expect(page.getByText("Added 10 × Virtual machines (Veeam ONE): 20 points.")).toBeVisible();
  await expect(page.getByRole("table", { name: `Manual rows of ${monthName(period)}` })).toContainText("Virtual machines");

  // What the confirmation says is what happens.
  const before = await (await page.request.get("/api/portal/licenses/LIC-GLBX1-00001")).json();
  await page.getByRole("button", { name: "Submit Usage" }).click();
  const dialog = page.getByRole("dialog", { name: `Confirm to Submit: ${monthName(period)}` });
  await expect(dialog).toContainText(`LIC-GLBX1-00001: ${shown(before.expirationDate)} → ${shown(addMonths(before.expirationDate, 1))}`);
  await page.screenshot({ path: "test-results/usage-confirm.png" });
  await dialog.getByRole("button", { name: "Confirm to Submit" }).click();
  // Numbers read the same in toasts as on pages: "3,407 points", never "3407 points".
  await expect(page.getByText(new RegExp(`^Usage for ${monthName(period)} submitted on time: \\d{1,3}(,\\d{3})* points?; \\d+ license keys? extended by one month\\.$`))).toBeVisible();
  await expect(page.getByText(`Submitted`, { exact: false }).first()).toBeVisible();
  await expect(page.getByText("On time").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit Usage" })).toHaveCount(0);

  const after = await (await page.request.get("/api/portal/licenses/LIC-GLBX1-00001")).json();
  expect(after.expirationDate).toBe(addMonths(before.expirationDate, 1));

  // The product's next update check gets the extended key.
  const check = await product.post("/api/v1/license/update", { data: { licenseKey, installationId: "vbr-e2e-month-01", productVersion: "13.0.1.1071" } });
  const answer = await check.json();
  expect(answer).toMatchObject({ result: "Success" });
  const jwks = await (await product.get("/.well-known/jwks.json")).json();
  const { payload } = await compactVerify(answer.licenseKey, createLocalJWKSet(jwks));
  expect(JSON.parse(new TextDecoder().decode(payload)).lic.expirationDate).toBe(after.expirationDate);
  await product.dispose();
});

test("no report for two months: the keys expire and new keys are refused until the overdue months are submitted", async ({ page, request }) => {
  // Four months on, nothing submitted since: two consecutive months are missing.
  const realPeriod = new Date().toISOString().slice(0, 7);
  await setClock(request, `${shiftPeriod(realPeriod, 4)}-20T09:00:00Z`);
  await signIn(page, USERS.bob.email);

  await page.goto("/licenses?state=EXPIRED");
  await expect(page.getByTestId("license-row-LIC-GLBX1-00001")).toBeVisible();

  await page.goto("/licenses/new");
  await expect(page.getByText(/License management is suspended/)).toBeVisible();

  await page.goto("/usage");
  await expect(page.getByRole("alert").filter({ hasText: "License management is suspended" })).toBeVisible();
  const overdue = page.getByRole("link", { name: /^Review and submit / });
  const count = await overdue.count();
  expect(count).toBeGreaterThanOrEqual(2);

  // Submit every overdue month; a late report no longer extends an expired key.
  for (let i = 0; i < count; i++) {
    await page.goto("/usage");
    await page.getByRole("link", { name: /^Review and submit / }).first().click();
    await expect(page.getByText(/Not extended: expired/).first()).toBeVisible();
    await page.getByRole("button", { name: "Submit Usage" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Confirm to Submit" }).click();
    await expect(page.getByText(/submitted late/)).toBeVisible();
  }
  await page.goto("/usage");
  await expect(page.getByText("Nothing to submit")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "License management is suspended" })).toHaveCount(0);
  await page.goto("/licenses/new");
  await expect(page.getByText(/License management is suspended/)).toHaveCount(0);
  const license = await (await page.request.get("/api/portal/licenses/LIC-GLBX1-00001")).json();
  expect(license.state).toBe("EXPIRED");
});

test("a month in which no one clicks Submit: the product's monthly report extends its key, support adds a contract with due day 6, the checks name a silent server, and the portal submits on the 6th", async ({ page, browser, playwright, baseURL, request }) => {
  // After the months above: P is a month nobody has touched yet.
  const P = shiftPeriod(new Date().toISOString().slice(0, 7), 5);
  const next = shiftPeriod(P, 1);
  await setClock(request, `${P}-05T09:00:00Z`);
  await signIn(page, USERS.bob.email);

  // Bob turns on automatic submission (Settings > Usage submission).
  await page.goto("/settings");
  const autoSubmit = page.getByRole("switch", { name: "Submit automatically on the due day" });
  await autoSubmit.click();
  await expect(page.getByText(/Automatic submission is on/)).toBeVisible();
  await expect(autoSubmit).toHaveAttribute("aria-checked", "true");
  await page.screenshot({ path: "test-results/settings-usage-submission.png", fullPage: true });

  // A new auto-reported key, made late in the month before P (no usage is reported for a month
  // before its license existed) and installed on two backup servers that report for that month.
  const before = shiftPeriod(P, -1);
  await setClock(request, `${before}-27T09:00:00Z`);
  const created = await page.request.post("/api/portal/licenses", {
    data: { contractNumber: "03110042", productId: "VBR_ENT", autoReported: true, description: "e2e: hands-off month", workloads: [{ type: "VBR_VM", count: 50 }] },
  });
  expect(created.status()).toBe(201);
  const license = await created.json();
  const key = async () => (await (await page.request.get(`/api/portal/licenses/${license.licenseId}/key`)).text()).trim();
  const product = await playwright.request.newContext({ baseURL });
  const report = async (installationId: string, kind: "weekly" | "monthly", period: string, collectedAt: string, count: number) =>
    product.post("/api/v1/usage/reports", {
      data: { licenseKey: await key(), installationId, reportId: `e2e-${installationId}-${kind}-${period}-${collectedAt}`, kind, period, collectedAt, workloads: [{ type: "VBR_VM", count }] },
    });
  for (const server of ["vbr-e2e-a", "vbr-e2e-b"]) expect((await report(server, "weekly", before, `${before}-27T09:05:00Z`, 40)).status()).toBe(201);
  await setClock(request, `${P}-05T09:00:00Z`);
  // In P only server A reports: B has gone silent.
  expect((await report("vbr-e2e-a", "weekly", P, `${P}-05T08:00:00Z`, 48)).status()).toBe(201);

  // Support staff create a contract with due day 6 for Globex, starting with P.
  const staff = await browser.newPage();
  await signIn(staff, USERS.sam.email);
  await staff.goto("/staff/organizations");
  const card = staff.locator("details").filter({ hasText: "New contract for Globex Hosting" });
  await card.getByText("New contract for Globex Hosting").click();
  await card.getByLabel("Support ID").fill("06060606");
  await card.getByLabel("Start date").fill(`${P}-01`);
  await card.getByLabel("Report due day").fill("6");
  await card.getByRole("button", { name: "Create contract…" }).click();
  await staff.getByRole("dialog", { name: "Create contract 06060606" }).getByRole("button", { name: "Create contract" }).click();
  await expect(staff.getByText("Contract 06060606 created for Globex Hosting.")).toBeVisible();
  await expect(staff.getByRole("table", { name: "Contracts of Globex Hosting" })).toContainText("06060606");
  await staff.screenshot({ path: "test-results/staff-contract-created.png", fullPage: true });

  // The 1st of the next month, 00:30 UTC: the server sends its monthly report, which extends the key by one month.
  await setClock(request, `${next}-01T00:30:00Z`);
  const beforeExtension = await (await page.request.get(`/api/portal/licenses/${license.licenseId}`)).json();
  const installed = await key(); // the key the server holds
  const monthly = await report("vbr-e2e-a", "monthly", P, `${P}-${new Date(Date.UTC(Number(P.slice(0, 4)), Number(P.slice(5, 7)), 0)).getUTCDate()}T23:50:00Z`, 50);
  expect(monthly.status()).toBe(201);
  expect(await monthly.json()).toMatchObject({ licenseExtendedTo: addMonths(beforeExtension.expirationDate, 1) });
  // Its next update check gets Success with a key one month longer.
  const check = await product.post("/api/v1/license/update", { data: { licenseKey: installed, installationId: "vbr-e2e-a", productVersion: "13.0.1.1071" } });
  const answer = await check.json();
  expect(answer).toMatchObject({ result: "Success" });
  const jwks = await (await product.get("/.well-known/jwks.json")).json();
  const { payload } = await compactVerify(answer.licenseKey, createLocalJWKSet(jwks));
  expect(JSON.parse(new TextDecoder().decode(payload)).lic.expirationDate).toBe(addMonths(beforeExtension.expirationDate, 1));
  await product.dispose();

  // The 2nd: the report of P says the key was extended by its product, the deadline is the 6th, and the checks name server B.
  await setClock(request, `${next}-02T09:00:00Z`);
  await page.goto(`/usage/${P}`);
  await expect(page.getByRole("heading", { name: `Usage report: ${monthName(P)}` })).toBeVisible();
  await expect(page.locator(`time[datetime="${next}-06T23:59:59.000Z"]`).first()).toBeVisible();
  await expect(page.getByText("Already extended by its product's monthly report")).toBeVisible();
  await expect(page.getByTestId("submit-checks").first()).toContainText("installation vbr-e2e-b reported last month but not in");
  await page.screenshot({ path: "test-results/usage-checks.png", fullPage: true });
  // The same checks for support staff, on the Organizations page.
  await staff.reload();
  await expect(staff.getByRole("region", { name: "Open periods of Globex Hosting" })).toContainText("vbr-e2e-b");
  await staff.close();

  // 00:00 UTC of the due day: the portal submits P by itself, on time; nobody clicked anything.
  await setClock(request, `${next}-06T00:00:30Z`);
  await page.goto(`/usage/${P}`);
  await expect(page.getByText("by system (automatic submission)")).toBeVisible();
  await expect(page.getByText("On time").first()).toBeVisible();
  await page.screenshot({ path: "test-results/usage-auto-submitted.png", fullPage: true });
});
