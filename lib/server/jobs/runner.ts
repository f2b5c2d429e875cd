import "server-only";
import { now as clockNow } from "../../clock";
import { finishJob, takeDueJobs, type TakenJob } from "../store/jobs";
import { AUTO_SUBMIT, runAutoSubmission, scheduleAutoSubmissions } from "./auto-submit";
import { DIGEST_JOB, MAIL_JOB, WEBHOOK_JOB } from "../notifications/emit";
import { runDigestJob, runMailJob } from "../notifications/mail-jobs";
import { scanTimeEvents } from "../notifications/scan";
import { runWebhookJob } from "../notifications/webhooks";

/** How long a taken job is held before another runner may take it again (a crash mid-job). */
const LEASE_MS = 5 * 60_000;
/** Attempts before a job is FAILED. */
const MAX_ATTEMPTS = 5;

/** A job's handler; it may ask to run again later (a webhook's next attempt) instead of being done. */
type Handler = (job: TakenJob, now: Date) => Promise<void | { retryAt: Date }>;

const handlers: Record<string, Handler> = {
  [AUTO_SUBMIT]: runAutoSubmission,
  // The outbox of notifications (lib/server/notifications/): mails, daily digests, webhook deliveries.
  [MAIL_JOB]: runMailJob,
  [DIGEST_JOB]: runDigestJob,
  [WEBHOOK_JOB]: runWebhookJob,
};

/**
 * One pass of the background runner: writes the jobs that time has made due (a period ended)
 * and the events that time causes (lib/server/notifications/scan.ts), then takes the jobs due now and runs each. Every instance runs it; the jobs' unique keys and
 * the taking (FOR UPDATE SKIP LOCKED on PostgreSQL) make each happen once. Returns how many ran.
 */
export async function runJobsOnce(at?: Date): Promise<number> {
  const now = at ?? (await clockNow());
  await scheduleAutoSubmissions(now);
  await scanTimeEvents(now);
  let ran = 0;
  for (;;) {
    const jobs = await takeDueJobs(now, 20, LEASE_MS);
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      try {
        const handler = handlers[job.kind];
        if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`);
        const later = await handler(job, now);
        if (later) await finishJob(job.id, { status: "PENDING", error: "retry scheduled", runAt: later.retryAt }, now);
        else await finishJob(job.id, { status: "DONE" }, now);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.warn(`Background job ${job.key} failed (attempt ${job.attempts}): ${message}`);
        await finishJob(job.id, { status: job.attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING", error: message }, now);
      }
      ran++;
    }
  }
}

const state = globalThis as unknown as { pulseJobRunner?: { timer: NodeJS.Timeout; running: boolean; tick: () => Promise<void> } };

/** Runs a pass soon in this process, when its runner is started (a redelivery asked for by hand). */
export function kickJobRunner(): void {
  const runner = state.pulseJobRunner;
  if (runner) setTimeout(() => void runner.tick(), 0).unref();
}

/**
 * Starts the runner in this process: a pass at once (catching up after downtime), then one every
 * PULSE_JOB_INTERVAL_MS (default 30 s). PULSE_JOBS=0 turns it off (the integration tests run passes
 * themselves).
 */
export function startJobRunner(): void {
  if (process.env.PULSE_JOBS === "0" || state.pulseJobRunner) return;
  const interval = Number(process.env.PULSE_JOB_INTERVAL_MS || 30_000);
  const runner = { running: false, timer: undefined as unknown as NodeJS.Timeout, tick: async () => {} };
  const tick = async () => {
    if (runner.running) return;
    runner.running = true;
    try {
      await runJobsOnce();
    } catch (error) {
      console.warn(`Background runner: ${error instanceof Error ? error.message : error}`);
    } finally {
      runner.running = false;
    }
  };
  runner.tick = tick;
  runner.timer = setInterval(() => void tick(), interval);
  runner.timer.unref();
  state.pulseJobRunner = runner;
  void tick();
}
