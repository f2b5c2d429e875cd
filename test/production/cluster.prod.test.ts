// Two production instances on one PostgreSQL behind nginx (scripts/cluster-lib.ts, the shape of
// `npm run cluster:start`) behave as one. Included in the production project only when
// DATABASE_URL_PG is set and nginx is installed (vitest.config.mts; .ci/run has both).
// Every request goes over HTTP, through nginx (round robin, X-Upstream says which instance
// answered) or straight to an instance.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, stopCluster, type Cluster } from "../../scripts/cluster-lib";
import { smtpReceiver, webhookReceiver } from "../receivers";
import { freePort } from "./server";

const PASSWORD = "pulse-demo-1";
const RATE_PER_LICENSE = 40;
const WEBHOOK_TYPES = ["license.extended", "license.expiring", "usage.period_due", "usage.period_late", "usage.submitted", "update_check.failed", "case.updated"];

let cluster: Cluster;
let db: Client;
let runDir: string;
let dropDatabase: () => Promise<void> = async () => {};
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let hooks: Awaited<ReturnType<typeof webhookReceiver>>;

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: process.env.DATABASE_URL_PG });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const name = `pulse_cluster_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  dropDatabase = () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  const url = new URL(process.env.DATABASE_URL_PG!);
  url.pathname = `/${name}`;
  smtp = await smtpReceiver();
  hooks = await webhookReceiver(() => 200);
  runDir = mkdtempSync(path.join(os.tmpdir(), "pulse-cluster-test-"));
  const port = await freePort();
  const instancePorts = [await freePort(), await freePort()];
  cluster = await startCluster({
    runDir,
    port,
    instancePorts,
    databaseUrl: url.toString(),
    env: {
      PULSE_TEST_CLOCK: "1",
      PULSE_RATE_LIMIT_PER_LICENSE: String(RATE_PER_LICENSE),
      // Both runners look for due work often, so that they race each other.
      PULSE_JOB_INTERVAL_MS: "250",
      PULSE_SMTP_URL: smtp.url,
      PULSE_DEMO_DATA: "1",
    },
    log: () => {},
  });
  db = new Client({ connectionString: url.toString() });
  await db.connect();
});

afterAll(async () => {
  await db?.end().catch(() => {});
  if (runDir) await stopCluster(runDir, () => {});
  await dropDatabase();
  await smtp?.close();
  await hooks?.close();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
});

const A = () => cluster.instances[0].url;
const B = () => cluster.instances[1].url;

/** Which instance answered: X-Upstream through nginx, else the instance asked. */
function answeredBy(base: string, res: Response): string {
  if (base === cluster.url) return `127.0.0.1:${res.headers.get("x-upstream")?.split(":").pop()}`;
  return base.replace("http://", "");
}

type SignInAnswer = { kind: "ok"; cookie: string } | { kind: "wrong" } | { kind: "refused"; error: string };

/** Signs in over HTTP as the sign-in form does (next-auth's CSRF token and credentials callback). */
async function signIn(base: string, email: string, password = PASSWORD, csrfBase = base): Promise<SignInAnswer> {
  const csrfRes = await fetch(`${csrfBase}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: cluster.url },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${cluster.url}/` }).toString(),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("next-auth.session-token=") && c.length > "next-auth.session-token=".length);
  if (session) return { kind: "ok", cookie: session };
  const target = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  const error = new URL(target, cluster.url).searchParams.get("error") ?? `status ${res.status}`;
  return error === "CredentialsSignin" ? { kind: "wrong" } : { kind: "refused", error };
}

async function session(email: string): Promise<string> {
  const answer = await signIn(cluster.url, email);
  if (answer.kind !== "ok") throw new Error(`sign-in of ${email} failed: ${JSON.stringify(answer)}`);
  return answer.cookie;
}

async function serverNow(base: string): Promise<Date> {
  const res = await fetch(`${base}/api/test/clock`);
  expect(res.status).toBe(200);
  return new Date(((await res.json()) as { now: string }).now);
}

/** A time as Prisma stores it on PostgreSQL (timestamp without time zone, in UTC). */
const utc = (d: Date) => d.toISOString().replace("Z", "");
const periodOf = (d: Date) => d.toISOString().slice(0, 7);
function previousPeriod(d: Date): string {
  return periodOf(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)));
}

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  return (await db.query(sql, params)).rows[0] as T;
}
async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number(Object.values((await db.query(sql, params)).rows[0])[0]);
}

async function newestKey(licenseId: string): Promise<string> {
  const row = await one<{ jws: string }>(
    `SELECT kv."jws" FROM "KeyVersion" kv JOIN "License" l ON l."id" = kv."licenseId" WHERE l."licenseId" = $1 ORDER BY kv."version" DESC LIMIT 1`,
    [licenseId],
  );
  return row.jws;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, explain?: () => Promise<unknown>): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Waited ${timeoutMs} ms for ${what}${explain ? `: ${JSON.stringify(await explain(), null, 1)}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("two instances behind nginx on one PostgreSQL", () => {
  it("nginx spreads requests over both instances, which share the session secret", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${cluster.url}/api/health`);
      expect(res.status).toBe(200);
      seen.add(answeredBy(cluster.url, res));
    }
    expect([...seen].sort()).toEqual(cluster.instances.map((i) => `127.0.0.1:${i.port}`).sort());
    // The CSRF token of one instance and the sign-in at the other; the session works at both.
    const signedIn = await signIn(B(), "alice@acme.test", PASSWORD, A());
    expect(signedIn.kind).toBe("ok");
    for (const base of [A(), B()]) {
      const res = await fetch(`${base}/api/portal/usage`, { headers: { cookie: (signedIn as { cookie: string }).cookie } });
      expect(res.status).toBe(200);
    }
  });

  it("the test clock agrees: set through one instance, read through the other", async () => {
    // Two hours ahead (whole seconds): far enough to tell from real time, near enough to cause no work.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 2 * 3_600_000);
    const put = await fetch(`${A()}/api/test/clock`, { method: "PUT", headers: { "content-type": "application/json", origin: cluster.url }, body: JSON.stringify({ now: at.toISOString() }) });
    expect(put.status).toBe(200);
    const read = await serverNow(B());
    // The clock keeps running from the time set: the other instance reads it a moment later.
    expect(read.getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect(read.getTime() - at.getTime()).toBeLessThan(60_000);
    const reset = await fetch(`${B()}/api/test/clock`, { method: "DELETE", headers: { origin: cluster.url } });
    expect(reset.status).toBe(200);
    expect(Math.abs((await serverNow(A())).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("50 concurrent Submit Usage over both instances: exactly one submission, one set of lines, extensions and audit", async () => {
    const cookie = await session("bob@globex.test");
    const period = previousPeriod(await serverNow(cluster.url));
    const org = await one<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "name" = 'Globex Hosting'`);
    expect(await count(`SELECT count(*) FROM "MonthlyReport" WHERE "organizationId" = $1 AND "period" = $2 AND "status" = 'SUBMITTED'`, [org.id, period])).toBe(0);

    // All at once through nginx, as browsers reach the portal (its origin): round robin spreads them.
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => cluster.url).map(async (base) => {
        const res = await fetch(`${base}/api/portal/usage/${period}/submit`, { method: "POST", headers: { cookie, origin: cluster.url } });
        return { status: res.status, by: answeredBy(base, res), body: await res.text() };
      }),
    );
    const ok = answers.filter((a) => a.status >= 200 && a.status < 300);
    const refused = answers.filter((a) => a.status === 409);
    // A per-user limit on portal writes may answer some with 429 before they reach the service.
    const limited = answers.filter((a) => a.status === 429);
    console.log(`Submit Usage x50: ${ok.length} submitted, ${refused.length} answered 409, ${limited.length} answered 429, by instance: ${JSON.stringify(answers.reduce<Record<string, number>>((m, a) => ({ ...m, [a.by]: (m[a.by] ?? 0) + 1 }), {}))}`);
    const others = answers.filter((a) => ![200, 201, 409, 429].includes(a.status));
    if (others.length) console.log(`Unexpected answers: ${JSON.stringify(others.slice(0, 5))}`);
    expect(new Set(answers.map((a) => a.by)).size).toBe(2);
    expect(ok).toHaveLength(1);
    expect(refused.length + limited.length).toBe(49);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.body).toMatch(/already submitted/);

    const report = await one<{ id: string }>(`SELECT "id" FROM "MonthlyReport" WHERE "organizationId" = $1 AND "period" = $2 AND "status" = 'SUBMITTED'`, [org.id, period]);
    expect(await count(`SELECT count(*) FROM "MonthlyReport" WHERE "organizationId" = $1 AND "period" = $2`, [org.id, period])).toBe(1);
    const lines = await count(`SELECT count(*) FROM "MonthlyReportLine" WHERE "monthlyReportId" = $1`, [report.id]);
    expect(lines).toBeGreaterThan(0);
    // One line per license, product and workload kind (a second submission would have doubled them).
    expect(await count(`SELECT count(*) FROM (SELECT 1 FROM "MonthlyReportLine" WHERE "monthlyReportId" = $1 AND "source" = 'AUTO' GROUP BY "licenseId", "productId", "workloadType" HAVING count(*) > 1) d`, [report.id])).toBe(0);
    const extensions = await count(`SELECT count(*) FROM "LicenseExtension" WHERE "monthlyReportId" = $1`, [report.id]);
    expect(extensions).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) FROM "LicenseExtension" e JOIN "License" l ON l."id" = e."licenseId" WHERE l."organizationId" = $1 AND e."period" = $2`, [org.id, period])).toBe(extensions);
    expect(await count(`SELECT count(*) FROM "AuditEvent" WHERE "organizationId" = $1 AND "action" = 'usage.submitted' AND "targetId" = $2`, [org.id, period])).toBe(1);
    expect(await count(`SELECT count(*) FROM "AuditEvent" WHERE "organizationId" = $1 AND "action" = 'license.extended' AND "after" LIKE $2`, [org.id, `%"period":"${period}"%`])).toBe(extensions);
  });

  it("a usage report replayed to both instances at once is stored once", async () => {
    const now = await serverNow(cluster.url);
    const body = JSON.stringify({
      licenseKey: await newestKey("LIC-GLBX1-00001"),
      installationId: "vbr-cluster-install-01",
      reportId: `cluster-replay-${randomBytes(4).toString("hex")}`,
      kind: "weekly",
      period: periodOf(now),
      collectedAt: new Date(now.getTime() - 60_000).toISOString(),
      workloads: [{ type: "VBR_VM", count: 120, newCount: 3 }],
    });
    const bases = Array.from({ length: 20 }, (_, i) => [A(), B(), cluster.url][i % 3]);
    const statuses = await Promise.all(
      bases.map(async (base) => {
        const res = await fetch(`${base}/api/v1/usage/reports`, { method: "POST", headers: { "content-type": "application/json" }, body });
        return res.status;
      }),
    );
    console.log(`Replayed report x20: ${statuses.filter((s) => s === 201).length} x 201, ${statuses.filter((s) => s === 200).length} x 200 duplicate`);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const reportId = (JSON.parse(body) as { reportId: string }).reportId;
    expect(await count(`SELECT count(*) FROM "UsageReport" WHERE "reportId" = $1`, [reportId])).toBe(1);
    expect(await count(`SELECT count(*) FROM "UsageReportWorkload" w JOIN "UsageReport" r ON r."id" = w."usageReportId" WHERE r."reportId" = $1`, [reportId])).toBe(1);
  });

  it("the per-license rate limit holds across instances: a client spreading over both gets at most the rate + 10%", async () => {
    const body = JSON.stringify({ licenseKey: await newestKey("LIC-ACME1-00002"), installationId: "vb365-cluster-rate-01", productVersion: "13.0.1.1071" });
    // A window that starts on a whole minute must not end in the middle of the burst.
    while (new Date().getUTCSeconds() > 40) await new Promise((r) => setTimeout(r, 500));
    const sent = RATE_PER_LICENSE * 3;
    const bases = Array.from({ length: sent }, (_, i) => [cluster.url, A(), B()][i % 3]);
    const statuses: number[] = [];
    for (let i = 0; i < sent; i += 10) {
      statuses.push(
        ...(await Promise.all(
          bases.slice(i, i + 10).map(async (base) => {
            const res = await fetch(`${base}/api/v1/license/update`, { method: "POST", headers: { "content-type": "application/json" }, body });
            await res.arrayBuffer();
            return res.status;
          }),
        )),
      );
    }
    const allowed = statuses.filter((s) => s !== 429).length;
    console.log(`Cross-instance rate limit (PULSE_RATE_LIMIT_PER_LICENSE=${RATE_PER_LICENSE}): ${allowed} allowed out of ${sent} sent (through nginx and straight to each instance)`);
    expect(statuses.filter((s) => s !== 429 && s !== 200)).toEqual([]);
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(Math.floor(RATE_PER_LICENSE * 1.1));
  });

  it("automatic submission and every background job run once, with both instances' runners racing", async () => {
    const cookie = await session("alice@acme.test");
    const org = await one<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "name" = 'Acme Cloud Services'`);
    const created = await fetch(`${cluster.url}/api/portal/webhooks`, {
      method: "POST",
      headers: { cookie, origin: cluster.url, "content-type": "application/json" },
      body: JSON.stringify({ url: `${hooks.url}/pulse`, types: WEBHOOK_TYPES }),
    });
    expect(created.status).toBeLessThan(300);

    // Nothing running when time jumps: a job's hold is measured on the (test) clock, so a jump of
    // weeks in the middle of a running job would let the other runner take it again (only the
    // test clock jumps; real time does not).
    await waitFor("no due or running job before the clock moves", async () => (await count(`SELECT count(*) FROM "Job" WHERE "status" = 'PENDING' AND ("runAt" <= $1::timestamp OR "lockedUntil" IS NOT NULL)`, [utc(new Date())])) === 0);
    const start = await serverNow(cluster.url);
    const period = previousPeriod(start);
    expect(await count(`SELECT count(*) FROM "MonthlyReport" WHERE "organizationId" = $1 AND "period" = $2 AND "status" = 'SUBMITTED'`, [org.id, period])).toBe(0);
    // Settings > Usage submission: "Submit automatically on the due day".
    const setting = await fetch(`${cluster.url}/api/portal/settings/usage-submission`, {
      method: "PUT",
      headers: { cookie, origin: cluster.url, "content-type": "application/json" },
      body: JSON.stringify({ autoSubmit: true }),
    });
    expect(setting.status).toBe(200);
    // Past every due day of `period` (days 1 to 28 of the next month): the automatic submission is due.
    const at = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1, 6)).toISOString();
    const moved = await Promise.all(
      [A(), B(), cluster.url].map((base) => fetch(`${base}/api/test/clock`, { method: "PUT", headers: { "content-type": "application/json", origin: cluster.url }, body: JSON.stringify({ now: at }) })),
    );
    expect(moved.map((r) => r.status)).toEqual([200, 200, 200]);

    await waitFor("the automatic submission and the due jobs", async () => {
      const submitted = await count(`SELECT count(*) FROM "MonthlyReport" WHERE "organizationId" = $1 AND "period" = $2 AND "status" = 'SUBMITTED'`, [org.id, period]);
      const due = await count(`SELECT count(*) FROM "Job" WHERE "status" = 'PENDING' AND "runAt" <= $1::timestamp`, [utc(new Date(at))]);
      return submitted === 1 && due === 0;
    }, 60_000, async () => ({
      reports: (await db.query(`SELECT "period", "status" FROM "MonthlyReport" WHERE "organizationId" = $1 ORDER BY "period" DESC LIMIT 3`, [org.id])).rows,
      jobs: (await db.query(`SELECT "key", "status", "attempts", "runAt", "lockedUntil", "lastError" FROM "Job" WHERE "status" <> 'DONE' ORDER BY "runAt" LIMIT 20`)).rows,
      clock: await serverNow(cluster.url),
    }));
    // A few more passes of both runners, which must find nothing more to do.
    await new Promise((r) => setTimeout(r, 1_500));

    const report = await one<{ id: string; submittedAutomatically: boolean }>(`SELECT "id", "submittedAutomatically" FROM "MonthlyReport" WHERE "organizationId" = $1 AND "period" = $2`, [org.id, period]);
    expect(report.submittedAutomatically).toBe(true);
    expect(await count(`SELECT count(*) FROM "AuditEvent" WHERE "organizationId" = $1 AND "action" = 'usage.submitted' AND "targetId" = $2`, [org.id, period])).toBe(1);
    expect(await count(`SELECT count(*) FROM "Event" WHERE "type" = 'usage.submitted' AND "organizationId" = $1 AND "data" LIKE $2`, [org.id, `%${period}%`])).toBe(1);

    // Every job was taken once: none needed a second attempt, none failed.
    const jobs = (await db.query<{ kind: string; status: string; attempts: number }>(`SELECT "kind", "status", "attempts" FROM "Job"`)).rows;
    const done = jobs.filter((j) => j.status === "DONE");
    console.log(`Background jobs: ${done.length} done (${[...new Set(done.map((j) => j.kind))].map((k) => `${k} ${done.filter((j) => j.kind === k).length}`).join(", ")}), ${jobs.length - done.length} not yet due or pending`);
    expect(done.some((j) => j.kind === "auto_submit")).toBe(true);
    expect(jobs.filter((j) => j.status === "FAILED")).toEqual([]);
    expect(done.filter((j) => j.attempts !== 1)).toEqual([]);

    // One notification per user and event.
    expect(await count(`SELECT count(*) FROM (SELECT 1 FROM "Notification" GROUP BY "userId", "eventId" HAVING count(*) > 1) d`)).toBe(0);
    // One mail per outbox row: no mail arrived twice.
    const mails = smtp.mails.map((m) => `${m.to.join(",")}\n${m.raw.replace(/^(Message-ID|Date):.*$/gim, "")}`);
    const mailJobs = done.filter((j) => j.kind === "mail").length;
    console.log(`Mails received: ${smtp.mails.length} (mail jobs done: ${mailJobs}); webhook requests received: ${hooks.received.length}`);
    expect(mails.length).toBeGreaterThan(0);
    expect(new Set(mails).size).toBe(mails.length);
    // One webhook request per delivery: every webhook-id once, and every event of Acme delivered.
    const ids = hooks.received.map((h) => h.headers["webhook-id"]);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(await count(`SELECT count(*) FROM "WebhookDelivery"`));
    const submittedHooks = hooks.received.filter((h) => (JSON.parse(h.body) as { type: string }).type === "usage.submitted");
    expect(submittedHooks).toHaveLength(1);
  });

  it("the sign-in throttle counts failures across instances", async () => {
    // How many failures one instance takes before it refuses (the same email, one instance).
    const failuresUntilRefused = async (email: string, bases: string[]): Promise<number> => {
      for (let i = 0; i < 40; i++) {
        const answer = await signIn(bases[i % bases.length], email, `wrong-${i}`);
        if (answer.kind === "refused") return i;
        expect(answer.kind).toBe("wrong");
      }
      throw new Error(`${email}: never refused after 40 failures`);
    };
    const single = await failuresUntilRefused("victor@acme.test", [A()]);
    const spread = await failuresUntilRefused("sam@support.test", [A(), B()]);
    console.log(`Sign-in throttle: refused after ${single} failures on one instance, after ${spread} spread over both`);
    expect(single).toBeGreaterThan(1);
    // Counted per instance, alternating would take twice as many failures.
    expect(spread).toBeLessThanOrEqual(single);
    // Both instances now refuse even the right password.
    for (const base of [A(), B()]) expect((await signIn(base, "sam@support.test")).kind).toBe("refused");
  });
});
