// The production server for HTTP benchmarks: started on a data folder and database of the
// benchmark's own (scripts/start.ts builds it when needed), its peak memory, and its stop.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry), ...descendants(Number(entry)));
    } catch {
      // the process ended
    }
  }
  return out;
}

/** Peak resident memory (MB) of the Next.js server process while `work` runs, sampled every 100 ms. */
export async function withPeakRss<T>(server: ChildProcess, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = 0;
  // The launcher (tsx, scripts/start.ts) idles beside it; measure the server itself.
  const pids = descendants(server.pid!).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("next-server");
    } catch {
      return false;
    }
  });
  const sample = () => {
    let total = 0;
    for (const pid of pids) {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        total += m ? Number(m[1]) : 0;
      } catch {
        // gone
      }
    }
    peak = Math.max(peak, total / 1024);
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

export async function startServer(dataDir: string, databaseUrl: string, port: number): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "scripts/start.ts"], {
    cwd: path.resolve(__dirname, ".."),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: base,
      PULSE_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      PULSE_RATE_LIMIT_PER_ADDRESS: "100000000",
      PULSE_RATE_LIMIT_PER_LICENSE: "100000000",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not start");
}

export async function stopServer(child: ChildProcess) {
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    return;
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
}

