// Issue 21: every page answers "is my report due, are my keys safe?", and no action fails
// silently. Failures are simulated in the browser (page.route), so that nothing here changes the
// shared demo data that other specs read; the toggle's confirmation is in support-story.spec.ts
// (it needs Acme with automatic reporting) and the manual-report rows in usage.spec.ts.
import { expect, test, type Page } from "@playwright/test";
import { addDays, addMonths, expectAccessible, serverToday, shown, signIn, USERS } from "./fixtures";

const lastEnded = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};
const monthName = (p: string) => new Date(`${p}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

async function toLicenseInfo(page: Page) {
  await page.goto("/licenses/new");
  await expect(page.getByRole("heading", { name: "License Info" })).toBeVisible();
  await page.getByLabel("Product").selectOption("VBR_ENT");
}

test.describe("the New License Key wizard validates each step on its own", () => {
  test("License Info refuses an empty or past date at once, whatever the Workloads step holds", async ({ page }) => {
    await signIn(page, USERS.alice.email);
    const today = await serverToday(page);
    await toLicenseInfo(page);
    const date = page.getByLabel("Expiration date");
    // The hint speaks the one date format, not ISO beside a locale date field.
    await expect(page.locator("#expiration-hint")).toHaveText(`From ${shown(addDays(today, 1))} to ${shown(addMonths(today, 12))}.`);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "License Info" })).toBeVisible();
    await expect(page.getByText("Choose an expiration date")).toBeVisible();
    await expect(date).toHaveAttribute("aria-invalid", "true");

    await date.fill(addDays(today, -1));
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "License Info" })).toBeVisible();
    await expect(date).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);

    await date.fill(addDays(today, 30));
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "Workloads" })).toBeVisible();
  });

  test("a date the server refuses at Finish takes the provider back to License Info, with the message at the field", async ({ page }) => {
    await signIn(page, USERS.alice.email);
    const today = await serverToday(page);
    await toLicenseInfo(page);
    await page.getByLabel("Expiration date").fill(addDays(today, 30));
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Workload type 1", { exact: true }).selectOption("VBR_VM");
    await page.getByLabel("Count", { exact: true }).fill("3");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "Summary" })).toBeVisible();
    // The day turns while the provider reads the Summary: the server refuses the date.
    const message = "The expiration date must be after today.";
    await page.route("**/api/portal/licenses", (route) =>
      route.request().method() === "POST"
        ? route.fulfill({ status: 422, contentType: "application/problem+json", body: JSON.stringify({ title: "Unprocessable", status: 422, detail: `The new license: ${message}`, errors: [{ path: "expirationDate", message }] }) })
        : route.fallback(),
    );
    await page.getByRole("button", { name: "Finish" }).click();
    await expect(page.getByRole("heading", { name: "License Info" })).toBeVisible();
    await expect(page.getByLabel("Expiration date")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#expiration-error")).toHaveText(message);
  });
});

test.describe("failures say what did and did not happen, and offer a retry", () => {
  test("a failed Submit Usage keeps its confirmation open, says whether the month was submitted, and tries again", async ({ page }) => {
    const period = lastEnded();
    await signIn(page, USERS.alice.email);
    await page.goto(`/usage/${period}`);
    let attempts = 0;
    await page.route(`**/api/portal/usage/${period}/submit`, (route) => {
      attempts++;
      // First no answer at all, then a server error: neither reaches the database.
      return attempts === 1 ? route.abort("connectionfailed") : route.fulfill({ status: 500, contentType: "text/html", body: "<h1>Bad gateway</h1>" });
    });
    await page.getByRole("button", { name: "Submit Usage" }).click();
    const dialog = page.getByRole("dialog", { name: `Confirm to Submit: ${monthName(period)}` });
    await dialog.getByRole("button", { name: "Confirm to Submit" }).click();
    await expect(dialog.getByRole("alert")).toHaveText(
      `The portal could not be reached (no connection, or it did not answer). We cannot tell whether ${monthName(period)} was submitted; this page shows it as soon as the portal answers. Trying again is safe: a month is never submitted twice.`,
    );
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Try again" }).click();
    await expect(dialog.getByRole("alert")).toHaveText(`The portal had a problem (error 500). ${monthName(period)} was not submitted and nothing was changed.`);
    expect(attempts).toBe(2);
    await expect(page.getByText("Failed to fetch")).toHaveCount(0);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("button", { name: "Submit Usage" })).toBeVisible();
  });

  test("a license list that fails to load says so and loads on Try again", async ({ page }) => {
    await signIn(page, USERS.bob.email);
    let fail = true;
    await page.route("**/api/portal/licenses?*", (route) => (fail ? route.abort("connectionfailed") : route.fallback()));
    await page.goto("/licenses");
    const alert = page.getByRole("alert").filter({ hasText: "The licenses could not be shown" });
    await expect(alert).toHaveText(
      "The portal could not be reached (no connection, or it did not answer). The licenses could not be shown; nothing was changed.",
    );
    fail = false;
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByTestId("license-row-LIC-GLBX1-00001")).toBeVisible();
    await expect(alert).toHaveCount(0);
  });

  test("a failed toggle says in plain words that the key did not change, with a retry", async ({ page }) => {
    await signIn(page, USERS.bob.email);
    await page.goto("/licenses?query=LIC-GLBX1-00001");
    const toggle = page.getByRole("switch", { name: "Auto Reported License for LIC-GLBX1-00001" });
    await expect(toggle).toBeChecked();
    await page.route("**/api/portal/licenses/LIC-GLBX1-00001", (route) =>
      route.request().method() === "PATCH" ? route.fulfill({ status: 502, contentType: "text/html", body: "<html>upstream</html>" }) : route.fallback(),
    );
    await toggle.click();
    const toast = page.locator("[data-sonner-toast]").filter({ hasText: "LIC-GLBX1-00001 was not changed" });
    await expect(toast).toContainText("The portal had a problem (error 502). LIC-GLBX1-00001 was not changed: it is still auto-reported.");
    await expect(toast.getByRole("button", { name: "Try again" })).toBeVisible();
    await expect(toggle).toBeChecked();
    await expect(page.getByText("upstream")).toHaveCount(0);
  });
});

test("Manage Licenses keeps every filter: a product chosen while the search waits survives the search", async ({ page }) => {
  await signIn(page, USERS.alice.email);
  await page.goto("/licenses");
  await expect(page.getByTestId("license-row-LIC-ACME1-00001")).toBeVisible();
  await page.getByLabel("Search").fill("ACME1");
  await page.getByLabel("Product").selectOption("VB365"); // within the search's 300 ms pause
  await expect(page).toHaveURL(/query=ACME1/);
  await expect(page).toHaveURL(/product=VB365/);
  await expect(page.getByLabel("Product")).toHaveValue("VB365");
  await expect(page.getByTestId("license-row-LIC-ACME1-00002")).toBeVisible();
  await expect(page.getByTestId("license-row-LIC-ACME1-00001")).toHaveCount(0);
  // And the other way round: a state chosen, then a new search.
  await page.getByLabel("State").selectOption("ACTIVE");
  await page.getByLabel("Search").fill("Microsoft");
  await expect(page).toHaveURL(/query=Microsoft/);
  await expect(page).toHaveURL(/state=ACTIVE/);
  await expect(page).toHaveURL(/product=VB365/);
});

test("the Overview's health strip counts expired, expiring and uncollected keys and the months due, each linking to its list", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  await page.goto("/overview");
  const strip = page.getByRole("navigation", { name: "Health" });
  const expired = strip.getByRole("link", { name: /Expired keys/ });
  await expect(expired).toContainText("1");
  await expect(strip.getByRole("link", { name: /Months due/ })).toHaveAttribute("href", "/usage");
  await expect(strip.getByRole("link", { name: /Expiring within 7 days/ })).toHaveAttribute("href", "/licenses?state=EXPIRING");
  const waiting = strip.getByRole("link", { name: /New keys not collected/ });
  const count = Number((await waiting.locator("span").first().textContent())!.replace(/,/g, ""));
  expect(count).toBeGreaterThanOrEqual(1);
  await expectAccessible(page);

  await expired.click();
  await expect(page).toHaveURL(/\/licenses\?state=EXPIRED$/);
  await expect(page.getByTestId("license-row-LIC-GLBX1-VOL01")).toBeVisible();
  await expect(page.locator("[data-testid^=license-row-]")).toHaveCount(1);

  await page.goto("/overview");
  await page.getByRole("navigation", { name: "Health" }).getByRole("link", { name: /New keys not collected/ }).click();
  await expect(page).toHaveURL(/\/licenses\?collected=no$/);
  const rows = page.locator("[data-testid^=license-row-]");
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) await expect(row).toContainText("New key not collected");

  // The default view opens on live keys: the expired one comes last, not first.
  await page.goto("/licenses");
  await expect(rows.first()).not.toContainText("Expired");
  await expect(rows.last()).toHaveAttribute("data-testid", "license-row-LIC-GLBX1-VOL01");
});

test("a viewer sees what he can do: View report, Ask an admin, and a Read-only badge", async ({ page }) => {
  await signIn(page, USERS.victor.email);
  await expect(page.getByTestId("read-only-badge")).toHaveText("Read-only");
  await page.goto("/overview");
  const due = page.locator("section").filter({ has: page.getByRole("heading", { name: "Usage report due" }) });
  await expect(due.getByRole("link", { name: "View report" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Review and submit/ })).toHaveCount(0);
  await page.goto("/usage");
  await expect(page.getByRole("link", { name: `View report ${monthName(lastEnded())}` })).toBeVisible();
  await expect(page.getByRole("link", { name: /Review and submit/ })).toHaveCount(0);
  await page.goto("/licenses");
  await expect(page.getByRole("link", { name: "Request automatic license reporting" })).toHaveCount(0);
  await expect(page.getByText("Ask an administrator of your organization to request it from support.")).toBeVisible();
  await expect(page.getByRole("link", { name: "New License Key" })).toHaveCount(0);
  await page.goto("/settings");
  await expect(page.getByRole("link", { name: "Request automatic license reporting" })).toHaveCount(0);
  await expectAccessible(page);

  // An admin has no such badge.
  await page.context().clearCookies();
  await signIn(page, USERS.alice.email);
  await expect(page.getByTestId("read-only-badge")).toHaveCount(0);
});

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("pages fit the screen, license rows stack with every column visible, and the menu closes on navigation", async ({ page }) => {
    await signIn(page, USERS.bob.email);
    for (const path of ["/overview", "/usage", `/usage/${lastEnded()}`, "/activity", "/support", "/licenses"]) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    const row = page.getByTestId("license-row-LIC-GLBX1-00001");
    for (const cell of [row.getByRole("switch"), row.getByText("Active"), row.getByText(/in \d+ days/)]) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await expectAccessible(page);

    await page.getByText("Menu", { exact: true }).click();
    const menu = page.getByRole("navigation", { name: "Main" });
    await menu.getByRole("link", { name: "Monthly Usages" }).click();
    await expect(page).toHaveURL(/\/usage$/);
    await expect(menu).toBeHidden();
    await expectAccessible(page);
  });
});

test.describe("dates name their zone", () => {
  test.use({ timezoneId: "America/New_York", locale: "en-US" });

  test("a deadline shows the viewer's time with its zone and UTC beside it; chart months are words", async ({ page }) => {
    await signIn(page, USERS.bob.email);
    await page.goto("/overview");
    const due = page.locator("section").filter({ has: page.getByRole("heading", { name: "Usage report due" }) });
    await expect(due).toContainText(/due \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T \(\w{3} \d{1,2}, \d{4}, \d{2}:\d{2} UTC\)/);
    await page.goto("/usage");
    await expect(page.locator(".recharts-cartesian-axis-tick-value").first()).toHaveText(/^[A-Z][a-z]{2} \d{4}$/);
  });
});

test("while a page loads, the menu says so and the list keeps its rows, dimmed", async ({ page }) => {
  await signIn(page, USERS.bob.email);
  await page.goto("/licenses");
  await expect(page.getByTestId("license-row-LIC-GLBX1-00001")).toBeVisible();
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/api/portal/licenses?*state=EXPIRED*", async (route) => {
    await held;
    await route.fallback();
  });
  await page.getByLabel("State").selectOption("EXPIRED");
  const body = page.locator("tbody[aria-busy=true]");
  await expect(body).toHaveClass(/opacity-50/);
  await expect(page.getByTestId("license-row-LIC-GLBX1-00001")).toBeVisible();
  release();
  await expect(page.getByTestId("license-row-LIC-GLBX1-00001")).toHaveCount(0);
  await expect(page.getByTestId("license-row-LIC-GLBX1-VOL01")).toBeVisible();

  // A page behind the menu that is slow to come: its menu entry shows progress meanwhile.
  let releaseNav: () => void = () => {};
  const heldNav = new Promise<void>((r) => (releaseNav = r));
  await page.route(/\/activity(\?.*)?$/, async (route) => {
    await heldNav;
    await route.fallback();
  });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" }).click();
  await expect(page.getByTestId("nav-pending")).toBeVisible();
  releaseNav();
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
});
