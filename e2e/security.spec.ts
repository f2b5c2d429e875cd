// The Content-Security-Policy with per-request nonces lets every page of the portal run as it
// should: no page raises a CSP violation (nor logs one), client navigation works, and a script
// injected without the nonce does not run. Reads only; never moves the test clock.
import { expect, test, type Page } from "@playwright/test";
import { openCaseAs, serverToday, signIn, USERS } from "./fixtures";

declare global {
  interface Window {
    __cspViolations?: string[];
    __injected?: number;
  }
}

/** Records every securitypolicyviolation event and every console message about the CSP. */
async function watchCsp(page: Page): Promise<string[]> {
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) console.push(`${page.url()}: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations!.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return console;
}

async function visit(page: Page, path: string, consoleErrors: string[]) {
  const res = await page.goto(path);
  expect(res, path).not.toBeNull();
  const csp = res!.headers()["content-security-policy"];
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp, path).toContain("frame-ancestors 'none'");
  await page.waitForLoadState("networkidle");
  expect(await page.evaluate(() => window.__cspViolations ?? null), path).toEqual([]);
  expect(consoleErrors, path).toEqual([]);
}

test.describe.configure({ timeout: 180_000 });

test("sign-in and the public docs raise no CSP violation, and each answer has its own nonce", async ({ page }) => {
  const errors = await watchCsp(page);
  for (const path of ["/login", "/docs/api", "/docs/api/portal", "/no-such-page-anywhere"]) await visit(page, path, errors);
  const nonce = async () => /'nonce-([^']+)'/.exec((await page.request.get("/login")).headers()["content-security-policy"])![1];
  expect(await nonce()).not.toBe(await nonce());
  // Signing in runs the sign-in form's script: the nonce lets it run.
  await signIn(page, USERS.alice.email);
  expect(await page.evaluate(() => window.__cspViolations ?? null)).toEqual([]);
});

test("provider pages raise no CSP violation, and the client side works under the CSP", async ({ page }) => {
  const errors = await watchCsp(page);
  await signIn(page, USERS.alice.email);
  const today = await serverToday(page);
  const [y, m] = today.split("-").map(Number);
  const previous = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
  for (const path of ["/overview", "/licenses", "/licenses/LIC-ACME1-00002", "/licenses/new", "/usage", `/usage/${previous}`, "/support", "/support/new", "/settings", "/activity", "/notifications"]) {
    await visit(page, path, errors);
  }
  // A client-side navigation (React is running).
  await page.getByRole("navigation", { name: "Main" }).first().getByRole("link", { name: "Manage Licenses" }).click();
  await expect(page).toHaveURL(/\/licenses$/);
  expect(await page.evaluate(() => window.__cspViolations ?? null)).toEqual([]);
});

test("staff pages raise no CSP violation", async ({ page, browser }) => {
  const number = await openCaseAs(browser, USERS.alice.email, "A case for the CSP check");
  const errors = await watchCsp(page);
  await signIn(page, USERS.sam.email);
  for (const path of ["/staff/cases", "/staff/organizations", `/staff/cases/${number}`]) await visit(page, path, errors);
});

test("markup injected into a page cannot run script: an inline event handler is refused and reported", async ({ page }) => {
  await watchCsp(page);
  await page.goto("/login");
  await page.waitForLoadState("networkidle");
  // The classic injection: markup with an inline handler (no nonce can cover an attribute).
  await page.evaluate(() => {
    const div = document.createElement("div");
    div.innerHTML = '<img src="/no-such-image.png" onerror="window.__injected = 1">';
    document.body.appendChild(div);
  });
  await expect.poll(() => page.evaluate(() => (window.__cspViolations ?? []).filter((v) => v.startsWith("script-src")).length)).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.__injected ?? null)).toBeNull();
});
