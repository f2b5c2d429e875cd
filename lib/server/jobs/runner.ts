import "server-only";
import { now as clockNow } from "../../clock";
import { finishJob, takeDueJobs, type TakenJob } from "../store/jobs";
import { AUTO_SUBMIT, runAutoSubmission, scheduleAutoSubmissions } from "./auto-submit";

/** How long a taken job is held before another runner may take it again (a crash mid-job). */
const LEASE_MS = 5 * 60_000;
/** Attempts before a job is FAILED. */
const MAX_ATTEMPTS = 5;

const handlers: Record<string, (job: TakenJob, now: Date) => Promise<void>> = {
  [AUTO_SUBMIT]: runAutoSubmission,
};

/**
 * One pass of the background runner: writes the jobs that time has made due (a period ended),
 * then takes the jobs due now and runs each. Every instance runs it; the jobs' unique keys and
 * the taking (FOR UPDATE SKIP LOCKED on PostgreSQL) make each happen once. Returns how many ran.
 */
export async function runJobsOnce(at?: Date): Promise<number> {
  const now = at ?? (await clockNow());
  await scheduleAutoSubmissions(now);
  let ran = 0;
  for (;;) {
    const jobs = await takeDueJobs(now, 20, LEASE_MS);
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      try {
        const handler = handlers[job.kind];
        if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`);
        await handler(job, now);
        await finishJob(job.id, { status: "DONE" }, now);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.warn(`Background job ${job.key} failed (attempt ${job.attempts}): ${message}`);
        await finishJob(job.id, { status: job.attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING", error: message }, now);
      }
      ran++;
    }
  }
}

const state = globalThis as unknown as { pulseJobRunner?: { timer: NodeJS.Timeout; running: boolean } };

/**
 * Starts the runner in this process: a pass at once (catching up after downtime), then one every
 * PULSE_JOB_INTERVAL_MS (default 30 s). PULSE_JOBS=0 turns it off (the integration tests run passes
 * themselves).
 */
export function startJobRunner(): void {
  if (process.env.PULSE_JOBS === "0" || state.pulseJobRunner) return;
  const interval = Number(process.env.PULSE_JOB_INTERVAL_MS || 30_000);
  const runner = { running: false, timer: undefined as unknown as NodeJS.Timeout };
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
  runner.timer = setInterval(() => void tick(), interval);
  runner.timer.unref();
  state.pulseJobRunner = runner;
  void tick();
}
