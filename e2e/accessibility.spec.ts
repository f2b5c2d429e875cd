// Every page built so far passes an automated accessibility check with no serious or critical violations.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./fixtures";

async function expectAccessible(page: Page) {
  await page.waitForLoadState("networkidle");
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

test("sign-in and the API reference", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
  await page.goto("/docs/api");
  await expectAccessible(page);
});

test("provider pages (Acme admin, without automatic reporting)", async ({ page }) => {
  await signIn(page, USERS.alice.email);
  for (const path of ["/overview", "/licenses", "/licenses/new", "/licenses/LIC-ACME1-00002", "/settings", "/usage", "/support", "/activity", "/support/new?type=GENERAL_INQUIRY&problem=VCSP_PULSE&summary=x"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
});

test("provider pages (Globex admin, with automatic reporting) and the wizard's steps", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  await page.goto("/licenses/LIC-GLBX1-00001");
  await expectAccessible(page);
  await page.goto("/licenses/new");
  await page.getByLabel("Product").selectOption("VB365");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("heading", { name: "Workloads" })).toBeVisible();
  await expectAccessible(page);
});

test("Monthly Usages: a period's report with the adjust form open, the current month, a submitted month", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  const now = new Date();
  const period = (months: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1)).toISOString().slice(0, 7);
  await page.goto(`/usage/${period(-1)}`);
  await page.getByRole("button", { name: /^Adjust the count of Virtual machines of LIC-GLBX1-00001/ }).click();
  await page.getByLabel(/^Count of Virtual machines of LIC-GLBX1-00001/).fill("1");
  await expect(page.getByLabel("Reason for the lower count")).toBeVisible();
  await expectAccessible(page);
  for (const path of [`/usage/${period(0)}`, `/usage/${period(-2)}`, "/usage"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
});

test("staff pages", async ({ page }) => {
  await signIn(page, USERS.sam.email);
  for (const path of ["/staff/cases", "/staff/organizations"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
});
