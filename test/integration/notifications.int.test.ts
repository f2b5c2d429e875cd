// Notifications (issue 19): events once, the outbox, mail over SMTP, unsubscribe, webhooks
// (signature, retries, timeout, redirect, address check), and who may see what. Every receiver
// runs on 127.0.0.1 in this process.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/portal/notifications/route";
import { POST as readRoute } from "@/app/api/portal/notifications/read/route";
import { PUT as settingsRoute } from "@/app/api/portal/settings/notifications/route";
import { GET as endpointsRoute, POST as createEndpointRoute } from "@/app/api/portal/webhooks/route";
import { GET as deliveriesRoute } from "@/app/api/portal/webhooks/[endpointId]/deliveries/route";
import { POST as redeliverRoute } from "@/app/api/portal/webhooks/deliveries/[deliveryId]/redeliver/route";
import { POST as unsubscribeRoute } from "@/app/api/unsubscribe/route";
import { getDb } from "@/lib/db";
import { createdWebhookEndpointSchema, notificationPageSchema, notificationSettingsSchema, webhookDeliveryPageSchema, webhookEndpointListSchema } from "@/lib/schemas/notifications";
import { periodOf } from "@/lib/domain/dates";
import { eventKeys } from "@/lib/domain/notifications";
import { reportDueAt } from "@/lib/domain/reporting";
import { runJobsOnce } from "@/lib/server/jobs/runner";
import { submitReport } from "@/lib/server/monthly-reports/submit";
import { checkedLookup, postWebhook } from "@/lib/server/notifications/webhook-http";
import { changeCaseState, openCase, replyAsStaff } from "@/lib/server/support-cases";
import { takeDueJobs } from "@/lib/server/store/jobs";
import { call, DEMO, request } from "../helpers";
import { postReport, reportBody } from "../product";
import { bobContext, lastEnded, providerContext } from "../lifecycle";
import { smtpReceiver, webhookReceiver } from "../receivers";

// HTTP to 127.0.0.1 is allowed for webhooks only with the test clock on (and then nothing else is).
process.env.PULSE_TEST_CLOCK = "1";

const MIN = 60_000;
const period = lastEnded();
const dueAt = reportDueAt(period, 10);
/** Exactly 3 days before the deadline: the period becomes due. */
const T = new Date(dueAt.getTime() - 3 * 86_400_000);

const org = (name: string) => getDb().organization.findUniqueOrThrow({ where: { name }, select: { id: true } });
const user = (email: string) => getDb().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
const staffCtx = async (at: Date) => {
  const u = await getDb().user.findUniqueOrThrow({ where: { email: DEMO.sam } });
  return { actor: { type: "user" as const, userId: u.id, email: u.email, role: u.role, organizationId: null }, now: at };
};

/** Quoted-printable soft breaks and escapes undone, so links can be read from a raw mail. */
const decodeQp = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

async function createEndpoint(as: string, url: string, types: string[]) {
  const res = await call(createEndpointRoute, await request("POST", "/api/portal/webhooks", { as, body: { url, types } }));
  expect(res.status).toBe(201);
  createdWebhookEndpointSchema.parse(res.json);
  return res.json as { id: string; secret: string };
}

let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
beforeAll(async () => {
  smtp = await smtpReceiver();
  process.env.PULSE_SMTP_URL = smtp.url;
});
afterAll(async () => {
  delete process.env.PULSE_SMTP_URL;
  await smtp.close();
});

describe("events", () => {
  it("a period due in 3 days: nothing a millisecond before, then one event and one notification per user, with two runners racing and a restart", async () => {
    const acme = await org("Acme Cloud Services");
    const key = eventKeys.periodDue(acme.id, period);
    await runJobsOnce(new Date(T.getTime() - 1));
    expect(await getDb().event.count({ where: { key } })).toBe(0);
    await Promise.all([runJobsOnce(T), runJobsOnce(T)]);
    await runJobsOnce(new Date(T.getTime() + 3_600_000));
    const events = await getDb().event.findMany({ where: { key } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "usage.period_due", link: `/usage/${period}`, organizationId: acme.id });
    const notes = await getDb().notification.findMany({ where: { eventId: events[0].id }, select: { user: { select: { email: true } } } });
    expect(notes.map((n) => n.user.email).sort()).toEqual([DEMO.alice, DEMO.victor]);
    // Each got exactly one mail about it (received by the SMTP server).
    const about = smtp.mails.filter((m) => decodeQp(m.raw).includes(`/usage/${period}`) && /is due on/.test(decodeQp(m.raw)));
    expect(about.map((m) => m.to[0]).filter((to) => to.endsWith("acme.test")).sort()).toEqual([DEMO.alice, DEMO.victor]);
    // After the deadline: late, once.
    const late = new Date(dueAt.getTime() + 1000);
    await Promise.all([runJobsOnce(late), runJobsOnce(late)]);
    expect(await getDb().event.count({ where: { key: eventKeys.periodLate(acme.id, period) } })).toBe(1);
  });

  it("Submit Usage writes usage.submitted and license.extended in its transaction, once however many submissions race", async () => {
    const g = await org("Globex Hosting");
    const at = new Date(dueAt.getTime() - 5 * 86_400_000);
    const results = await Promise.allSettled([submitReport(await bobContext(at), period), submitReport(await bobContext(at), period)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await getDb().event.count({ where: { key: eventKeys.submitted(g.id, period) } })).toBe(1);
    const extensions = await getDb().licenseExtension.count({ where: { period, license: { organizationId: g.id } } });
    expect(extensions).toBeGreaterThan(0);
    expect(await getDb().event.count({ where: { type: "license.extended", organizationId: g.id, key: { endsWith: `:${period}` } } })).toBe(extensions);
    // Webhook-only kinds notify nobody.
    expect(await getDb().notification.count({ where: { type: { in: ["usage.submitted", "license.extended"] } } })).toBe(0);
  });

  it("case.updated: a staff answer and a resolution notify the organization's users; In progress only goes to webhooks", async () => {
    const acme = await org("Acme Cloud Services");
    const c = await openCase(await providerContext(DEMO.alice, new Date()), { type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 3, summary: "Events test", description: "" });
    await changeCaseState(await staffCtx(new Date()), c.number, "IN_PROGRESS");
    await replyAsStaff(await staffCtx(new Date()), c.number, "Looking into it.");
    await changeCaseState(await staffCtx(new Date()), c.number, "RESOLVED");
    const events = await getDb().event.findMany({ where: { type: "case.updated", organizationId: acme.id, link: `/support/${c.number}` }, orderBy: { createdAt: "asc" }, select: { title: true, _count: { select: { notifications: true } } } });
    expect(events.map((e) => [e.title, e._count.notifications])).toEqual([
      [`Case #${c.number} is In progress`, 0],
      [`Support answered case #${c.number}`, 2],
      [`Case #${c.number} is Resolved`, 2],
    ]);
  });

  it("time: a key expiring unnoticed, update checks failing, a server silent for 8 days", async () => {
    const g = await org("Globex Hosting");
    const lic = await getDb().license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00003" }, select: { id: true, expirationDate: true } });
    const at = new Date(Date.parse(`${lic.expirationDate}T23:59:59.999Z`) - 7 * 86_400_000);
    // No successful check since its current version: remove the ones the demo data has.
    await getDb().updateSession.deleteMany({ where: { licenseId: lic.id } });
    // A failing streak on another license: two GenerationFailed after a success.
    const failing = await getDb().license.findUniqueOrThrow({ where: { licenseId: "LIC-GLBX1-00002" }, select: { id: true, currentVersion: true } });
    const base = { organizationId: g.id, licenseId: failing.id, installationId: "vbr-fail-01", productVersion: "13.0.1", versionPresented: failing.currentVersion };
    const t0 = new Date(at.getTime() - 3 * 86_400_000);
    await getDb().updateSession.createMany({ data: [
      { ...base, result: "NotRequired", createdAt: t0 },
      { ...base, result: "GenerationFailed", createdAt: new Date(t0.getTime() + 86_400_000) },
      { ...base, result: "GenerationFailed", createdAt: new Date(t0.getTime() + 2 * 86_400_000) },
    ] });
    await getDb().license.update({ where: { id: failing.id }, data: { lastCheckResult: "GenerationFailed" } });
    const inst = await getDb().installation.findFirstOrThrow({ where: { organizationId: g.id, license: { autoReported: true, licenseId: "LIC-GLBX1-00001" } }, select: { id: true } });
    await getDb().installation.update({ where: { id: inst.id }, data: { lastSeenAt: new Date(at.getTime() - 8 * 86_400_000) } });
    // Its key still valid then (a silent server of an expired key is not news).
    await getDb().license.update({ where: { licenseId: "LIC-GLBX1-00001" }, data: { expirationDate: lic.expirationDate } });
    await runJobsOnce(at);
    await runJobsOnce(new Date(at.getTime() + MIN));
    const types = async (type: string) => (await getDb().event.findMany({ where: { organizationId: g.id, type }, select: { key: true } })).map((e) => e.key);
    expect(await types("license.expiring")).toContain(eventKeys.expiring(lic.id, lic.expirationDate));
    const failed = await types("update_check.failed");
    expect(failed).toContain(eventKeys.checkFailed(failing.id, "GenerationFailed", new Date(t0.getTime() + 86_400_000)));
    expect(failed.filter((k) => k === eventKeys.silent(inst.id, new Date(at.getTime() - 8 * 86_400_000)))).toHaveLength(1);
  });

  it("points above 90% of a contract's limit in the running month: once, not at 90% exactly", async () => {
    const g = await org("Globex Hosting");
    expect((await postReport(await reportBody("LIC-GLBX1-00001", { workloads: [{ type: "VBR_VM", count: 100 }] }))).status).toBe(201);
    const contract = await getDb().contract.findUniqueOrThrow({ where: { number: "03110042" }, select: { id: true } });
    const lines = await getDb().event.findMany({ where: { type: "usage.points_near_limit" } });
    expect(lines).toHaveLength(0);
    // What the running month's draft counts for this contract (LIC-GLBX1-00001's 100 VMs and whatever else was reported).
    const key = eventKeys.nearLimit(contract.id, periodOf(new Date()));
    for (const limit of [1_000_000, 1]) {
      await getDb().contract.update({ where: { id: contract.id }, data: { pointsLimit: limit } });
      await Promise.all([runJobsOnce(new Date()), runJobsOnce(new Date())]);
      expect(await getDb().event.count({ where: { key } })).toBe(limit === 1 ? 1 : 0);
    }
    expect((await getDb().event.findUniqueOrThrow({ where: { key } })).organizationId).toBe(g.id);
  });
});

describe("mail and unsubscribe", () => {
  it("the unsubscribe link works without a session and turns off that kind only", async () => {
    const acme = await org("Acme Cloud Services");
    const alice = await user(DEMO.alice);
    const c = await openCase(await providerContext(DEMO.alice, new Date()), { type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 3, summary: "Mail test", description: "" });
    await replyAsStaff(await staffCtx(new Date()), c.number, "First answer.");
    await runJobsOnce(new Date());
    const mine = () => smtp.mails.filter((m) => m.to.includes(DEMO.alice) && decodeQp(m.raw).includes(`/support/${c.number}`));
    expect(mine()).toHaveLength(1);
    const raw = decodeQp(mine()[0].raw);
    expect(raw).toMatch(/Subject: VCSP Pulse: Support answered case/);
    expect(raw).toContain("Content-Type: text/plain");
    expect(raw).toContain("Content-Type: text/html");
    expect(raw).toMatch(/List-Unsubscribe:\s*<http[^>]*\/api\/unsubscribe\?token=/);
    const token = decodeURIComponent(/\/unsubscribe\?token=([^\s"<>&]+)/.exec(raw)![1]);
    // A forged token is refused; the real one works without a session.
    expect((await call(unsubscribeRoute, await request("POST", `/api/unsubscribe?token=${encodeURIComponent(token.slice(0, -2) + "xx")}`))).status).toBe(404);
    const res = await call(unsubscribeRoute, await request("POST", `/api/unsubscribe?token=${encodeURIComponent(token)}`));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ unsubscribed: "case.updated" });
    expect(await getDb().notificationPreference.findMany({ where: { userId: alice.id }, select: { type: true, email: true } })).toEqual([{ type: "case.updated", email: false }]);
    // Another answer: victor is mailed, alice is not (but sees it in the app).
    const before = smtp.mails.length;
    await replyAsStaff(await staffCtx(new Date()), c.number, "Second answer.");
    await runJobsOnce(new Date());
    const fresh = smtp.mails.slice(before).filter((m) => decodeQp(m.raw).includes(`/support/${c.number}`));
    expect(fresh.map((m) => m.to[0])).toEqual([DEMO.victor]);
    expect(await getDb().notification.count({ where: { userId: alice.id, type: "case.updated", link: `/support/${c.number}` } })).toBe(2);
    // Another kind still mails her.
    await runJobsOnce(T);
    expect(smtp.mails.some((m) => m.to.includes(DEMO.alice) && decodeQp(m.raw).includes(`/usage/${period}`))).toBe(true);
    expect(acme.id).toBeTruthy();
  });

  it("a daily digest instead of single mails, at 00:00 UTC of the next day", async () => {
    const victor = await user(DEMO.victor);
    const put = await call(settingsRoute, await request("PUT", "/api/portal/settings/notifications", { as: DEMO.victor, body: { digest: true } }));
    expect(put.status).toBe(200);
    const c = await openCase(await providerContext(DEMO.alice, new Date()), { type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 3, summary: "Digest test", description: "" });
    const day = new Date();
    await replyAsStaff(await staffCtx(day), c.number, "One.");
    await replyAsStaff(await staffCtx(day), c.number, "Two.");
    const before = smtp.mails.length;
    await runJobsOnce(day);
    expect(smtp.mails.slice(before).filter((m) => m.to.includes(DEMO.victor))).toHaveLength(0);
    const tomorrow = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1));
    await runJobsOnce(tomorrow);
    const digests = smtp.mails.slice(before).filter((m) => m.to.includes(DEMO.victor));
    expect(digests).toHaveLength(1);
    expect(decodeQp(digests[0].raw)).toMatch(/Subject: VCSP Pulse: \d+ notifications of/);
    expect((decodeQp(digests[0].raw).match(new RegExp(`/support/${c.number}`, "g")) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(victor.id).toBeTruthy();
  });
});

describe("webhooks", () => {
  it("signed by the Standard Webhooks scheme (checked here independently), retried on the schedule with the same webhook-id, failed after the last attempt, redelivered by hand", async () => {
    let status = 500;
    const hook = await webhookReceiver(() => status);
    try {
      const { id: endpointId, secret } = await createEndpoint(DEMO.bob, `${hook.url}/pulse`, ["case.updated"]);
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
      // The secret is shown once: the list does not carry it.
      expect(JSON.stringify((await call(endpointsRoute, await request("GET", "/api/portal/webhooks", { as: DEMO.bob }))).json)).not.toContain(secret);
      const g = await org("Globex Hosting");
      const c = await openCase(await providerContext(DEMO.bob, T), { type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 3, summary: "Webhook test", description: "" });
      await replyAsStaff(await staffCtx(T), c.number, "An answer.");
      const event = async () => getDb().event.findFirstOrThrow({ where: { type: "case.updated", organizationId: g.id, link: `/support/${c.number}` } });
      const delivery = async () => getDb().webhookDelivery.findFirstOrThrow({ where: { endpointId } });
      // Delays after each failed attempt: 1 min, 5 min, 30 min, 2 h, 8 h, 24 h.
      let t = T;
      await runJobsOnce(t);
      const e = await event();
      expect(hook.received).toHaveLength(1);
      const first = hook.received[0];
      expect(first.headers["webhook-id"]).toBe(e.id);
      const body = JSON.parse(first.body);
      expect(body).toEqual({ id: e.id, type: "case.updated", createdAt: T.toISOString(), organizationId: g.id, data: { caseNumber: c.number, change: "answered" } });
      const ts = first.headers["webhook-timestamp"] as string;
      expect(Number(ts)).toBe(Math.floor(t.getTime() / 1000));
      const expected = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(`${e.id}.${ts}.${first.body}`).digest("base64");
      expect(first.headers["webhook-signature"]).toBe(`v1,${expected}`);
      for (const delay of [1, 5, 30, 120, 480, 1440]) {
        expect(await delivery()).toMatchObject({ status: "PENDING", lastStatusCode: 500, nextAttemptAt: new Date(t.getTime() + delay * MIN) });
        const n = hook.received.length;
        await runJobsOnce(new Date(t.getTime() + delay * MIN - 1000));
        expect(hook.received).toHaveLength(n);
        t = new Date(t.getTime() + delay * MIN);
        await runJobsOnce(t);
        expect(hook.received).toHaveLength(n + 1);
      }
      expect(await delivery()).toMatchObject({ status: "FAILED", attempts: 7, nextAttemptAt: null });
      await runJobsOnce(new Date(t.getTime() + 3 * 86_400_000));
      expect(hook.received).toHaveLength(7);
      expect(new Set(hook.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([e.id]));
      // The list shows it; Redeliver by hand, now answered 204.
      const list = await call(deliveriesRoute, await request("GET", `/api/portal/webhooks/${endpointId}/deliveries`, { as: DEMO.bob }), { endpointId });
      expect(list.json).toMatchObject({ total: 1, items: [{ status: "FAILED", attempts: 7, lastStatusCode: 500, eventType: "case.updated" }] });
      status = 204;
      const d = await delivery();
      const again = await call(redeliverRoute, await request("POST", `/api/portal/webhooks/deliveries/${d.id}/redeliver`, { as: DEMO.bob }), { deliveryId: d.id });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ status: "PENDING", attempts: 0 });
      await runJobsOnce(new Date(t.getTime() + 3 * 86_400_000 + MIN));
      expect(await delivery()).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 204 });
      expect(hook.received.at(-1)!.headers["webhook-id"]).toBe(e.id);
    } finally {
      await hook.close();
    }
  });

  it("the outbox survives a crash between taking and sending: the delivery is sent after the lease, at least once", async () => {
    const hook = await webhookReceiver(() => 200);
    try {
      const { id: endpointId } = await createEndpoint(DEMO.alice, `${hook.url}/crash`, ["case.updated"]);
      const c = await openCase(await providerContext(DEMO.alice, new Date()), { type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 3, summary: "Crash test", description: "" });
      const at = new Date();
      await replyAsStaff(await staffCtx(at), c.number, "Answer.");
      // A runner takes every due row and dies before sending.
      const taken = await takeDueJobs(at, 100, 5 * MIN);
      expect(taken.some((j) => j.kind === "webhook")).toBe(true);
      await runJobsOnce(new Date(at.getTime() + MIN));
      expect(hook.received).toHaveLength(0);
      await runJobsOnce(new Date(at.getTime() + 6 * MIN));
      expect(hook.received).toHaveLength(1);
      expect(await getDb().webhookDelivery.findFirstOrThrow({ where: { endpointId } })).toMatchObject({ status: "DELIVERED", attempts: 1 });
    } finally {
      await hook.close();
    }
  });

  it("a redirect and no answer within 10 s are failures (the redirect is not followed)", async () => {
    const hook = await webhookReceiver((r) => (r.path === "/redirect" ? { redirect: "/target" } : r.path === "/slow" ? "hang" : 200));
    try {
      const redirect = await createEndpoint(DEMO.alice, `${hook.url}/redirect`, ["case.updated"]);
      const slow = await createEndpoint(DEMO.alice, `${hook.url}/slow`, ["case.updated"]);
      const c = await openCase(await providerContext(DEMO.alice, new Date()), { type: "TECHNICAL", problemArea: "VEEAM_ONE", severity: 3, summary: "Timeout test", description: "" });
      const at = new Date();
      await replyAsStaff(await staffCtx(at), c.number, "Answer.");
      const started = Date.now();
      await runJobsOnce(at);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(9_900);
      expect(took).toBeLessThan(20_000);
      expect(hook.received.map((r) => r.path).sort()).toEqual(["/redirect", "/slow"]);
      const of = (endpointId: string) => getDb().webhookDelivery.findFirstOrThrow({ where: { endpointId } });
      expect(await of(redirect.id)).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 302, nextAttemptAt: new Date(at.getTime() + MIN) });
      expect(await of(slow.id)).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null, lastError: "No answer within 10 s" });
    } finally {
      await hook.close();
    }
  }, 60_000);

  it("the address check refuses private, link-local, loopback and outside addresses, also behind a name, before connecting", async () => {
    const production = { testMode: false, allowPrivate: false };
    const lookup = checkedLookup(production);
    const viaName = await new Promise<Error | null>((resolve) => lookup("localhost", { all: true }, (err) => resolve(err)));
    expect(viaName?.message).toMatch(/Refused: localhost resolves to/);
    for (const url of ["https://10.0.0.1/x", "https://169.254.169.254/latest", "https://[::1]/x", "https://192.168.0.10/x"]) {
      expect((await postWebhook(url, {}, "{}", { policy: production })).error, url).toMatch(/^Refused/);
    }
    // With the test clock on, an outside address is refused too (tests only ever call 127.0.0.1).
    expect((await postWebhook("http://8.8.8.8/x", {}, "{}", { policy: { testMode: true, allowPrivate: false } })).error).toMatch(/Only 127\.0\.0\.1/);
    // Registration refuses them as well.
    for (const url of ["https://10.0.0.1/x", "http://example.com/x", "ftp://example.com/x"]) {
      const res = await call(createEndpointRoute, await request("POST", "/api/portal/webhooks", { as: DEMO.alice, body: { url, types: ["case.updated"] } }));
      expect(res.status, url).toBe(422);
    }
  });
});

describe("who may see and change what", () => {
  it("notifications: 401 without a session; each user sees and marks only their own", async () => {
    expect((await call(listRoute, await request("GET", "/api/portal/notifications"))).status).toBe(401);
    const alice = await call(listRoute, await request("GET", "/api/portal/notifications?pageSize=5", { as: DEMO.alice }));
    expect(alice.status).toBe(200);
    notificationPageSchema.parse(alice.json);
    notificationSettingsSchema.parse((await call(settingsRoute, await request("PUT", "/api/portal/settings/notifications", { as: DEMO.alice, body: {} }))).json);
    const aliceId = (await user(DEMO.alice)).id;
    const items = alice.json.items as { id: string }[];
    expect(items.length).toBeGreaterThan(0);
    const owners = await getDb().notification.findMany({ where: { id: { in: items.map((i) => i.id) } }, select: { userId: true } });
    expect(new Set(owners.map((o) => o.userId))).toEqual(new Set([aliceId]));
    // Bob marking alice's notifications changes nothing; alice can.
    const other = await call(readRoute, await request("POST", "/api/portal/notifications/read", { as: DEMO.bob, body: { ids: items.map((i) => i.id) } }));
    expect(other.json).toMatchObject({ marked: 0 });
    const own = await call(readRoute, await request("POST", "/api/portal/notifications/read", { as: DEMO.alice, body: { ids: [items[0].id] } }));
    expect(own.json).toMatchObject({ marked: 1 });
    const all = await call(readRoute, await request("POST", "/api/portal/notifications/read", { as: DEMO.alice, body: { all: true } }));
    expect(all.json).toMatchObject({ unread: 0 });
    // Support staff have their own (organizations at risk).
    expect((await call(listRoute, await request("GET", "/api/portal/notifications", { as: DEMO.sam }))).status).toBe(200);
    expect((await call(readRoute, await request("POST", "/api/portal/notifications/read", { as: DEMO.alice, body: { all: true }, headers: { origin: "https://evil.example" } }))).status).toBe(403);
  });

  it("webhooks: another organization's endpoint and delivery are not found; a viewer reads but cannot create", async () => {
    const hook = await webhookReceiver(() => 200);
    try {
      const { id } = await createEndpoint(DEMO.alice, `${hook.url}/acl`, ["case.updated"]);
      expect((await call(deliveriesRoute, await request("GET", `/api/portal/webhooks/${id}/deliveries`, { as: DEMO.bob }), { endpointId: id })).status).toBe(404);
      const own = await call(deliveriesRoute, await request("GET", `/api/portal/webhooks/${id}/deliveries`, { as: DEMO.alice }), { endpointId: id });
      expect(own.status).toBe(200);
      webhookDeliveryPageSchema.parse(own.json);
      const anyDelivery = await getDb().webhookDelivery.findFirst({ where: { organizationId: (await org("Acme Cloud Services")).id } });
      if (anyDelivery) {
        expect((await call(redeliverRoute, await request("POST", "/x", { as: DEMO.bob }), { deliveryId: anyDelivery.id })).status).toBe(404);
        expect((await call(redeliverRoute, await request("POST", "/x", { as: DEMO.alice }), { deliveryId: anyDelivery.id })).status).toBe(200);
      }
      expect((await call(createEndpointRoute, await request("POST", "/api/portal/webhooks", { as: DEMO.victor, body: { url: `${hook.url}/v`, types: ["case.updated"] } }))).status).toBe(403);
      const viewerList = await call(endpointsRoute, await request("GET", "/api/portal/webhooks", { as: DEMO.victor }));
      expect(viewerList.status).toBe(200);
      webhookEndpointListSchema.parse(viewerList.json);
      expect((viewerList.json as unknown as { id: string }[]).map((e) => e.id)).toContain(id);
      expect((await call(endpointsRoute, await request("GET", "/api/portal/webhooks", { as: DEMO.bob }))).json).not.toContainEqual(expect.objectContaining({ id }));
    } finally {
      await hook.close();
    }
  });
});
