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
});
