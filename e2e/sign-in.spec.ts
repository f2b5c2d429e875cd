import { expect, test } from "@playwright/test";
import { PASSWORD, PROVIDER_NAV, signIn, STAFF_NAV, USERS } from "./fixtures";

for (const [who, user] of Object.entries(USERS)) {
  test(`${who} signs in and sees the navigation of their role`, async ({ page }) => {
    await signIn(page, user.email);
    const staff = who === "sam";
    await expect(page).toHaveURL(staff ? /\/staff\/cases$/ : /\/overview$/);
    await expect(page.getByTestId("shell-context")).toHaveText(user.org);
    const nav = page.getByRole("navigation", { name: "Main" }).first();
    await expect(nav.getByRole("link")).toHaveText(staff ? STAFF_NAV : PROVIDER_NAV);
    await expect(page.getByText(user.email)).toBeVisible();
  });
}

test("a wrong password shows a clear error and stays on sign-in", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USERS.alice.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login/);
});

test("the form validates as you type", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Email").blur();
  await expect(page.getByText("Enter an email address, like name@example.com")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("repeated failures for one email are slowed down with a clear message", async ({ page }) => {
  test.setTimeout(120_000);
  const email = "someone-else@acme.test";
  // The limit counts failures per calendar minute (fixed windows): start early in a minute, so
  // that the six attempts (17 s on a slow machine) never straddle two.
  const serverNow = Date.parse((await (await page.request.get("/api/test/clock")).json()).now);
  const intoMinute = serverNow % 60_000;
  if (intoMinute > 30_000) await page.waitForTimeout(60_000 - intoMinute + 500);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  const attempt = async (password: string) => {
    await page.getByLabel("Password").fill(password);
    const answered = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await answered;
  };
  for (let i = 0; i < 5; i++) {
    await attempt(`wrong-${i}`);
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  }
  await attempt(PASSWORD);
  await expect(page.locator("form").getByRole("alert")).toContainText("Too many failed sign-ins for this email. Wait");
});

test("signed out, a portal URL redirects to sign-in and back after signing in", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel("Email").fill(USERS.bob.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByText("Automatic license reporting is on")).toBeVisible();
});

test("providers get 404 on staff pages and support staff get 404 on provider pages", async ({ browser }) => {
  const provider = await browser.newPage();
  await signIn(provider, USERS.alice.email);
  const staffPage = await provider.goto("/staff/organizations");
  expect(staffPage?.status()).toBe(404);
  await expect(provider.getByRole("heading", { name: "Page not found" })).toBeVisible();

  const staff = await browser.newPage();
  await signIn(staff, USERS.sam.email);
  const providerPage = await staff.goto("/overview");
  expect(providerPage?.status()).toBe(404);
  await expect(staff.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("support staff see every organization with its contracts", async ({ page }) => {
  await signIn(page, USERS.sam.email);
  await page.getByRole("navigation", { name: "Main" }).first().getByRole("link", { name: "Organizations" }).click();
  await expect(page.getByRole("heading", { name: "Acme Cloud Services" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Globex Hosting" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "04000001" })).toBeVisible();
  await expect(page.getByText("Terminated", { exact: true })).toBeVisible();
});

test("on a 390 px screen the menu opens and navigates", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, USERS.victor.email);
  await page.getByText("Menu").click();
  await page.getByRole("link", { name: "Settings" }).last().click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByText("Continue submitting license usage manually until automatic license reporting is enabled.")).toBeVisible();
});
