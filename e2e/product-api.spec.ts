// A product server's view: a key downloaded from the portal, used by a plain HTTP client.
import { expect, test } from "@playwright/test";
import { compactVerify, createLocalJWKSet } from "jose";
import { signIn, USERS } from "./fixtures";

test("a downloaded key gets NotRequired; after the provider toggles Auto Reported License it gets Success and a newer key that verifies", async ({ page, playwright, baseURL }) => {
  await signIn(page, USERS.bob.email);
  const keyFile = await (await page.request.get("/api/portal/licenses/LIC-GLBX1-00002/key")).text();
  const licenseKey = keyFile.trim();

  // A plain HTTP client: no cookies, no browser.
  const product = await playwright.request.newContext({ baseURL });
  const check = () => product.post("/api/v1/license/update", { data: { licenseKey, installationId: "vbr-e2e-product-01", productVersion: "13.0.1.1071" } });
  const first = await check();
  expect(first.status()).toBe(200);
  expect(await first.json()).toMatchObject({ result: "NotRequired", message: "Your existing license key is up to date" });

  await page.goto("/licenses/LIC-GLBX1-00002");
  await page.getByRole("switch", { name: "Auto Reported License for LIC-GLBX1-00002" }).click();
  await expect(page.getByText("is no longer auto-reported")).toBeVisible();

  const second = await check();
  const answer = await second.json();
  expect(answer).toMatchObject({ result: "Success", message: "New license key has been received" });
  const jwks = await (await product.get("/.well-known/jwks.json")).json();
  const { payload } = await compactVerify(answer.licenseKey, createLocalJWKSet(jwks));
  const claims = JSON.parse(new TextDecoder().decode(payload));
  const presented = JSON.parse(Buffer.from(licenseKey.split(".")[1], "base64url").toString());
  expect(claims.sub).toBe("LIC-GLBX1-00002");
  expect(claims.ver).toBeGreaterThan(presented.ver);
  expect(claims.lic.autoReported).toBe(false);

  // The license page shows the installation and both update sessions.
  await page.reload();
  await expect(page.getByRole("cell", { name: "vbr-e2e-product-01" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "Success" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "NotRequired" })).toBeVisible();
  await product.dispose();
});

test("a product reports usage and a retry is a duplicate", async ({ page, playwright, baseURL }) => {
  await signIn(page, USERS.bob.email);
  const licenseKey = (await (await page.request.get("/api/portal/licenses/LIC-GLBX1-00003/key")).text()).trim();
  const product = await playwright.request.newContext({ baseURL });
  const now = await (await product.get("/api/test/clock")).json();
  const body = {
    licenseKey,
    installationId: "vb365-e2e-01",
    reportId: `e2e-${Date.now()}`,
    kind: "weekly",
    period: now.now.slice(0, 7),
    collectedAt: new Date(Date.parse(now.now) - 60_000).toISOString(),
    workloads: [{ type: "VB365_User", count: 510, newCount: 8 }],
  };
  const first = await product.post("/api/v1/usage/reports", { data: body });
  expect(first.status()).toBe(201);
  const retry = await product.post("/api/v1/usage/reports", { data: body });
  expect(retry.status()).toBe(200);
  expect((await retry.json()).receivedAt).toBe((await first.json()).receivedAt);
  await page.goto("/licenses/LIC-GLBX1-00003");
  await expect(page.getByRole("cell", { name: "VB365_User: 510" })).toBeVisible();
  await product.dispose();
});

test("the API reference page renders the OpenAPI document", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: /VCSP Pulse API/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "POST /api/v1/license/update" })).toBeVisible();
  await expect(page.getByText("GenerationFailed (Retry-After: 86400)")).toBeVisible();
  const doc = await (await page.request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
});
