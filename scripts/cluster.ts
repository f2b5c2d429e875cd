// `npm run cluster:start` / `npm run cluster:stop`: two production instances of the same build on
// one PostgreSQL behind a local nginx, all on 127.0.0.1 (scripts/cluster-lib.ts).
//   PULSE_CLUSTER_DIR   run folder (nginx config, pid files, logs, the shared data folder); default ./.cluster
//   PULSE_CLUSTER_PORT  nginx's port, default 3000; the instances take the next two (3001, 3002)
//   DATABASE_URL        a PostgreSQL URL; without it a local one is started (scripts/pg.sh, PGDIR, PGPORT)
// Any other setting (PULSE_TEST_CLOCK, PULSE_RATE_LIMIT_PER_LICENSE, ...) is passed to both instances.
import path from "node:path";
import { readCluster, startCluster, stopCluster } from "./cluster-lib";

const runDir = path.resolve(process.env.PULSE_CLUSTER_DIR || path.join(__dirname, "../.cluster"));

async function main() {
  const command = process.argv[2];
  if (command === "stop") {
    const done = await stopCluster(runDir);
    if (done.length === 0) console.log(`Nothing to stop in ${runDir}.`);
    return;
  }
  if (command !== "start") {
    console.error("usage: tsx scripts/cluster.ts start|stop");
    process.exit(2);
  }
  const running = readCluster(runDir);
  if (running) {
    console.error(`A cluster is already recorded in ${runDir} (${running.url}): npm run cluster:stop first.`);
    process.exit(1);
  }
  const port = Number(process.env.PULSE_CLUSTER_PORT || 3000);
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    console.error("DATABASE_URL must be a postgresql:// URL: instances share one PostgreSQL (SQLite serves one process).");
    process.exit(2);
  }
  const cluster = await startCluster({ runDir, port, instancePorts: [port + 1, port + 2], databaseUrl });
  console.log(`Run folder: ${runDir} (logs: instance-1.log, instance-2.log, nginx-error.log, nginx-access.log)`);
  console.log(`Portal: ${cluster.url}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
