// Monthly usage in the browser without moving the clock: the Overview's period due, an adjusted
// count that needs a reason, and a figure reported for a license that is not auto-reported used
// as a manual row with one click. (Submitting, with the test clock, is in clock.spec.ts.)
import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./fixtures";

const lastEnded = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};
const monthName = (p: string) => new Date(`${p}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

test("the Overview names the month due with its deadline and links to its report", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  await page.goto("/overview");
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Usage report due" }) });
  await expect(card).toContainText(monthName(lastEnded()));
  await expect(card).toContainText(/due in \d+ days?|due today|overdue by \d+ days?/);
  await card.getByRole("link", { name: "Review and submit" }).click();
  await expect(page).toHaveURL(new RegExp(`/usage/${lastEnded()}$`));
  await expect(page.getByRole("heading", { name: `Usage report: ${monthName(lastEnded())}` })).toBeVisible();
});

test("lowering a reported count asks for a reason, and the report keeps it", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  await page.goto(`/usage/${lastEnded()}`);
  await page.getByRole("button", { name: /^Adjust the count of Virtual machines of LIC-GLBX1-00001/ }).click();
  await page.getByLabel(/^Count of Virtual machines of LIC-GLBX1-00001/).fill("300");
  const save = page.getByRole("button", { name: "Save" });
  await expect(page.getByText("Say why the count is lower than the 342 your servers reported.")).toBeVisible();
  await expect(save).toBeDisabled();
  await page.getByLabel("Reason for the lower count").fill("42 lab VMs are not billable");
  await save.click();
  await expect(page.getByText("LIC-GLBX1-00001 VBR_VM: count set to 300.")).toBeVisible();
  await expect(page.getByText("Reason: 42 lab VMs are not billable")).toBeVisible();
});

test("usage a server reported for a license that is not auto-reported is a hint, used as a manual row with one click", async ({ page, playwright, baseURL }) => {
  const period = lastEnded();
  await signIn(page, USERS.alice.email);
  const licenseKey = (await (await page.request.get("/api/portal/licenses/LIC-ACME1-00001/key")).text()).trim();
  const product = await playwright.request.newContext({ baseURL });
  const sent = await product.post("/api/v1/usage/reports", {
    data: {
      licenseKey, installationId: "vbr-acme-e2e-01", reportId: `acme-hint-${period}`, kind: "monthly", period,
      collectedAt: `${period}-28T00:00:00Z`, workloads: [{ type: "VBR_VM", count: 118 }],
    },
  });
  expect(sent.status()).toBe(201);
  await product.dispose();

  await page.goto(`/usage/${period}`);
  const hint = page.getByRole("listitem").filter({ hasText: "LIC-ACME1-00001" });
  await expect(hint).toContainText("118");
  await expect(page.getByTestId("total-points")).toHaveText("0 points"); // never counted by itself
  await hint.getByRole("button", { name: /^Use this figure/ }).click();
  const manual = page.getByRole("table", { name: `Manual rows of ${monthName(period)}` });
  await expect(manual.getByRole("row").filter({ hasText: "118" })).toContainText("590"); // 118 × 5 points
  await expect(page.getByTestId("total-points")).toHaveText("590 points");

  // Acme reports by hand: its manual rows come before the (empty) auto-reported section.
  const manualHeading = page.getByRole("heading", { name: "Manual rows" });
  const autoHeading = page.getByRole("heading", { name: "Auto-reported licenses" });
  expect((await manualHeading.boundingBox())!.y).toBeLessThan((await autoHeading.boundingBox())!.y);
  await expect(page.getByTestId("no-auto-rows")).toHaveText("No auto-reported license takes part in this month. Its usage is the manual rows above.");
  await expect(page.getByText("Auto-reported (0 licenses)")).toBeVisible();

  // Last month's rows this month lacks, copied with one click; each row shows its change against last month.
  const previous = await (await page.request.get(`/api/portal/usage/${previousPeriod(period)}`)).json();
  const lastVm = previous.manualRows.find((r: { workloadType: string }) => r.workloadType === "VBR_VM").count as number;
  const lastUsers = previous.manualRows.find((r: { workloadType: string }) => r.workloadType === "VB365_User").count as number;
  await page.getByRole("button", { name: "Copy last month's rows" }).click();
  await expect(page.getByText("Copied 1 row from last month. Check each count before you submit.")).toBeVisible();
  const usersRow = manual.getByRole("row").filter({ hasText: "Users" });
  await expect(usersRow).toContainText(lastUsers.toLocaleString("en-US"));
  await expect(usersRow).toContainText("same");
  const vmChange = 118 - lastVm;
  await expect(manual.getByRole("row").filter({ hasText: "118" })).toContainText(vmChange >= 0 ? `+${vmChange}` : `−${-vmChange}`);
  await expect(page.getByRole("button", { name: "Copy last month's rows" })).toHaveCount(0);

  // One row per product and workload type: a second one is refused, in the page and by the server.
  const form = page.getByRole("form", { name: "Add a manual row" });
  await form.getByLabel("Product").selectOption("VB365");
  await form.getByLabel("Workload type").selectOption("VB365_User");
  await form.getByLabel("Workloads").fill("5");
  await form.getByRole("button", { name: "Add row" }).click();
  await expect(form.getByText("This month already has a row for this workload type: remove it first to enter another count.")).toBeVisible();
  const twice = await page.request.post(`/api/portal/usage/${period}/rows`, { data: { productId: "VB365", workloadType: "VB365_User", count: 5 } });
  expect(twice.status()).toBe(422);
  expect((await twice.json()).detail).toContain("This month already has a row for Veeam Backup for Microsoft 365, Users");

  // A negative count gets the page's own message, not the browser's popup.
  await form.getByLabel("Product").selectOption("VBR_ENT");
  await form.getByLabel("Workload type").selectOption("VBR_Server_Agent");
  await form.getByLabel("Workloads").fill("-3");
  await form.getByRole("button", { name: "Add row" }).click();
  await expect(form.getByLabel("Workloads")).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator("[id$=-count-error]")).toBeVisible();
  expect(await form.getByLabel("Workloads").evaluate((el: HTMLInputElement) => el.form!.noValidate)).toBe(true);

  // At 1280 px every column, Remove included, is inside the table.
  await page.setViewportSize({ width: 1280, height: 900 });
  const table = await manual.boundingBox();
  const remove = await manual.getByRole("button", { name: /^Remove/ }).first().boundingBox();
  expect(remove!.x + remove!.width).toBeLessThanOrEqual(table!.x + table!.width);

  // A submitted month is read-only and says nothing about entering rows.
  await page.goto(`/usage/${previousPeriod(period)}`);
  await expect(page.getByTestId("no-auto-rows")).toHaveText("No auto-reported license takes part in this month.");
  await expect(page.getByText(/Enter your usage/)).toHaveCount(0);

  // The activity log says it in words, with links.
  await page.goto("/activity?category=usage");
  const copied = page.getByRole("row").filter({ hasText: "Last month's manual rows copied" }).first();
  await expect(copied).toContainText(`From: ${monthName(previousPeriod(period))}`);
  await expect(copied.getByRole("link", { name: `Usage of ${monthName(period)}` })).toHaveAttribute("href", `/usage/${period}`);
  const added = page.getByRole("row").filter({ hasText: "Manual usage row added" }).first();
  await expect(added).toContainText("Product: Veeam Backup & Replication Enterprise");
  await expect(page.getByText(/productId|workloadType/)).toHaveCount(0);
});

const previousPeriod = (p: string) => {
  const [y, m] = p.split("-").map(Number);
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
};
