import "server-only";
import { getDb, type Prisma, type Tx } from "../db";
import {
  asksForAutoReporting, CASE_STATE_LABEL, OPEN_CASE_STATES, staffCommentRefusal, staffNextStates, stateAfterProviderComment, stateChangeRefusal, type CaseState,
} from "../domain/support-cases";
import { AppError } from "../errors";
import type {
  AutoReportingChangeResult, CaseDetail, CaseListItem, CaseListPage, CaseListQuery, OpenCaseInput, StaffCaseDetail, StaffCaseListPage, StaffCaseListQuery,
} from "../schemas/support";
import { writeAudit } from "./audit";
import type { Context, ProviderContext, StaffContext } from "./context";
import { issueKeyVersions, licenseForKeySelect } from "./key-versions";
import { lockAutoReportedLicenses } from "./store/locks";
import { emitEvents, type NewEvent } from "./notifications/emit";

/** case.updated: a staff answer or a state change, written with it; people are told of answers and resolutions. */
function caseUpdated(organizationId: string, c: { id: string; number: number }, commentId: string, change: { answered: true } | { from: CaseState; to: CaseState }): NewEvent {
  const answered = "answered" in change;
  return {
    key: `case.updated:${c.id}:${commentId}`, type: "case.updated", organizationId, link: `/support/${c.number}`,
    title: answered ? `Support answered case #${c.number}` : `Case #${c.number} is ${CASE_STATE_LABEL[change.to]}`,
    data: { caseNumber: c.number, ...(answered ? { change: "answered" } : { change: "state", from: change.from, to: change.to }) },
    notify: answered || change.to === "RESOLVED",
  };
}

/** The first number the Counter "supportCase" hands out. */
export const FIRST_CASE_NUMBER = 100_001;

const caseNotFound = (number: number) => new AppError("NOT_FOUND", `Case ${number} not found.`);

/** Defence in depth: the staff services refuse anyone but support staff, as the route does. */
function assertStaff(ctx: StaffContext) {
  if (ctx.actor.role !== "SUPPORT_STAFF") throw new AppError("NOT_FOUND", "Not found.");
}

/** The next case number, from a counter row that the transaction locks while it increments. */
async function nextCaseNumber(tx: Tx): Promise<number> {
  const row = await tx.counter.upsert({
    where: { name: "supportCase" },
    create: { name: "supportCase", value: FIRST_CASE_NUMBER },
    update: { value: { increment: 1 } },
    select: { value: true },
  });
  return row.value;
}

const listSelect = {
  number: true,
  type: true,
  problemArea: true,
  severity: true,
  summary: true,
  state: true,
  createdAt: true,
  updatedAt: true,
  organization: { select: { name: true } },
  _count: { select: { comments: true } },
} as const;

function toListItem(c: Prisma.SupportCaseGetPayload<{ select: typeof listSelect }>): CaseListItem {
  return {
    number: c.number,
    type: c.type,
    problemArea: c.problemArea,
    severity: c.severity,
    summary: c.summary,
    state: c.state,
    organizationName: c.organization.name,
    comments: c._count.comments,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const detailSelect = {
  id: true,
  number: true,
  type: true,
  problemArea: true,
  severity: true,
  summary: true,
  description: true,
  state: true,
  createdAt: true,
  updatedAt: true,
  resolvedAt: true,
  organizationId: true,
  openedBy: { select: { name: true, email: true } },
  comments: {
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, body: true, createdAt: true, author: { select: { name: true, role: true } } },
  },
  organization: {
    select: {
      id: true,
      name: true,
      autoReportingEnabled: true,
      autoReportingChangedAt: true,
      autoReportingChangedBy: { select: { name: true } },
    },
  },
} satisfies Prisma.SupportCaseSelect;

function toDetail(c: Prisma.SupportCaseGetPayload<{ select: typeof detailSelect }>): CaseDetail {
  return {
    number: c.number,
    type: c.type,
    problemArea: c.problemArea,
    severity: c.severity,
    summary: c.summary,
    description: c.description,
    state: c.state,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    openedBy: c.openedBy,
    organization: {
      name: c.organization.name,
      autoReportingEnabled: c.organization.autoReportingEnabled,
      autoReportingChangedAt: c.organization.autoReportingChangedAt?.toISOString() ?? null,
      autoReportingChangedBy: c.organization.autoReportingChangedBy?.name ?? null,
    },
    comments: c.comments.map((m) => ({
      id: m.id,
      kind: m.kind,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      author: m.author ? { name: m.author.name, staff: m.author.role === "SUPPORT_STAFF" } : null,
    })),
  };
}

function page<T>(items: T[], total: number, q: { page: number; pageSize: number }) {
  return { items, total, page: q.page, pageSize: q.pageSize };
}

// ---------------------------------------------------------------------------------------------
// Providers: their organization's cases only; another organization's case is "not found".

/** Support > Open a case: a new case with the next number, and its audit event. */
export async function openCase(ctx: ProviderContext, input: OpenCaseInput): Promise<CaseDetail> {
  return getDb().$transaction(async (tx) => {
    const number = await nextCaseNumber(tx);
    await tx.supportCase.create({
      data: {
        number,
        organizationId: ctx.actor.organizationId,
        openedById: ctx.actor.userId,
        type: input.type,
        problemArea: input.problemArea,
        severity: input.severity,
        summary: input.summary,
        description: input.description,
        state: "OPEN",
        createdAt: ctx.now,
        updatedAt: ctx.now,
      },
      select: { id: true },
    });
    await writeAudit(tx, ctx, {
      organizationId: ctx.actor.organizationId,
      action: "case.opened",
      targetType: "SupportCase",
      targetId: String(number),
      after: { type: input.type, problemArea: input.problemArea, severity: input.severity, summary: input.summary, state: "OPEN" },
    });
    const row = await tx.supportCase.findUniqueOrThrow({ where: { number }, select: detailSelect });
    return toDetail(row);
  });
}

/** One page of the organization's cases, most recently updated first. */
export async function listOwnCases(ctx: ProviderContext, q: CaseListQuery): Promise<CaseListPage> {
  const where: Prisma.SupportCaseWhereInput = { organizationId: ctx.actor.organizationId, ...(q.state ? { state: q.state } : {}) };
  const db = getDb();
  const [total, rows] = await Promise.all([
    db.supportCase.count({ where }),
    db.supportCase.findMany({ where, select: listSelect, orderBy: [{ updatedAt: "desc" }, { number: "desc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
  ]);
  return page(rows.map(toListItem), total, q);
}

export async function getOwnCase(ctx: ProviderContext, number: number): Promise<CaseDetail> {
  const row = await getDb().supportCase.findFirst({ where: { number, organizationId: ctx.actor.organizationId }, select: detailSelect });
  if (!row) throw caseNotFound(number);
  return toDetail(row);
}

/** The organization's cases that still wait for support (OPEN or IN_PROGRESS), for the Overview. */
export async function countOpenCases(ctx: ProviderContext): Promise<number> {
  return getDb().supportCase.count({ where: { organizationId: ctx.actor.organizationId, state: { in: [...OPEN_CASE_STATES] } } });
}

/** A provider's comment; on a resolved case it reopens the case. */
export async function commentOnOwnCase(ctx: ProviderContext, number: number, body: string): Promise<CaseDetail> {
  return getDb().$transaction(async (tx) => {
    const c = await tx.supportCase.findFirst({ where: { number, organizationId: ctx.actor.organizationId }, select: { id: true, state: true } });
    if (!c) throw caseNotFound(number);
    const next = stateAfterProviderComment(c.state);
    if ("refusal" in next) throw new AppError("CONFLICT", next.refusal);
    await addComment(tx, ctx, c.id, number, ctx.actor.organizationId, body);
    const reopened = next.state !== c.state;
    // Guarded by the state read above, so a concurrent change is not overwritten.
    const changed = await tx.supportCase.updateMany({
      where: { id: c.id, organizationId: ctx.actor.organizationId, state: c.state },
      data: { updatedAt: ctx.now, ...(reopened ? { state: next.state, resolvedAt: null } : {}) },
    });
    if (changed.count === 0) throw new AppError("CONFLICT", "The case changed while you were writing; reload it and try again.");
    if (reopened) await auditStateChange(tx, ctx, ctx.actor.organizationId, number, c.state, next.state);
    const row = await tx.supportCase.findUniqueOrThrow({ where: { id: c.id }, select: detailSelect });
    return toDetail(row);
  });
}

async function addComment(tx: Tx, ctx: ProviderContext | StaffContext, caseId: string, number: number, organizationId: string, body: string): Promise<string> {
  const comment = await tx.caseComment.create({ data: { caseId, authorId: ctx.actor.userId, kind: "COMMENT", body, createdAt: ctx.now }, select: { id: true } });
  await writeAudit(tx, ctx, { organizationId, action: "case.commented", targetType: "SupportCase", targetId: String(number) });
  return comment.id;
}

function auditStateChange(tx: Tx, ctx: Context, organizationId: string, number: number, from: CaseState, to: CaseState) {
  return writeAudit(tx, ctx, {
    organizationId,
    action: "case.state_changed",
    targetType: "SupportCase",
    targetId: String(number),
    before: { state: from },
    after: { state: to },
  });
}

// ---------------------------------------------------------------------------------------------
// Support staff: every organization's cases.

/** The case queue: every organization's cases, newest first, filtered; and how many are open. */
export async function listAllCases(ctx: StaffContext, q: StaffCaseListQuery): Promise<StaffCaseListPage> {
  assertStaff(ctx);
  const base: Prisma.SupportCaseWhereInput = {
    ...(q.type ? { type: q.type } : {}),
    ...(q.problemArea ? { problemArea: q.problemArea } : {}),
  };
  const where: Prisma.SupportCaseWhereInput = { ...base, ...(q.state ? { state: q.state } : {}) };
  const db = getDb();
  const [total, open, rows] = await Promise.all([
    db.supportCase.count({ where }),
    db.supportCase.count({ where: { ...base, state: { in: [...OPEN_CASE_STATES] } } }),
    db.supportCase.findMany({ where, select: listSelect, orderBy: [{ createdAt: "desc" }, { number: "desc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
  ]);
  return { ...page(rows.map(toListItem), total, q), open };
}

export async function getCaseForStaff(ctx: StaffContext, number: number): Promise<StaffCaseDetail> {
  assertStaff(ctx);
  const row = await getDb().supportCase.findUnique({ where: { number }, select: detailSelect });
  if (!row) throw caseNotFound(number);
  return { ...toDetail(row), nextStates: staffNextStates(row.state) };
}

/** A support staff reply on any organization's case (the state stays as it is). */
export async function replyAsStaff(ctx: StaffContext, number: number, body: string): Promise<StaffCaseDetail> {
  assertStaff(ctx);
  await getDb().$transaction(async (tx) => {
    const c = await tx.supportCase.findUnique({ where: { number }, select: { id: true, state: true, organizationId: true } });
    if (!c) throw caseNotFound(number);
    const refusal = staffCommentRefusal(c.state);
    if (refusal) throw new AppError("CONFLICT", refusal);
    const commentId = await addComment(tx, ctx, c.id, number, c.organizationId, body);
    await tx.supportCase.update({ where: { id: c.id }, data: { updatedAt: ctx.now }, select: { id: true } });
    await emitEvents(tx, ctx.now, [caseUpdated(c.organizationId, { id: c.id, number }, commentId, { answered: true })]);
  });
  return getCaseForStaff(ctx, number);
}

/** Moves a case to another state; moving it to the state it is in changes nothing. */
export async function changeCaseState(ctx: StaffContext, number: number, to: CaseState): Promise<StaffCaseDetail> {
  assertStaff(ctx);
  await getDb().$transaction(async (tx) => {
    const c = await tx.supportCase.findUnique({ where: { number }, select: { id: true, state: true, organizationId: true } });
    if (!c) throw caseNotFound(number);
    if (c.state === to) return;
    const refusal = stateChangeRefusal(c.state, to);
    if (refusal) throw new AppError("UNPROCESSABLE", refusal, { errors: [{ path: "state", message: refusal }] });
    const data: Prisma.SupportCaseUpdateManyMutationInput = { state: to, updatedAt: ctx.now };
    if (to === "RESOLVED") data.resolvedAt = ctx.now;
    else if (to !== "CLOSED") data.resolvedAt = null;
    const changed = await tx.supportCase.updateMany({ where: { id: c.id, state: c.state }, data });
    if (changed.count === 0) throw new AppError("CONFLICT", "The case changed meanwhile; reload it and try again.");
    const comment = await tx.caseComment.create({
      data: { caseId: c.id, authorId: ctx.actor.userId, kind: "SYSTEM", body: `State changed from ${CASE_STATE_LABEL[c.state]} to ${CASE_STATE_LABEL[to]}.`, createdAt: ctx.now },
      select: { id: true },
    });
    await auditStateChange(tx, ctx, c.organizationId, number, c.state, to);
    await emitEvents(tx, ctx.now, [caseUpdated(c.organizationId, { id: c.id, number }, comment.id, { from: c.state, to })]);
  });
  return getCaseForStaff(ctx, number);
}

export const AUTO_REPORTING_NOTICE_KIND = { on: "auto-reporting-enabled", off: "auto-reporting-disabled" } as const;

/**
 * Enables or disables automatic license reporting for the organization of a case. The flag with
 * who and when, a comment on the case that records it, the notice the organization's users see
 * and the audit event are written in one transaction. Asking for the state the organization is
 * already in changes nothing (also when two staff members click at once: the update is guarded
 * by the state it changes from).
 */
export async function setAutoReportingFromCase(ctx: StaffContext, number: number, enabled: boolean): Promise<AutoReportingChangeResult> {
  assertStaff(ctx);
  const changed = await getDb().$transaction(async (tx) => {
    const c = await tx.supportCase.findUnique({
      where: { number },
      select: { id: true, organization: { select: { id: true, name: true, autoReportingEnabled: true, autoReportingChangedAt: true } } },
    });
    if (!c) throw caseNotFound(number);
    const org = c.organization;
    if (org.autoReportingEnabled === enabled) return false;
    const updated = await tx.organization.updateMany({
      where: { id: org.id, autoReportingEnabled: !enabled },
      data: { autoReportingEnabled: enabled, autoReportingChangedAt: ctx.now, autoReportingChangedById: ctx.actor.userId },
    });
    if (updated.count === 0) return false;
    const what = enabled ? "enabled" : "disabled";
    // Disabling: every auto-reported license of the organization is switched off here, a key
    // version each with its date kept (DOMAIN-RULES.md, lifecycle 7): the toggles are disabled
    // without the feature, so nothing may stay auto-reported behind them.
    const switchedOff = enabled ? [] : await switchOffAutoReported(tx, ctx, org.id);
    const named = switchedOff.length ? ` Switched off Auto Reported License for ${switchedOff.length} license${switchedOff.length === 1 ? "" : "s"}: ${switchedOff.join(", ")}.` : "";
    await tx.caseComment.create({
      data: { caseId: c.id, authorId: ctx.actor.userId, kind: "SYSTEM", body: `Automatic license reporting ${what} for ${org.name}.${named}`, createdAt: ctx.now },
      select: { id: true },
    });
    await tx.supportCase.update({ where: { id: c.id }, data: { updatedAt: ctx.now }, select: { id: true } });
    await tx.notice.create({
      data: {
        organizationId: org.id,
        kind: enabled ? AUTO_REPORTING_NOTICE_KIND.on : AUTO_REPORTING_NOTICE_KIND.off,
        message: enabled
          ? "Automatic license reporting is now enabled for your organization. You can turn on Auto Reported License for your keys in Manage Licenses, and new keys can be auto-reported."
          : `Automatic license reporting has been disabled for your organization. Keys cannot be switched to Auto Reported License any more; continue submitting license usage manually.${named}`,
        createdAt: ctx.now,
      },
      select: { id: true },
    });
    await writeAudit(tx, ctx, {
      organizationId: org.id,
      action: enabled ? "organization.auto_reporting_enabled" : "organization.auto_reporting_disabled",
      targetType: "Organization",
      targetId: org.id,
      before: { autoReportingEnabled: !enabled, changedAt: org.autoReportingChangedAt?.toISOString() ?? null },
      after: { autoReportingEnabled: enabled, changedAt: ctx.now.toISOString(), changedBy: ctx.actor.email, case: number, ...(enabled ? {} : { switchedOff }) },
    });
    return true;
  });
  return { changed, case: await getCaseForStaff(ctx, number) };
}

/** Switches every auto-reported license of an organization off (a key version each, dates kept); returns their license ids. */
async function switchOffAutoReported(tx: Tx, ctx: StaffContext, organizationId: string): Promise<string[]> {
  await lockAutoReportedLicenses(tx, organizationId);
  const licenses = await tx.license.findMany({
    where: { organizationId, autoReported: true, revokedAt: null },
    select: licenseForKeySelect,
    orderBy: { licenseId: "asc" },
  });
  await issueKeyVersions(
    tx,
    ctx,
    licenses.map((license) => ({
      license,
      changes: { autoReported: false },
      reason: "AUTO_REPORTED_OFF" as const,
      audit: {
        action: "license.auto_reported_off",
        before: { autoReported: true, expirationDate: license.expirationDate, version: license.currentVersion },
        after: { autoReported: false, expirationDate: license.expirationDate, version: license.currentVersion + 1, reason: "automatic license reporting disabled" },
      },
    })),
  );
  return licenses.map((l) => l.licenseId);
}

/** The newest open case of the caller's organization asking for automatic license reporting, if any. */
export async function openAutoReportingRequest(ctx: ProviderContext): Promise<number | null> {
  const cases = await getDb().supportCase.findMany({
    where: { organizationId: ctx.actor.organizationId, state: { in: [...OPEN_CASE_STATES] }, problemArea: "VCSP_PULSE" },
    orderBy: { number: "desc" },
    select: { number: true, problemArea: true, summary: true },
    take: 50,
  });
  return cases.find(asksForAutoReporting)?.number ?? null;
}
