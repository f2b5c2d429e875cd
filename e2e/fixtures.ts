import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import { formatDate } from "../components/ui/format";

export const PASSWORD = "pulse-demo-1";

export const USERS = {
  alice: { email: "alice@acme.test", org: "Acme Cloud Services" },
  victor: { email: "victor@acme.test", org: "Acme Cloud Services" },
  bob: { email: "bob@globex.test", org: "Globex Hosting" },
  sam: { email: "sam@support.test", org: "Vendor support" },
} as const;

export const PROVIDER_NAV = ["Overview", "Manage Licenses", "Monthly Usages", "Support", "Settings", "Activity"];
export const STAFF_NAV = ["Cases", "Organizations"];

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The server's "today" (UTC), which the test clock may have moved. */
export async function serverToday(page: Page): Promise<string> {
  const res = await page.request.get("/api/test/clock");
  return ((await res.json()).now as string).slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The same day `months` later, clamped to the month's last day (2027-01-31 + 1 = 2027-02-28), as the portal extends keys. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/** A calendar date as the portal shows it in an en-US browser ("Jun 3, 2027"): the one formatter. */
export function shown(date: string): string {
  return formatDate(date, "en-US");
}

/** An automated accessibility check of the page as it is: no serious or critical violations. */
export async function expectAccessible(page: Page) {
  await page.waitForLoadState("networkidle");
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** Opens a support case as `email` (signed in in a context of its own) and returns its number. */
export async function openCaseAs(browser: Browser, email: string, summary: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, email);
    const res = await page.request.post("/api/portal/cases", { data: { type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 2, summary, description: "Opened by an end-to-end test." } });
    expect(res.status()).toBe(201);
    return (await res.json()).number as number;
  } finally {
    await context.close();
  }
}
