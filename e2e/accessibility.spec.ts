// Every page built so far passes an automated accessibility check with no serious or critical violations.
import { expect, test } from "@playwright/test";
import { expectAccessible, openCaseAs, signIn, USERS } from "./fixtures";

// Each test visits many pages with a full axe run on each: on a cold 2-core machine that can
// pass the default 60 s.
test.describe.configure({ timeout: 180_000 });

test("sign-in and the API reference", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
  await page.goto("/docs/api");
  await expectAccessible(page);
});

test("provider pages (Acme admin, without automatic reporting)", async ({ page, browser }) => {
  const number = await openCaseAs(browser, USERS.alice.email, "Accessibility check of a case page");
  await signIn(page, USERS.alice.email);
  for (const path of ["/overview", "/licenses", "/licenses/new", "/licenses/LIC-ACME1-00002", "/settings", "/usage", "/support", "/activity", "/activity?category=license", "/support/new?type=GENERAL_INQUIRY&problem=VCSP_PULSE&summary=x", `/support/${number}`]) {
    await page.goto(path);
    await expectAccessible(page);
  }
  // The Open a case form showing its errors.
  await page.goto("/support/new");
  await page.getByLabel("Brief summary").fill("x".repeat(201));
  await page.getByRole("button", { name: "Open case" }).click();
  await expect(page.getByText("At most 200 characters")).toBeVisible();
  await expectAccessible(page);
});

test("provider pages (Acme viewer, read-only)", async ({ page, browser }) => {
  const number = await openCaseAs(browser, USERS.alice.email, "Accessibility check as a viewer");
  await signIn(page, USERS.victor.email);
  for (const path of ["/support", "/support/new", `/support/${number}`, "/settings"]) {
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

test("Globex settings and activity (automatic reporting enabled)", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  for (const path of ["/settings", "/activity"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
});

test("staff pages", async ({ page, browser }) => {
  const number = await openCaseAs(browser, USERS.alice.email, "Accessibility check of the staff case page");
  await signIn(page, USERS.sam.email);
  for (const path of ["/staff/cases", "/staff/cases?state=OPEN&type=TECHNICAL", "/staff/organizations", `/staff/cases/${number}`]) {
    await page.goto(path);
    await expectAccessible(page);
  }
  // The confirmation dialog, opened and cancelled: Acme must keep lacking the feature here.
  await page.getByRole("button", { name: "Enable automatic license reporting" }).click();
  const dialog = page.getByRole("dialog", { name: /Enable automatic license reporting for Acme/ });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
});
