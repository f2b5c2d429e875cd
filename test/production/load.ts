// Load and checks for the crash and backup tests of test/production: product servers sending
// usage reports and update checks, admins pressing Submit Usage, over HTTP against the production
// server; and what the database holds afterwards, read directly (SQLite file or PostgreSQL).
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";

export const PASSWORD = "pulse-demo-1";
/** A request that takes longer than this counts as hanging. */
export const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// The database, read directly

export interface Sql {
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A connection to the database of `url` (SQLite `file:` or PostgreSQL); queries use `?` placeholders. */
export async function openSql(url: string): Promise<Sql> {
  if (url.startsWith("file:")) {
    const db = new BetterSqlite3(url.slice("file:".length), { fileMustExist: true, timeout: 10_000 });
    return {
      all: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[],
      close: async () => void db.close(),
    };
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    all: async <T>(sql: string, params: unknown[] = []) => {
      let n = 0;
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    },
    close: () => client.end(),
  };
}

/** SQLite's `PRAGMA integrity_check` ("ok" when sound). */
export function sqliteIntegrity(url: string): string {
  const db = new BetterSqlite3(url.slice("file:".length), { fileMustExist: true });
  try {
    return (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

export interface ProductLicense {
  /** License.id (the database's). */
  id: string;
  licenseId: string;
  organizationId: string;
  key: string;
  types: string[];
}

/** The rental licenses that can report (not revoked, not expired, under no terminated contract), with their newest keys. */
export async function reportingLicenses(url: string, today: string): Promise<ProductLicense[]> {
  const sql = await openSql(url);
  try {
    const rows = await sql.all<{ id: string; licenseId: string; organizationId: string; jws: string }>(
      `SELECT l."id", l."licenseId", l."organizationId", k."jws" FROM "License" l
       JOIN "KeyVersion" k ON k."licenseId" = l."id" AND k."version" = l."currentVersion"
       LEFT JOIN "Contract" c ON c."id" = l."contractId"
       WHERE l."type" = 'RENTAL' AND l."revokedAt" IS NULL AND l."expirationDate" >= ? AND (c."status" IS NULL OR c."status" = 'ACTIVE')
       ORDER BY l."licenseId"`,
      [today],
    );
    const out: ProductLicense[] = [];
    for (const r of rows) {
      const types = await sql.all<{ type: string }>(`SELECT "type" FROM "LicenseWorkload" WHERE "licenseId" = ? ORDER BY "type"`, [r.id]);
      if (types.length) out.push({ id: r.id, licenseId: r.licenseId, organizationId: r.organizationId, key: r.jws, types: types.map((t) => t.type) });
    }
    return out;
  } finally {
    await sql.close();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

export type Outcome = number | "no answer";

export interface Answer {
  status: Outcome;
  body?: Record<string, unknown>;
  contentType?: string;
  text?: string;
}

/** A request with a time limit: a network failure or timeout is "no answer" (with the reason in text). */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: "manual" });
    const contentType = res.headers.get("content-type") ?? "";
    const text = await res.text();
    let body: Record<string, unknown> | undefined;
    if (contentType.includes("json")) {
      try {
        body = JSON.parse(text);
      } catch {
        // left undefined
      }
    }
    return { status: res.status, body, contentType, text };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: "no answer", text: `${(error as Error).name}${cause ? ` ${cause}` : ""}` };
  }
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** Signs in through next-auth's credentials callback, as the sign-in form does; returns the Cookie header for the session. */
export async function signIn(base: string, email: string, password = PASSWORD): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: base, json: "true" }).toString(),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.endsWith("next-auth.session-token"))) throw new Error(`Sign-in as ${email} failed: ${res.status}`);
  return cookie();
}

/** The server's time (the test clock), as an offset from this process's clock. */
export async function serverOffset(base: string): Promise<number> {
  const r = await send(`${base}/api/test/clock`);
  if (r.status !== 200) throw new Error(`GET /api/test/clock answered ${r.status}`);
  return Date.parse(String(r.body?.now)) - Date.now();
}

export async function setClock(base: string, at: Date): Promise<void> {
  const r = await send(`${base}/api/test/clock`, { ...json({ now: at.toISOString() }), method: "PUT" });
  if (r.status !== 200) throw new Error(`PUT /api/test/clock answered ${r.status}: ${r.text}`);
}

// ---------------------------------------------------------------------------------------------
// The load

export interface SentReport {
  license: ProductLicense;
  body: Record<string, unknown> & { reportId: string; workloads: unknown[] };
  answer?: Answer;
  retry?: Answer;
}

export interface Ledger {
  reports: SentReport[];
  /** Update checks per installation id: sent and answered 200. */
  checks: Map<string, { license: ProductLicense; sent: number; acked: number; answers: Answer[] }>;
  submits: { org: string; period: string; answer: Answer }[];
  /** Answers that break the rules while the database is up (5xx, HTML errors, ...): should stay empty. */
  unexpected: string[];
  /** Requests sent and not answered yet. */
  inFlight: number;
}

export function newLedger(): Ledger {
  return { reports: [], checks: new Map(), submits: [], unexpected: [], inFlight: 0 };
}

export const isAck = (a?: Answer) => typeof a?.status === "number" && a.status >= 200 && a.status < 300;

function period(d: Date): string {
  return d.toISOString().slice(0, 7);
}

export interface LoadOptions {
  base: string;
  licenses: ProductLicense[];
  ledger: Ledger;
  /** Prefix of report and installation ids (unique per run and cycle). */
  tag: string;
  workers: number;
  /** At most this many requests in all. */
  requests: number;
  /** Stops taking new requests once this returns true. */
  stop: () => boolean;
  offsetMs: number;
  /** The share of update checks among the requests (the rest are usage reports). */
  checkShare?: number;
  /** Answers allowed besides 2xx (e.g. 503 while PostgreSQL is down); others go to ledger.unexpected. */
  tolerate?: (a: Answer, kind: "report" | "check") => boolean;
}

/** A valid weekly report of the server's current period for `license`. */
export function reportFor(license: ProductLicense, reportId: string, installationId: string, offsetMs: number) {
  const now = new Date(Date.now() + offsetMs);
  const collectedAt = new Date(now.getTime() - 60_000);
  return {
    licenseKey: license.key,
    installationId,
    reportId,
    kind: "weekly",
    period: period(collectedAt),
    collectedAt: collectedAt.toISOString(),
    workloads: license.types.map((type, i) => ({ type, count: 10 + i + Math.floor(Math.random() * 90), newCount: 1 })),
  };
}

/** Runs `workers` concurrent product servers until `requests` were sent or `stop()`; fills the ledger. */
export async function runLoad(o: LoadOptions): Promise<void> {
  let sent = 0;
  const checkShare = o.checkShare ?? 0.25;
  const worker = async (w: number) => {
    const installationId = `${o.tag}-w${w}`;
    let seq = 0;
    let last: Answer | undefined;
    while (!o.stop() && sent < o.requests) {
      sent++;
      const license = o.licenses[(w + seq) % o.licenses.length];
      if (Math.random() < checkShare) {
        const id = `${installationId}-${license.licenseId}`.slice(0, 64);
        const entry = o.ledger.checks.get(id) ?? { license, sent: 0, acked: 0, answers: [] };
        o.ledger.checks.set(id, entry);
        entry.sent++;
        o.ledger.inFlight++;
        const a = await send(`${o.base}/api/v1/license/update`, json({ licenseKey: license.key, installationId: id, productVersion: "13.0.1.1071" }));
        o.ledger.inFlight--;
        last = a;
        entry.answers.push(a);
        if (a.status === 200) entry.acked++;
        else if (a.status !== "no answer" && !o.tolerate?.(a, "check")) o.ledger.unexpected.push(`update check: ${a.status} ${a.text?.slice(0, 200)}`);
      } else {
        const body = reportFor(license, `${o.tag}-${w}-${seq}-${randomBytes(3).toString("hex")}`, installationId, o.offsetMs);
        const entry: SentReport = { license, body };
        o.ledger.reports.push(entry);
        o.ledger.inFlight++;
        entry.answer = last = await send(`${o.base}/api/v1/usage/reports`, json(body));
        o.ledger.inFlight--;
        const s = entry.answer.status;
        if (s !== 201 && s !== "no answer" && !o.tolerate?.(entry.answer, "report")) o.ledger.unexpected.push(`usage report: ${s} ${entry.answer.text?.slice(0, 200)}`);
      }
      seq++;
      // A refused or failed request: back off a little, as a product server does.
      if (!isAck(last) && !o.stop()) await new Promise((r) => setTimeout(r, 50));
    }
  };
  await Promise.all(Array.from({ length: o.workers }, (_, w) => worker(w)));
}

/** Submit Usage for `period` as a signed-in admin (the portal's own route, with the session cookie). */
export async function submitUsage(base: string, cookie: string, period: string): Promise<Answer> {
  return send(`${base}/api/portal/usage/${period}/submit`, { method: "POST", headers: { cookie } });
}

/** Every report sent again, as a product retries one that got no answer: answered 200 duplicate or 201. */
export async function retryAll(base: string, reports: SentReport[], workers = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < reports.length) {
        const r = reports[next++];
        r.retry = await send(`${base}/api/v1/usage/reports`, json(r.body));
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// What the database holds

export interface StoredReport {
  licenseId: string;
  reportId: string;
  workloads: number;
}

/** The stored usage reports whose reportId starts with `prefix`, with their number of workload rows. */
export async function storedReports(sql: Sql, prefix: string): Promise<StoredReport[]> {
  return (
    await sql.all<{ licenseId: string; reportId: string; workloads: number | string }>(
      `SELECT r."licenseId", r."reportId", (SELECT count(*) FROM "UsageReportWorkload" w WHERE w."usageReportId" = r."id") AS workloads
       FROM "UsageReport" r WHERE r."reportId" LIKE ?`,
      [`${prefix}%`],
    )
  ).map((r) => ({ ...r, workloads: Number(r.workloads) }));
}

export interface ReportFigures {
  sent: number;
  acknowledged: number;
  noAnswer: number;
  refused: number;
  /** Acknowledged and found in the database, once each. */
  ackedFound: number;
  /** Found without an acknowledgement (committed just before the kill, or answered after it). */
  unackedStored: number;
}

/**
 * Checks the stored reports against the ledger: every acknowledged report stored exactly once
 * with all its workloads; every stored one whole; none that was refused. Returns the problems
 * found (empty when sound) and the figures.
 */
export function compareReports(reports: SentReport[], stored: StoredReport[]): { problems: string[]; figures: ReportFigures } {
  const problems: string[] = [];
  const byKey = new Map<string, StoredReport[]>();
  for (const s of stored) {
    const k = `${s.licenseId}/${s.reportId}`;
    byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  const figures: ReportFigures = { sent: reports.length, acknowledged: 0, noAnswer: 0, refused: 0, ackedFound: 0, unackedStored: 0 };
  for (const r of reports) {
    const found = byKey.get(`${r.license.id}/${r.body.reportId}`) ?? [];
    const acked = isAck(r.answer);
    if (acked) figures.acknowledged++;
    else if (r.answer?.status === "no answer" || !r.answer) figures.noAnswer++;
    else figures.refused++;
    if (found.length > 1) problems.push(`${r.body.reportId}: stored ${found.length} times`);
    for (const f of found) if (f.workloads !== r.body.workloads.length) problems.push(`${r.body.reportId}: half-written (${f.workloads} of ${r.body.workloads.length} workloads)`);
    if (acked) {
      if (found.length === 1) figures.ackedFound++;
      else problems.push(`${r.body.reportId}: acknowledged (${r.answer?.status}) but stored ${found.length} times`);
    } else if (found.length) {
      figures.unackedStored++;
      if (r.answer?.status !== "no answer" && r.answer) problems.push(`${r.body.reportId}: answered ${r.answer.status} but stored`);
    }
  }
  return { problems, figures };
}

/** The retries' answers: an acknowledged report must come back 200 duplicate; any other 201 or 200 duplicate. */
export function checkRetries(reports: SentReport[]): { problems: string[]; duplicates: number; created: number } {
  const problems: string[] = [];
  let duplicates = 0;
  let created = 0;
  for (const r of reports) {
    const s = r.retry?.status;
    const duplicate = s === 200 && r.retry?.body?.status === "duplicate";
    if (duplicate) duplicates++;
    else if (s === 201) created++;
    if (isAck(r.answer) && !duplicate) problems.push(`${r.body.reportId}: acknowledged, but the retry answered ${s} ${r.retry?.text?.slice(0, 200)}`);
    if (!isAck(r.answer) && !duplicate && s !== 201) problems.push(`${r.body.reportId}: the retry answered ${s} ${r.retry?.text?.slice(0, 200)}`);
  }
  return { problems, duplicates, created };
}

/** Update checks: each one answered 200 left its update session (at least as many sessions as acknowledgements, at most as many as were sent). */
export async function checkUpdateSessions(sql: Sql, ledger: Ledger): Promise<{ problems: string[]; sent: number; acked: number; sessions: number }> {
  const problems: string[] = [];
  let sent = 0;
  let acked = 0;
  let sessions = 0;
  for (const [installationId, c] of ledger.checks) {
    const [row] = await sql.all<{ n: number | string }>(`SELECT count(*) AS n FROM "UpdateSession" WHERE "installationId" = ? AND "licenseId" = ?`, [installationId, c.license.id]);
    const n = Number(row.n);
    sent += c.sent;
    acked += c.acked;
    sessions += n;
    if (n < c.acked || n > c.sent) problems.push(`${installationId}: ${c.acked} checks answered 200 of ${c.sent} sent, ${n} sessions stored`);
  }
  return { problems, sent, acked, sessions };
}

/**
 * Every monthly report of `periods`: submitted whole (its lines, as many as its audit event says;
 * its extensions, as many as the audit says, each with its key version, which is the license's
 * current or an older one) or not submitted at all (no audit event, no extension).
 */
export async function checkSubmissions(sql: Sql, periods: string[]): Promise<{ problems: string[]; submitted: number; drafts: number }> {
  const problems: string[] = [];
  let submitted = 0;
  let drafts = 0;
  if (!periods.length) return { problems, submitted, drafts };
  const reports = await sql.all<{ id: string; organizationId: string; period: string; status: string }>(
    `SELECT "id", "organizationId", "period", "status" FROM "MonthlyReport" WHERE "period" IN (${periods.map(() => "?").join(", ")})`,
    periods,
  );
  for (const m of reports) {
    const audits = await sql.all<{ after: string }>(
      `SELECT "after" FROM "AuditEvent" WHERE "organizationId" = ? AND "action" = 'usage.submitted' AND "targetId" = ?`,
      [m.organizationId, m.period],
    );
    const [lines] = await sql.all<{ n: number | string }>(`SELECT count(*) AS n FROM "MonthlyReportLine" WHERE "monthlyReportId" = ?`, [m.id]);
    const extensions = await sql.all<{ keyVersionId: string; version: number | null; reason: string | null; currentVersion: number | null; expirationDate: string | null; toDate: string }>(
      `SELECT e."keyVersionId", k."version", k."reason", l."currentVersion", k."expirationDate", e."toDate" FROM "LicenseExtension" e
       LEFT JOIN "KeyVersion" k ON k."id" = e."keyVersionId" LEFT JOIN "License" l ON l."id" = e."licenseId"
       WHERE e."monthlyReportId" = ?`,
      [m.id],
    );
    const name = `${m.organizationId} ${m.period}`;
    if (m.status === "SUBMITTED") {
      submitted++;
      if (audits.length !== 1) {
        problems.push(`${name}: submitted with ${audits.length} usage.submitted audit events`);
        continue;
      }
      const after = JSON.parse(audits[0].after) as { lines: number; extended: number };
      if (Number(lines.n) !== after.lines) problems.push(`${name}: ${lines.n} lines stored, the audit says ${after.lines}`);
      if (extensions.length !== after.extended) problems.push(`${name}: ${extensions.length} extensions stored, the audit says ${after.extended}`);
      for (const e of extensions) {
        if (e.version === null) problems.push(`${name}: an extension without its key version`);
        else if (e.reason !== "EXTENDED" || e.expirationDate !== e.toDate || (e.currentVersion ?? 0) < e.version) problems.push(`${name}: an extension whose key version does not match it`);
      }
    } else {
      drafts++;
      if (audits.length) problems.push(`${name}: a draft with a usage.submitted audit event`);
      if (extensions.length) problems.push(`${name}: a draft with ${extensions.length} extensions`);
    }
  }
  // Every license's current version exists, and no version beyond it (a key version without the license's change).
  const orphans = await sql.all<{ licenseId: string }>(
    `SELECT l."licenseId" FROM "License" l WHERE l."currentVersion" <> (SELECT coalesce(max(k."version"), 0) FROM "KeyVersion" k WHERE k."licenseId" = l."id")`,
  );
  for (const o of orphans) problems.push(`${o.licenseId}: currentVersion is not its newest key version`);
  return { problems, submitted, drafts };
}

export function previousPeriod(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
