// The HTTP commands of the agent: check, report and run. Each returns the exit code.
import { readFileSync } from "node:fs";
import { isPeriod } from "../lib/domain/dates";
import { usageReportRequest } from "../lib/schemas/product-api";
import { sleep, systemNow } from "./core/clock";
import { AgentError, EXIT } from "./core/errors";
import { formatSession } from "./core/format";
import { HttpTransport, serverUrl } from "./core/http";
import { nextDueAt } from "./core/plan";
import { ProductServer, type CheckResult } from "./core/server";
import { FileKeyStore, stateFileOf, stateStoreFor } from "./core/stores";
import { parseWorkloadArgs, parseWorkloadsFile, type Workload } from "./core/workloads";

type Out = (line: string) => void;

export const CHECK_EXIT: Record<CheckResult["outcome"], number> = {
  Success: EXIT.ok,
  NotRequired: EXIT.ok,
  InvalidLicense: EXIT.invalidLicense,
  UnsupportedLicenseType: EXIT.unsupportedLicenseType,
  ContractTerminated: EXIT.contractTerminated,
  GenerationFailed: EXIT.generationFailed,
  ConnectionFailed: EXIT.connectionFailed,
  InvalidAnswer: EXIT.invalidAnswer,
};

function product(server: string, key: string, installationId: string | undefined, now: () => Date, workloads?: Workload[]) {
  const transport = new HttpTransport(serverUrl(server));
  const keys = new FileKeyStore(key);
  keys.read(); // a missing or unreadable key file is an error before anything is sent
  const states = stateStoreFor(key, now, installationId);
  const state = states.load();
  if (installationId && state.installationId !== installationId) states.save({ ...state, installationId });
  return { transport, keys, states, server: new ProductServer(keys, states, transport, workloads ? () => workloads : undefined) };
}

export async function checkCommand(o: { server: string; key: string; installationId?: string }, out: Out): Promise<number> {
  const { server } = product(o.server, o.key, o.installationId, systemNow);
  const r = await server.check(systemNow());
  out(`${r.outcome}: ${r.message}`);
  if (r.detail) out(r.outcome === "Success" ? `Installed ${r.detail}; the previous key is kept as ${o.key}.bak.` : `(${r.detail}; ${o.key} is unchanged)`);
  if (r.outcome === "ContractTerminated") out("Automatic license update is turned off on this server.");
  if (r.nextCheckAfter) out(`Next check after ${r.nextCheckAfter}`);
  return CHECK_EXIT[r.outcome];
}

export async function reportCommand(
  o: { server: string; key: string; period: string; kind: string; workload: string[]; installationId?: string; retries: number; reportId?: string },
  out: Out,
  pause: (ms: number) => Promise<void> = (ms) => sleep(ms),
): Promise<number> {
  if (!isPeriod(o.period)) throw new AgentError(`--period ${o.period}: write the month as YYYY-MM.`);
  if (o.kind !== "weekly" && o.kind !== "monthly") throw new AgentError(`--kind ${o.kind}: it is weekly or monthly.`);
  const workloads = parseWorkloadArgs(o.workload);
  const { server } = product(o.server, o.key, o.installationId, systemNow);
  const now = systemNow();
  const body = { ...server.reportBody(o.kind, o.period, now, workloads), ...(o.reportId ? { reportId: o.reportId } : {}) };
  const valid = usageReportRequest.safeParse({ ...body, licenseKey: "x" });
  if (!valid.success) throw new AgentError(`The report is not valid: ${valid.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  // A connection failure is retried with the same report id: the portal stores it once and answers the retry "duplicate".
  for (let attempt = 0; ; attempt++) {
    const r = await server.sendReport(body, systemNow());
    if (r.kind === "stored") {
      out(`${r.answer.status}: report ${r.answer.reportId} of ${o.period} (${o.kind}) received at ${r.answer.receivedAt}`);
      if (r.answer.licenseExtendedTo) out(`licenseExtendedTo: ${r.answer.licenseExtendedTo}`);
      return EXIT.ok;
    }
    if (r.kind === "refused") {
      out(`refused (HTTP ${r.status}): ${r.detail}`);
      return r.status === 401 ? EXIT.invalidLicense : EXIT.reportRefused;
    }
    if (attempt >= o.retries) {
      out(`not delivered: ${r.detail}. Send it again with --report-id ${body.reportId} so that the portal stores it once.`);
      return EXIT.connectionFailed;
    }
    out(`not delivered (${r.detail}); retrying with the same report id ${body.reportId}`);
    await pause(Math.min(30_000, 1000 * 2 ** attempt));
  }
}

export async function runCommand(
  o: { server: string; key: string; workloads?: string; installationId?: string; testClock?: boolean; poll?: number; json?: boolean },
  out: Out,
  signal: AbortSignal,
): Promise<number> {
  const workloads = o.workloads ? parseWorkloadsFile(readText(o.workloads), o.workloads) : undefined;
  const transport = new HttpTransport(serverUrl(o.server));
  let portalNow = systemNow();
  const clock = o.testClock ? async () => (portalNow = await transport.testClock()) : async () => systemNow();
  await clock();
  const { server, states } = product(o.server, o.key, o.installationId, () => portalNow, workloads);
  const pollMs = Math.max(50, (o.poll ?? (o.testClock ? 1 : 60)) * 1000);
  const resumed = states.load();
  out(`${o.testClock ? "Following the portal's test clock" : "Using this machine's clock"}; installation ${resumed.installationId}; state in ${stateFileOf(o.key)}. Ctrl-C stops.`);
  while (!signal.aborted) {
    let now: Date;
    try {
      now = await clock();
    } catch (error) {
      if (error instanceof AgentError) throw error;
      await sleep(pollMs, signal);
      continue;
    }
    for (const s of await server.step(now)) out(formatSession(s, !!o.json));
    const state = states.load();
    if (!state.autoUpdate) {
      out(`Automatic license update is off (${state.disabledReason ?? "turned off"}); usage reporting stops with it. Nothing more to do.`);
      return EXIT.ok;
    }
    const due = nextDueAt(state, server.keys.read().claims, now);
    // With the real clock, sleep until the next thing is due (at most the poll interval); a test clock can jump, so poll it.
    const wait = o.testClock || !due ? pollMs : Math.min(pollMs, Math.max(50, due.getTime() - now.getTime()));
    await sleep(wait, signal);
  }
  out(`Stopped; the state is saved in ${stateFileOf(o.key)} and the next run resumes from it.`);
  return EXIT.ok;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new AgentError(`${file} cannot be read.`);
  }
}
