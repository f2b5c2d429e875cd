// Companies (issue 20): create a company, assign two of Globex's keys to it, filter Manage
// Licenses by it, and see the month's report and its CSV broken down per company. The company is
// this test's own; LIC-GLBX1-00002 and -00003 only change company (no other spec asserts one).
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectAccessible, signIn, USERS } from "./fixtures";

const lastEnded = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

async function assign(page: import("@playwright/test").Page, licenseId: string, company: string, usageType: string) {
  await page.goto(`/licenses/${licenseId}`);
  const form = page.getByRole("form", { name: `Company of ${licenseId}` });
  await form.getByLabel("Company").selectOption({ label: company });
  await form.getByLabel("Usage type").selectOption({ label: usageType });
  await form.getByRole("button", { name: "Save company" }).click();
  await expect(page.getByText(`${licenseId} is assigned to ${company} (${usageType}).`)).toBeVisible();
}

test("a company with two keys: Manage Licenses filters by it, the report and its CSV break usage down per company", async ({ page }) => {
  const name = `E2E Customer ${Math.random().toString(36).slice(2, 7)}`;
  await signIn(page, USERS.bob.email);

  await page.goto("/settings");
  await page.getByRole("link", { name: "Manage companies" }).click();
  await expect(page.getByRole("heading", { name: "Companies", level: 1 })).toBeVisible();
  await expect(page.getByTestId("company-Northwind Traders")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("External ID (optional)").fill(`EXT-${name}`);
  await page.getByRole("button", { name: "Add company" }).click();
  await expect(page.getByText(`Company "${name}" created.`)).toBeVisible();
  await expect(page.getByTestId(`company-${name}`)).toContainText("Active");

  await assign(page, "LIC-GLBX1-00003", name, "Single customer");
  await assign(page, "LIC-GLBX1-00002", name, "Multi-customer");
  await page.reload(); // without the toast, which fades in and out
  await expect(page.getByRole("form", { name: "Company of LIC-GLBX1-00002" }).getByLabel("Company")).toHaveValue(/.+/);
  await expectAccessible(page);

  await page.goto("/licenses");
  await page.getByLabel("Company").selectOption({ label: name });
  await expect(page).toHaveURL(/company=/);
  await expect(page.getByTestId("license-row-LIC-GLBX1-00002")).toBeVisible();
  await expect(page.getByTestId("license-row-LIC-GLBX1-00003")).toBeVisible();
  await expect(page.getByTestId("license-row-LIC-GLBX1-00001")).toHaveCount(0);
  await expect(page.getByTestId("license-row-LIC-GLBX1-00002").getByRole("cell").filter({ hasText: name })).toContainText("Multi-customer");

  // The company's licenses count on Settings > Companies, and archiving it is refused while it has them.
  await page.goto("/settings/companies");
  await expect(page.getByTestId(`company-${name}`)).toContainText("2");
  await expectAccessible(page);
  await page.getByRole("button", { name: `Archive ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Archive company" }).click();
  await expect(page.getByRole("dialog")).toContainText("still has 2 licenses");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  const period = lastEnded();
  await page.goto(`/usage/${period}`);
  const table = page.getByRole("table", { name: "Usage per company" });
  await expect(table.getByTestId(`company-usage-${name}`)).toBeVisible();
  await expect(table.getByTestId("company-usage-Northwind Traders")).toBeVisible();
  await expectAccessible(page);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("period,license_id,product,workload_type,reported_count,count,points,source,adjustment_reason,company,usage_type");
  expect(lines.filter((l) => l.includes(",LIC-GLBX1-00002,")).every((l) => l.endsWith(`,${name},MULTI_CUSTOMER`))).toBe(true);
  expect(lines.some((l) => l.includes(",LIC-GLBX1-00002,"))).toBe(true);
  expect(lines.filter((l) => l.includes(",LIC-GLBX1-00001,")).every((l) => l.endsWith(",Northwind Traders,MULTI_CUSTOMER"))).toBe(true);
});
