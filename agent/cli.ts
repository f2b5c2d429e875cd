// `npm run agent -- <command>`: the product agent, a reference product server of PRODUCT-API.md.
//   check     one update check, installing a new key that verifies
//   report    one usage report (retried with the same report id after a connection failure)
//   run       a backup server with automatic license update and usage reporting, by the schedule
//   simulate  a fleet of servers and providers over months of virtual time, in process
// Exit codes: agent/core/errors.ts (EXIT). Expected failures print a plain message, no stack.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { AgentError, EXIT } from "./core/errors";
import { checkCommand, reportCommand, runCommand } from "./commands";

const out = (line: string) => console.log(line);

const number = (what: string, min: number, max = Infinity, integer = true) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new InvalidArgumentError(`${what} must be ${integer ? "a whole number" : "a number"} from ${min}${max === Infinity ? "" : ` to ${max}`}.`);
  }
  return n;
};
const rate = number("A rate", 0, 1, false);
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function program(): Command {
  const p = new Command("agent")
    .description("The product agent: a backup server's side of automatic license update and usage reporting (PRODUCT-API.md).")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  p.addHelpText("after", `
Exit codes: 0 ok; 2 bad usage or key file; 3 InvalidLicense; 4 UnsupportedLicenseType; 5 ContractTerminated;
6 GenerationFailed; 7 connection failure; 8 invalid answer; 9 report refused; 10 simulator invariant violated.`);

  p.command("check")
    .description("One update check, as a product performs it. On Success the new key is verified against the portal's JWKS and replaces FILE atomically (the previous key is kept as FILE.bak).")
    .requiredOption("--server <url>", "the portal, e.g. http://127.0.0.1:3000")
    .requiredOption("--key <file>", "the installed license key file")
    .option("--installation-id <id>", "this installation's id (default: the one in FILE.state.json, or a new one)")
    .action(async (o) => {
      process.exitCode = await checkCommand(o, out);
    });

  p.command("report")
    .description("Sends a usage report with a fresh report id; after a connection failure the same report id is sent again, so a retry is a duplicate, never a second report.")
    .requiredOption("--server <url>", "the portal")
    .requiredOption("--key <file>", "the installed license key file")
    .requiredOption("--period <YYYY-MM>", "the month reported")
    .addOption(new Option("--kind <kind>", "weekly or monthly").choices(["weekly", "monthly"]).default("weekly"))
    .requiredOption("--workload <TYPE=COUNT>", "a workload type and its count (repeat for more)", collect)
    .option("--installation-id <id>", "this installation's id")
    .option("--retries <n>", "retries after a connection failure", number("--retries", 0, 20), 3)
    .option("--report-id <id>", "send this report id (to finish a report that was not delivered)")
    .action(async (o) => {
      process.exitCode = await reportCommand(o, out);
    });

  p.command("run")
    .description("Behaves as a backup server with automatic license update and usage reporting enabled: checks by the schedule and retry rules, weekly reports, the monthly report at 00:00 UTC on the 1st, installs renewed keys, turns itself off on ContractTerminated and at the end of the retry period. Ctrl-C stops; the state beside the key resumes it.")
    .requiredOption("--server <url>", "the portal")
    .requiredOption("--key <file>", "the installed license key file")
    .option("--workloads <file>", "the workloads to report, JSON { \"VBR_VM\": 120 } (default: the key's workloads)")
    .option("--installation-id <id>", "this installation's id")
    .option("--test-clock", "follow the portal's test clock (GET /api/test/clock) instead of this machine's")
    .option("--poll <seconds>", "how often to look at the clock (default 60, or 1 with --test-clock)", number("--poll", 0.05, 3600, false))
    .option("--json", "print each session as a JSON line")
    .action(async (o) => {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        process.exitCode = await runCommand(o, out, stop.signal);
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });

  p.command("simulate")
    .description("A fleet of N product servers and their providers over M months of virtual time, in one process against the portal's own services on a throwaway database (no HTTP). Checks invariants at every step; prints a summary and writes a timeline picture (SVG).")
    .requiredOption("--licenses <n>", "how many licenses (one product server each)", number("--licenses", 1, 100_000))
    .requiredOption("--months <m>", "how many months of virtual time", number("--months", 1, 36))
    .option("--seed <s>", "the random seed (same seed, same run)", number("--seed", 0, 2 ** 31), 1)
    .option("--miss-rate <r>", "share of providers who never submit usage", rate, 0.1)
    .option("--late-rate <r>", "share of providers who submit after the due day", rate, 0.1)
    .option("--auto-submit-rate <r>", "share of providers who use automatic submission", rate, 0.2)
    .option("--manual-rate <r>", "share of servers without automatic license update (they never check or report)", rate, 0.25)
    .option("--outage <FROM..TO>", "the portal unreachable from FROM to TO (ISO dates or times; repeat for more)", collect)
    .option("--terminate <n>", "how many contracts are terminated halfway", number("--terminate", 0, 1000), 1)
    .option("--start <YYYY-MM-DD>", "the first virtual day", "2027-01-04")
    .option("--svg <file>", "where to write the timeline picture", "simulation.svg")
    .option("--db <kind>", "sqlite (default) or postgresql (DATABASE_URL_PG)", "sqlite")
    .option("--json", "print only the summary as JSON, without timings (byte-identical for the same seed)")
    .option("--no-progress", "no progress bar")
    .action(async (o) => {
      const { simulateCommand } = await import("./simulate/command");
      process.exitCode = await simulateCommand(o, out);
    });
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return error.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (error instanceof AgentError) {
      console.error(`error: ${error.message}`);
      return error.exitCode;
    }
    console.error(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.AGENT_DEBUG === "1" && error instanceof Error) console.error(error.stack);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
