// Settings > API tokens as an admin uses it, and the token as a script uses it.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { expectAccessible, signIn, USERS } from "./fixtures";

test("create a token, call the license list with it as a script, revoke it, see it refused", async ({ page, baseURL }) => {
  await signIn(page, USERS.bob.email);
  await page.goto("/settings");
  await page.getByRole("link", { name: "Manage API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
  await expectAccessible(page);

  const name = `E2E billing ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Access").selectOption("read");
  await page.getByLabel("Expires after (days)").fill("30");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText(`Token "${name}" created. Copy it now`)).toBeVisible();
  const token = await page.getByLabel("The new token").inputValue();
  expect(token).toMatch(/^pulse_pat_[A-Za-z0-9_-]{43}$/);
  await expectAccessible(page);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Read only");
  await expect(row).toContainText("Never");

  // A script: no cookie, only the token.
  const script = await playwrightRequest.newContext({ baseURL });
  try {
    const list = await script.get("/api/portal/licenses?pageSize=5", { headers: { Authorization: `Bearer ${token}` } });
    expect(list.status()).toBe(200);
    const body = await list.json();
    expect(body.items[0].licenseId).toMatch(/^LIC-GLBX/);
    const patch = await script.patch(`/api/portal/licenses/${body.items[0].licenseId}`, { headers: { Authorization: `Bearer ${token}` }, data: { autoReported: true } });
    expect(patch.status()).toBe(403);

    // Once hidden, the token is not shown again; the list shows its last use.
    await page.getByRole("button", { name: "I have copied it; hide it" }).click();
    await page.reload();
    await expect(page.getByText(token)).toHaveCount(0);
    await expect(row).not.toContainText("Never");

    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke token "${name}"?` });
    await expect(dialog).toContainText("refused (401)");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Revoked");

    const refused = await script.get("/api/portal/licenses", { headers: { Authorization: `Bearer ${token}` } });
    expect(refused.status()).toBe(401);
    expect(refused.headers()["content-type"]).toBe("application/problem+json");
  } finally {
    await script.dispose();
  }
});

test("a viewer sees the tokens but cannot create or revoke them; the portal API reference is accessible", async ({ page }) => {
  await signIn(page, USERS.victor.email);
  await page.goto("/settings/api-tokens");
  await expect(page.getByText("Only an admin of your organization can create or revoke API tokens.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto("/docs/api/portal");
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await expect(page.getByText("an API token (Authorization: Bearer pulse_pat_...)").first()).toBeVisible();
  await expectAccessible(page);
});
