// The whole story of issue 6: Acme asks for automatic license reporting through a support case,
// support staff enable it and resolve the case, and Acme uses it. It gives Acme the feature,
// which other specs assume it lacks: playwright.config.ts runs it in a project of its own,
// after the "chromium" project and before "clock".
import { expect, test } from "@playwright/test";
import { addDays, addMonths, expectAccessible, serverToday, shown, signIn, USERS } from "./fixtures";

test("Acme requests automatic license reporting, support enables it, Acme auto-reports keys", async ({ browser }) => {
  test.setTimeout(120_000);
  const acme = await browser.newContext();
  const alice = await acme.newPage();
  await signIn(alice, USERS.alice.email);
  const today = await serverToday(alice);

  // 1. The toggle is disabled on Manage Licenses; its link opens the case, already filled in.
  await alice.goto("/licenses");
  const toggle = alice.getByRole("switch", { name: "Auto Reported License for LIC-ACME1-00001" });
  await expect(toggle).toBeDisabled();
  await alice.getByRole("link", { name: "Request automatic license reporting" }).click();
  await expect(alice.getByRole("heading", { name: "Open a case" })).toBeVisible();
  await expect(alice.getByLabel("Case type")).toHaveValue("GENERAL_INQUIRY");
  await expect(alice.getByLabel("I have problems with")).toHaveValue("VCSP_PULSE");
  await expect(alice.getByLabel("Severity")).toHaveValue("3");
  await expect(alice.getByLabel("Brief summary")).toHaveValue("Please enable automatic license reporting");
  await alice.getByRole("button", { name: "Open case" }).click();
  await expect(alice).toHaveURL(/\/support\/\d+$/);
  const number = Number(alice.url().split("/support/")[1]);
  await expect(alice.getByTestId("case-state")).toHaveText("Open");

  // While the case is open, Settings and Manage Licenses name it instead of offering a second request.
  await alice.goto("/settings");
  await expect(alice.getByTestId("auto-reporting-requested")).toHaveText(`Requested in case #${number}; support enables it there.`);
  await expect(alice.getByRole("link", { name: "Request automatic license reporting" })).toHaveCount(0);
  await alice.getByRole("link", { name: `case #${number}` }).click();
  await expect(alice).toHaveURL(new RegExp(`/support/${number}$`));
  await alice.goto("/licenses");
  await expect(alice.getByTestId("auto-reporting-requested")).toBeVisible();

  // 2. Support staff open it from the queue, enable the feature (confirming) and resolve the case.
  const support = await browser.newContext();
  const sam = await support.newPage();
  await signIn(sam, USERS.sam.email);
  await sam.goto("/staff/cases?problemArea=VCSP_PULSE");
  const row = sam.getByTestId(`case-row-${number}`);
  await expect(row).toContainText("Acme Cloud Services");
  await expect(row).toContainText("Please enable automatic license reporting");
  await row.getByRole("link", { name: `#${number}` }).click();
  await expect(sam.getByRole("heading", { name: `Case #${number}` })).toBeVisible();
  await expect(sam.getByText("Automatic license reporting is off")).toBeVisible();
  await sam.getByRole("button", { name: "Enable automatic license reporting" }).click();
  const dialog = sam.getByRole("dialog", { name: "Enable automatic license reporting for Acme Cloud Services?" });
  await expect(dialog).toContainText("notice on their next page view");
  await dialog.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(sam.getByText("Automatic license reporting enabled for Acme Cloud Services. The case records it.")).toBeVisible();
  await expect(sam.getByText("Automatic license reporting is on")).toBeVisible();
  await expect(sam.getByRole("list", { name: "Comments, oldest first" })).toContainText("Automatic license reporting enabled for Acme Cloud Services.");
  await expect(sam.getByRole("button", { name: "Disable" })).toBeVisible();
  await sam.getByRole("button", { name: "Resolve" }).click();
  await expect(sam.getByTestId("case-state")).toHaveText("Resolved");
  await support.close();

  // 3. Acme sees the case resolved and the notice on the next page view.
  await alice.goto(`/support/${number}`);
  await expect(alice.getByTestId("case-state")).toHaveText("Resolved");
  await expect(alice.getByText("Automatic license reporting enabled for Acme Cloud Services.")).toBeVisible();
  const notice = alice.getByRole("status", { name: "Notice" }).filter({ hasText: "Automatic license reporting is now enabled for your organization" });
  await expect(notice).toBeVisible();
  await expectAccessible(alice);

  // Settings say since when and by whom.
  await alice.goto("/settings");
  await expect(alice.getByText("Automatic license reporting is on")).toBeVisible();
  await expect(alice.getByText(/Enabled .* by Sam Support\./)).toBeVisible();

  // 4. The toggle is enabled now; turning it on brings the expiration to at most 75 days out.
  await alice.goto("/licenses");
  await expect(notice).toBeVisible();
  await notice.getByRole("button", { name: "Dismiss notice" }).click();
  await expect(notice).toBeHidden();
  await alice.reload();
  await expect(alice.getByRole("switch", { name: "Auto Reported License for LIC-ACME1-00001" })).toBeVisible();
  await expect(notice).toHaveCount(0);
  await expect(alice.getByText("Auto Reported License is unavailable")).toHaveCount(0);
  const row1 = alice.getByTestId("license-row-LIC-ACME1-00001");
  await expect(toggle).toBeEnabled();
  await expect(toggle).not.toBeChecked();
  // Turning it on would shorten the key from six months to 75 days: the portal asks first, naming
  // both dates, and Cancel (or Escape) changes nothing.
  const from = addMonths(today, 6);
  const to = addDays(today, 75);
  await toggle.click();
  const confirm = alice.getByRole("dialog", { name: "Turn on Auto Reported License for LIC-ACME1-00001?" });
  await expect(confirm.getByTestId("shortening")).toHaveText(`Expiration changes from ${shown(from)} to ${shown(to)}. Turning it off later does not restore it.`);
  await expectAccessible(alice);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(toggle).not.toBeChecked();
  await expect(row1.getByText(shown(from))).toBeVisible();
  // A Space press while tabbing opens the same question; Escape leaves the key alone.
  await toggle.focus();
  await alice.keyboard.press("Space");
  await expect(confirm).toBeVisible();
  await alice.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await confirm.getByRole("button", { name: "Turn on and change the date" }).click();
  await expect(alice.getByText(`LIC-ACME1-00001 is auto-reported now; it expires ${shown(to)}. A new key version was issued.`)).toBeVisible();
  await expect(toggle).toBeChecked();
  await expect(row1.getByText(shown(to))).toBeVisible();
  // Off and on again moves nothing now, so nothing is asked.
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(confirm).toBeHidden();
  await expect(row1.getByText(shown(to))).toBeVisible();

  // 5. A new key under the no-commit contract is auto-reported and expires 75 days out.
  // The toggle's toast sits over the page's top-right action; a click that hovers it pauses it
  // for good, so let it go first.
  await expect(alice.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });
  await alice.getByRole("link", { name: "New License Key" }).click();
  const auto = alice.getByRole("switch", { name: "Automatic reporting" });
  await expect(auto).toBeChecked();
  await expect(alice.getByLabel("Expiration date")).toHaveValue(addDays(today, 75));
  await alice.getByLabel("Product").selectOption("VB365");
  await alice.getByLabel("Description").fill("Story: first auto-reported key");
  await alice.getByRole("button", { name: "Next" }).click();
  await alice.getByLabel("Workload type 1", { exact: true }).selectOption("VB365_User");
  await alice.getByLabel("Count", { exact: true }).fill("25");
  await alice.getByRole("button", { name: "Next" }).click();
  await expect(alice.getByTestId("summary-expiration")).toHaveText(shown(addDays(today, 75)));
  await alice.getByRole("button", { name: "Finish" }).click();
  await expect(alice).toHaveURL(/\/licenses\/LIC-/);
  await expect(alice.getByRole("switch", { name: /Auto Reported License for/ })).toBeChecked();
  const licenseId = decodeURIComponent(alice.url().split("/licenses/")[1]);
  await alice.goto(`/licenses?query=${licenseId}`);
  await expect(alice.getByTestId(`license-row-${licenseId}`).getByRole("cell", { name: /in 75 days/ })).toBeVisible();

  // The activity log shows the change, newest first.
  await alice.goto("/activity?category=organization");
  await expect(alice.getByRole("cell", { name: "Automatic license reporting enabled" })).toBeVisible();
  await expect(alice.getByRole("cell", { name: "sam@support.test", exact: true })).toBeVisible();
  await acme.close();
});
