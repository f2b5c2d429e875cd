// Notifications (issue 19), in the browser: runs after the clock spec (playwright.config.ts), since
// it moves the server's clock. A provider turns one mail kind off, registers a webhook to a
// receiver on 127.0.0.1, sees the bell count rise when a period becomes due, opens the
// notification and lands on the report; the other user is mailed, she is not; the delivery is
// shown and redelivered with the same webhook-id.
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible, signIn, USERS } from "./fixtures";

test.describe.configure({ mode: "serial", timeout: 180_000 });

const shiftPeriod = (p: string, months: number) => {
  const [y, m] = p.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 7);
};
// Months no other spec touches: P ends, and on the 8th of the month after it is due in 3 days (due day 10).
const M = shiftPeriod(new Date().toISOString().slice(0, 7), 8);
const P = shiftPeriod(M, -1);

/** The mails the server wrote to its outbox (no PULSE_SMTP_URL in the tests): recipient and subject. */
function outbox(): { to: string; subject: string; raw: string }[] {
  const dir = path.join(".e2e-data", "outbox");
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files.map((f) => {
    const raw = readFileSync(path.join(dir, f), "utf8").replace(/=\r?\n/g, "");
    const header = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
    return { to: /^To: (.*)$/m.exec(header)?.[1] ?? "", subject: /^Subject: (.*)$/m.exec(header)?.[1] ?? "", raw };
  });
}

test.afterAll(async ({ request }) => {
  await request.delete("/api/test/clock");
});

test("bell, notifications page, a mail kind turned off, a webhook delivered and redelivered", async ({ page, request, browser }) => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pulse`;
  try {
    await request.put("/api/test/clock", { data: { now: `${M}-07T12:00:00Z` } });
    await signIn(page, USERS.alice.email);

    // Settings > Notifications: no more mails about reports coming due.
    await page.goto("/settings");
    await page.getByRole("link", { name: "Settings > Notifications" }).click();
    const dueSwitch = page.getByRole("switch", { name: "Email: A monthly usage report due in 3 days" });
    await expect(dueSwitch).toHaveAttribute("aria-checked", "true");
    await dueSwitch.click();
    await expect(page.getByText(/No more emails about: A monthly usage report due in 3 days/)).toBeVisible();
    await expect(dueSwitch).toHaveAttribute("aria-checked", "false");
    await expectAccessible(page);

    // Settings > Webhooks: an endpoint on a local receiver; the secret is shown once.
    await page.goto("/settings/webhooks");
    await page.getByLabel("Endpoint URL").fill("http://example.com/x");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("Only HTTPS URLs are allowed.").first()).toBeVisible();
    await page.getByLabel("Endpoint URL").fill(hookUrl);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await expectAccessible(page);

    // The evening before P is due in 3 days: the bell's count now.
    await page.goto("/overview");
    const bell = page.getByTestId("notification-bell");
    await expect(bell).toHaveAttribute("aria-label", /Notifications, /);
    const countOf = async () => Number(/(\d+) unread/.exec((await bell.getAttribute("aria-label")) ?? "")?.[1] ?? 0);
    const before = await countOf();
    expect((await request.put("/api/test/clock", { data: { now: `${M}-08T00:00:05Z` } })).status()).toBe(200);
    await page.reload();
    await expect.poll(countOf).toBeGreaterThan(before);

    // Open the notification: it lands on the report.
    await bell.click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expectAccessible(page);
    const item = page.getByRole("link", { name: `Unread: The usage report for ${P} is due on ${M}-10` });
    await item.click();
    await expect(page).toHaveURL(new RegExp(`/usage/${P}$`));
    await page.goto("/notifications");
    await expect(page.getByRole("link", { name: `The usage report for ${P} is due on ${M}-10`, exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect(page.getByText("No unread notifications.")).toBeVisible();
    await expect(bell).toHaveAttribute("aria-label", "Notifications, none unread");

    // Mail: victor got the one about P, alice (who turned that kind off) did not.
    const aboutP = () => outbox().filter((m) => m.to.endsWith("@acme.test") && m.subject.includes(`The usage report for ${P} is due on`));
    await expect.poll(() => aboutP().map((m) => m.to).sort()).toEqual([USERS.victor.email]);
    expect(aboutP()[0].raw).toMatch(new RegExp(`/usage/${P}`));

    // The webhook: delivered, signed with the secret; Redeliver sends it again with the same webhook-id.
    const isP = (r: (typeof received)[number]) => r.body.includes(`"type":"usage.period_due"`) && r.body.includes(`"period":"${P}"`);
    await expect.poll(() => received.filter(isP).length).toBe(1);
    const first = received.find(isP)!;
    const id = first.headers["webhook-id"] as string;
    const ts = first.headers["webhook-timestamp"] as string;
    const mac = createHmac("sha256", Buffer.from(secret.slice(6), "base64")).update(`${id}.${ts}.${first.body}`).digest("base64");
    expect(first.headers["webhook-signature"]).toBe(`v1,${mac}`);
    await page.goto("/settings/webhooks");
    const row = page.getByTestId("webhook-delivery").filter({ hasText: `The usage report for ${P} is due` });
    await expect(row.getByText("Delivered")).toBeVisible();
    await expect(row.getByRole("cell", { name: "200" })).toBeVisible();
    await row.getByRole("button", { name: /^Redeliver/ }).click();
    await expect(page.getByText(/Redelivery of usage.period_due queued/)).toBeVisible();
    await expect.poll(() => received.filter(isP).length, { timeout: 20_000 }).toBe(2);
    expect(received.filter(isP).map((r) => r.headers["webhook-id"])).toEqual([id, id]);
    await expect(row.getByText("Delivered")).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: "test-results/settings-webhooks.png", fullPage: true });

    // The unsubscribe page works without a session (a link that is not valid says so).
    const context = await browser.newContext();
    const anonymous = await context.newPage();
    await anonymous.goto("/unsubscribe?token=not-a-token");
    await expect(anonymous.getByText("This unsubscribe link is not valid.")).toBeVisible();
    await expectAccessible(anonymous);
    await context.close();
  } finally {
    receiver.close();
  }
});

test("support staff have a bell and notifications too", async ({ page }) => {
  await signIn(page, USERS.sam.email);
  await page.getByTestId("notification-bell").click();
  await expect(page).toHaveURL(/\/staff\/notifications$/);
  await expect(page.getByRole("heading", { name: "Notifications" })).toBeVisible();
  await expectAccessible(page);
});
