// The production build, served for the tests of test/production (vitest project "production",
// run by `npm test` after the end-to-end tests, which leave a current build behind):
// - prepareProduction(): migrations and demo data for a data folder (or a PostgreSQL URL) and the
//   build when it is missing or outdated, as `npm start` does (scripts/start.ts --prepare);
// - startProduction(): `next start` on 127.0.0.1 in its own process group, so that a test can
//   SIGKILL it (crash tests) and start it again on the same data.
// Ports come from PULSE_PROD_TEST_PORTS (default 3300-3399): the first free one.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const tsxBin = path.join(root, "node_modules/.bin/tsx");

export interface ProductionOptions {
  /** The data folder (signing keys, secrets, the SQLite file unless databaseUrl is given); default a fresh temporary one. */
  dataDir?: string;
  /** DATABASE_URL; default the SQLite file of the data folder. */
  databaseUrl?: string;
  /** More environment (PULSE_TEST_CLOCK, PULSE_TRUSTED_PROXIES, rate limits, ...). */
  env?: Record<string, string | undefined>;
  /** A fixed port; default the first free one of PULSE_PROD_TEST_PORTS. */
  port?: number;
}

export interface ProductionServer {
  url: string;
  port: number;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** What the server printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL to the server's process group: no shutdown code runs. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** Starts `next start` again on the same data folder, database and port. */
  restart(): Promise<void>;
}

/**
 * This worker's share of PULSE_PROD_TEST_PORTS: vitest runs two production test files at once,
 * and a port found free by one (a cluster prepares for seconds before it listens) must not be
 * taken by the other meanwhile, so each worker (VITEST_POOL_ID) searches its own quarter.
 */
function portRange(): [number, number] {
  const [from, to] = (process.env.PULSE_PROD_TEST_PORTS ?? "3300-3399").split("-").map(Number);
  const share = Math.floor((to - from + 1) / 4);
  if (share < 5) return [from, to];
  const slot = (Number(process.env.VITEST_POOL_ID ?? 1) - 1) % 4;
  return [from + slot * share, from + (slot + 1) * share - 1];
}

let nextPort = 0;
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** The first free port of this worker's share on 127.0.0.1 (each call moves on, so two servers never get the same). */
export async function freePort(): Promise<number> {
  const [from, to] = portRange();
  for (let i = 0; i <= to - from; i++) {
    const port = from + ((nextPort + i) % (to - from + 1));
    if (await isFree(port)) {
      nextPort = port - from + 1;
      return port;
    }
  }
  throw new Error(`No free port in ${from}-${to} (this worker's share of PULSE_PROD_TEST_PORTS)`);
}

function environment(options: ProductionOptions, dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PULSE_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    ...options.env,
  };
  // The tests' own settings never leak into the server unless asked for.
  delete env.PULSE_TEST_DB;
  delete env.VITEST;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** Migrations, demo data and (when outdated) the build for these options; throws with the output when it fails. */
export function prepareProduction(env: NodeJS.ProcessEnv): void {
  const r = spawnSync(tsxBin, ["--conditions=react-server", "scripts/start.ts", "--prepare"], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/start.ts --prepare failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`next start exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`The production server did not become healthy within ${timeoutMs} ms:\n${output()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Prepares and starts the production server; stop it in afterAll. */
export async function startProduction(options: ProductionOptions = {}): Promise<ProductionServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "pulse-prod-"));
  const port = options.port ?? (await freePort());
  const env = environment(options, dataDir, port);
  const url = `http://127.0.0.1:${port}`;
  prepareProduction(env);

  let log = "";
  let child!: ChildProcess;
  const output = () => log;
  const launch = async () => {
    child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (d) => (log += d));
    child.stderr?.on("data", (d) => (log += d));
    await waitForHealth(url, child, output);
  };
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  await launch();
  return {
    url,
    port,
    dataDir,
    env,
    output,
    async kill() {
      signalGroup("SIGKILL");
      await exited(child);
    },
    async stop() {
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
    async restart() {
      await launch();
    },
  };
}
