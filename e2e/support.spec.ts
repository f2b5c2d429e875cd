// Support cases in the browser, without changing any organization's automatic reporting (that
// is the story of support-story.spec.ts, which runs after these).
import { expect, test } from "@playwright/test";
import { openCaseAs, signIn, USERS } from "./fixtures";

test("Open a case validates as you type and on the server, then lands on the case; a comment joins the thread", async ({ page }) => {
  await signIn(page, USERS.alice.email);
  await page.goto("/support");
  await page.getByRole("link", { name: "Open a case" }).click();
  await expect(page.getByLabel("Severity")).toHaveValue("3");
  // Submitting the empty form names each missing field next to it.
  await page.getByRole("button", { name: "Open case" }).click();
  await expect(page.getByText("Choose a case type")).toHaveCount(2); // the placeholder option and the error
  await expect(page.getByText("Enter a brief summary")).toBeVisible();
  await expect(page.getByLabel("Brief summary")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Case type").selectOption("TECHNICAL");
  await page.getByLabel("I have problems with").selectOption("VEEAM_BACKUP_AND_REPLICATION");
  await page.getByLabel("Severity").selectOption("2");
  await page.getByLabel("Brief summary").fill("y".repeat(201));
  await expect(page.getByText("At most 200 characters")).toBeVisible();
  await page.getByLabel("Brief summary").fill("Backup job fails with a license error");
  await expect(page.getByText("At most 200 characters")).toHaveCount(0);
  await expect(page.getByText("163 of 200 characters left.")).toBeVisible();
  await page.getByLabel("Description").fill("Since yesterday the nightly job stops at 3 %.");
  await page.getByRole("button", { name: "Open case" }).click();

  await expect(page).toHaveURL(/\/support\/\d+$/);
  const number = page.url().split("/support/")[1];
  await expect(page.getByText(`Case ${number} opened`)).toBeVisible();
  await expect(page.getByRole("heading", { name: `Case #${number}` })).toBeVisible();
  await expect(page.getByTestId("case-state")).toHaveText("Open");
  await expect(page.getByText("Since yesterday the nightly job stops at 3 %.")).toBeVisible();

  await page.getByRole("button", { name: "Add comment" }).click();
  await expect(page.getByText("Write a comment")).toBeVisible();
  await page.getByLabel("Your comment").fill("It also happens on the second server.");
  await page.getByRole("button", { name: "Add comment" }).click();
  await expect(page.getByText("Comment added.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Comments, oldest first" })).toContainText("It also happens on the second server.");
  await expect(page.getByLabel("Your comment")).toHaveValue("");

  await page.goto("/support");
  await expect(page.getByTestId(`case-row-${number}`)).toContainText("Backup job fails with a license error");
  await expect(page.getByTestId(`case-row-${number}`)).toContainText("1 comment");
});

test("a viewer reads the cases but cannot open one or comment", async ({ page, browser }) => {
  const number = await openCaseAs(browser, USERS.alice.email, "Viewer can read this");
  await signIn(page, USERS.victor.email);
  await page.goto("/support");
  await expect(page.getByRole("link", { name: "Open a case" })).toHaveCount(0);
  await expect(page.getByTestId(`case-row-${number}`)).toBeVisible();
  await page.goto(`/support/${number}`);
  await expect(page.getByRole("heading", { name: `Case #${number}` })).toBeVisible();
  await expect(page.getByText("only an admin of your organization can comment")).toBeVisible();
  await expect(page.getByRole("button", { name: "Add comment" })).toHaveCount(0);
  await page.goto("/support/new");
  await expect(page.getByText("only an admin of your organization can open a support case")).toBeVisible();
  await expect(page.getByRole("button", { name: "Open case" })).toHaveCount(0);
});

test("another organization's case is not found", async ({ page, browser }) => {
  const number = await openCaseAs(browser, USERS.alice.email, "Globex must not see this");
  await signIn(page, USERS.bob.email);
  const res = await page.goto(`/support/${number}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("staff reply and resolve; the provider's comment on the resolved case reopens it", async ({ page, browser }) => {
  const number = await openCaseAs(browser, USERS.alice.email, "Reopen check");
  await signIn(page, USERS.sam.email);
  await page.goto("/staff/cases?type=TECHNICAL");
  await expect(page.getByTestId("open-count")).toContainText("open");
  await page.getByRole("link", { name: `#${number}` }).click();
  await page.getByLabel("Your reply").fill("Please try again now.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByText("Reply sent.")).toBeVisible();
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByText(`Case ${number} is resolved now.`)).toBeVisible();
  await expect(page.getByTestId("case-state")).toHaveText("Resolved");

  const provider = await browser.newContext();
  const alice = await provider.newPage();
  await signIn(alice, USERS.alice.email);
  await alice.goto(`/support/${number}`);
  await expect(alice.getByTestId("case-state")).toHaveText("Resolved");
  await expect(alice.getByText("Please try again now.")).toBeVisible();
  await expect(alice.getByText("commenting reopens it")).toBeVisible();
  await alice.getByLabel("Your comment").fill("Still failing.");
  await alice.getByRole("button", { name: "Add comment" }).click();
  await expect(alice.getByText(`case ${number} is open again`)).toBeVisible();
  await expect(alice.getByTestId("case-state")).toHaveText("Open");
  await provider.close();
});
