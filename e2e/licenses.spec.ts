import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { compactVerify, createLocalJWKSet } from "jose";
import { addDays, serverToday, shown, signIn, USERS } from "./fixtures";

test("Globex creates a NO_COMMIT key with the wizard and sees it auto-reported, expiring 75 days out", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  const today = await serverToday(page);
  const expected = addDays(today, 75);
  await page.goto("/licenses");
  await page.getByRole("link", { name: "New License Key" }).click();
  await expect(page.getByRole("heading", { name: "License Info" })).toBeVisible();

  await expect(page.getByLabel("Contract")).toHaveValue("03110042");
  const toggle = page.getByRole("switch", { name: "Automatic reporting" });
  await expect(toggle).toBeChecked();
  await expect(toggle).toBeDisabled();
  await expect(page.getByText("Licenses under a no-commit contract are always auto-reported.")).toBeVisible();
  await expect(page.getByLabel("Expiration date")).toBeDisabled();
  await expect(page.getByLabel("Expiration date")).toHaveValue(expected);

  // Validation as you type: Next without a product names the field.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Choose a product", { exact: true }).last()).toBeVisible();
  await page.getByLabel("Product").selectOption("VBR_ENT");
  await page.getByLabel("Description").fill("E2E wizard key");
  await page.getByRole("button", { name: "Next" }).click();

  await expect(page.getByRole("heading", { name: "Workloads" })).toBeVisible();
  await page.getByLabel("Workload type 1", { exact: true }).selectOption("VBR_VM");
  await page.getByLabel("Count", { exact: true }).fill("abc");
  await expect(page.getByText("Enter a number of workloads")).toBeVisible();
  await page.getByLabel("Count", { exact: true }).fill("10");
  await expect(page.getByTestId("wizard-points")).toHaveText("50");
  await page.getByRole("button", { name: "Next" }).click();

  await expect(page.getByRole("heading", { name: "Summary" })).toBeVisible();
  await expect(page.getByTestId("summary-expiration")).toHaveText(shown(expected));
  await expect(page.getByTestId("summary-points")).toHaveText("50");
  await page.getByRole("button", { name: "Finish" }).click();

  await expect(page).toHaveURL(/\/licenses\/LIC-/);
  await expect(page.getByText(/License LIC-.* created/)).toBeVisible();
  await expect(page.getByRole("switch", { name: /Auto Reported License for/ })).toBeChecked();
  const licenseId = decodeURIComponent(page.url().split("/licenses/")[1]);

  await page.goto(`/licenses?query=${licenseId}`);
  const row = page.getByTestId(`license-row-${licenseId}`);
  await expect(row.getByRole("switch")).toBeChecked();
  await expect(row.getByRole("cell", { name: /in 75 days/ })).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();
});

test("Acme sees the toggle disabled, why, and the link that requests the feature", async ({ page }) => {
  await signIn(page, USERS.alice.email);
  await page.goto("/licenses");
  const row = page.getByTestId("license-row-LIC-ACME1-00001");
  const toggle = row.getByRole("switch", { name: "Auto Reported License for LIC-ACME1-00001" });
  await expect(toggle).toBeDisabled();
  await expect(toggle).not.toBeChecked();
  await expect(page.getByText("automatic license reporting is not enabled for your organization")).toBeVisible();
  const link = page.getByRole("link", { name: "Request automatic license reporting" });
  await expect(link).toHaveAttribute("href", "/support/new?type=GENERAL_INQUIRY&problem=VCSP_PULSE&summary=Please%20enable%20automatic%20license%20reporting");
  await link.click();
  await expect(page.getByRole("heading", { name: "Open a case" })).toBeVisible();
  await expect(page.getByLabel("Case type")).toHaveValue("GENERAL_INQUIRY");
  await expect(page.getByLabel("I have problems with")).toHaveValue("VCSP_PULSE");
  await expect(page.getByLabel("Brief summary")).toHaveValue("Please enable automatic license reporting");
});

test("a key file downloads from the license page and verifies against /.well-known/jwks.json", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  await page.goto("/licenses/LIC-GLBX1-00002");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download v1" }).click()]);
  expect(download.suggestedFilename()).toBe("LIC-GLBX1-00002.lic");
  const file = readFileSync(await download.path(), "utf8");
  expect(file.endsWith("\n")).toBe(true);
  const jwks = await (await page.request.get("/.well-known/jwks.json")).json();
  const { payload, protectedHeader } = await compactVerify(file.trim(), createLocalJWKSet(jwks));
  expect(protectedHeader).toMatchObject({ alg: "EdDSA", typ: "pulse-license+jwt" });
  const claims = JSON.parse(new TextDecoder().decode(payload));
  expect(claims).toMatchObject({ sub: "LIC-GLBX1-00002", ver: 1, lic: { supportId: "03110042", autoReported: true } });
  expect(claims).not.toHaveProperty("exp");
});

test("switching auto-reporting off and on issues key versions and says so", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  const today = await serverToday(page);
  await page.goto("/licenses/LIC-GLBX1-00003");
  const versionsBefore = await page.getByRole("link", { name: /^Download v/ }).count();
  const toggle = page.getByRole("switch", { name: "Auto Reported License for LIC-GLBX1-00003" });
  await toggle.click();
  await expect(page.getByText("is no longer auto-reported")).toBeVisible();
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await expect(page.getByText("is auto-reported now")).toBeVisible();
  await expect(toggle).toBeChecked();
  await expect(page.getByRole("link", { name: /^Download v/ })).toHaveCount(versionsBefore + 2);
  const expiration = await page.getByRole("row", { name: /current/ }).getByRole("cell").nth(3).textContent();
  expect(Date.parse(expiration!)).toBeLessThanOrEqual(Date.parse(`${addDays(today, 75)}T23:59:59Z`));
});

test("a viewer sees the licenses but cannot toggle, create or revoke", async ({ page }) => {
  await signIn(page, USERS.victor.email);
  await page.goto("/licenses");
  await expect(page.getByTestId("license-row-LIC-ACME1-00002")).toBeVisible();
  await expect(page.getByRole("link", { name: "New License Key" })).toHaveCount(0);
  await expect(page.getByRole("switch").first()).toBeDisabled();
  await page.goto("/licenses/LIC-ACME1-00002");
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  // Key files are product credentials: the viewer sees the versions, downloads none.
  await expect(page.getByText("Administrators only").first()).toBeVisible();
  await expect(page.getByRole("link", { name: /^Download v/ })).toHaveCount(0);
  expect((await page.request.get("/api/portal/licenses/LIC-ACME1-00002/key")).status()).toBe(403);
});

test("revoking asks for confirmation, says what happens, and revokes", async ({ page }) => {
  await signIn(page, USERS.alice.email);
  await page.goto("/licenses/LIC-ACME1-NFR01");
  await page.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke LIC-ACME1-NFR01?" });
  await expect(dialog).toContainText("stop working at once");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Revoke license" }).click();
  await expect(page.getByText("License LIC-ACME1-NFR01 is revoked.")).toBeVisible();
  await expect(page.locator("dd").getByText("Revoked", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);
});
