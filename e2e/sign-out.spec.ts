// Signing out ends the session everywhere: the cookie it had, replayed from anywhere, no longer
// works (the user's session version moved on). Runs last (playwright.config.ts): signing a demo
// user out ends every session of theirs, including other specs'.
import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./fixtures";

test("sign-out ends the session, and a copy of its cookie no longer works anywhere", async ({ page, browser }) => {
  await signIn(page, USERS.victor.email);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");

  // A second browser holding a copy of the cookie works before the sign-out.
  const copy = await browser.newContext();
  await copy.addCookies([session!]);
  const other = await copy.newPage();
  expect((await other.request.get("/api/portal/licenses")).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/login/);

  // The copy is refused too: 401 from the API, back to sign-in on a page.
  expect((await other.request.get("/api/portal/licenses")).status()).toBe(401);
  await other.goto("/overview");
  await expect(other).toHaveURL(/\/login/);
  await copy.close();

  // Signing in again works.
  await signIn(page, USERS.victor.email);
  await expect(page).toHaveURL(/\/overview/);
});
