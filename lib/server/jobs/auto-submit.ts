import "server-only";
import { getDb, type Tx } from "../../db";
import type { Period } from "../../domain/dates";
import { autoSubmitAt } from "../../domain/reporting";
import { AppError } from "../../errors";
import { submitReport } from "../monthly-reports/submit";
import { AUTOMATIC_SUBMISSION, organizationReporting } from "../reporting";
import { dropPendingJobs, writeJobs, type TakenJob } from "../store/jobs";

export const AUTO_SUBMIT = "auto_submit";

const jobKey = (organizationId: string, period: Period) => `${AUTO_SUBMIT}:${organizationId}:${period}`;

/**
 * The automatic-submission jobs of an organization that submits automatically: one per ended,
 * unsubmitted period, due at 00:00 UTC of its due day. Written when the setting is turned on and
 * whenever the runner sees a period that ended; the unique key makes each happen once. Turning
 * the setting on again (`revive`) makes a done or failed job of a period still open pending again.
 */
export async function writeAutoSubmitJobs(tx: Tx, organizationId: string, now: Date, revive = false): Promise<number> {
  const reporting = await organizationReporting(tx, organizationId, now);
  const open = reporting.periods.filter((p) => !reporting.submissions.has(p.period));
  await writeJobs(
    tx,
    open.map((p) => ({ key: jobKey(organizationId, p.period), kind: AUTO_SUBMIT, organizationId, payload: { period: p.period }, runAt: autoSubmitAt(p.dueAt) })),
    now,
    revive,
  );
  return open.length;
}

/** The runner's scheduling step: the jobs of every organization that submits automatically. */
export async function scheduleAutoSubmissions(now: Date): Promise<void> {
  const db = getDb();
  const organizations = await db.organization.findMany({ where: { autoSubmit: true }, select: { id: true } });
  for (const o of organizations) await db.$transaction((tx) => writeAutoSubmitJobs(tx, o.id, now));
}

/**
 * Submits a period for the portal itself, exactly as a provider's Submit Usage would, with the
 * figures as they stand. A period already submitted (by a person, or another runner) is done;
 * so is an organization that turned the setting off meanwhile.
 */
export async function runAutoSubmission(job: TakenJob, now: Date): Promise<void> {
  const organizationId = job.organizationId!;
  const { period } = JSON.parse(job.payload) as { period: Period };
  const org = await getDb().organization.findUnique({ where: { id: organizationId }, select: { autoSubmit: true } });
  if (!org?.autoSubmit) return;
  try {
    await submitReport({ actor: { type: "system", label: AUTOMATIC_SUBMISSION, organizationId }, now }, period);
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT" && /already submitted/.test(error.message)) return;
    throw error;
  }
}

/** Turning the setting off: the organization's pending automatic submissions are dropped. */
export async function dropAutoSubmitJobs(tx: Tx, organizationId: string): Promise<void> {
  await dropPendingJobs(tx, organizationId, AUTO_SUBMIT);
}
