// WAL checkpoints off the event loop. better-sqlite3 runs statements synchronously, and SQLite
// checkpoints the write-ahead log automatically inside the commit that crosses 1,000 pages: that
// commit copies the pages into the database file and waits for two fsyncs, and the whole server
// waits with it (about 40 ms every second under the product API's load: the p99 of every
// endpoint). Here a worker thread with its own connection checkpoints every half second
// (PASSIVE: it never waits for or blocks readers and writers), and the request thread's own
// automatic checkpoint only stands behind it if the worker cannot keep up. better-sqlite3 has no
// asynchronous API, so a thread of our own is the way to move the work (its documentation
// suggests the same for long checkpoints).
import { Worker } from "node:worker_threads";

/** Pages the request thread lets the log grow to before it checkpoints itself (SQLite's default: 1,000). */
export const BACKSTOP_PAGES = 20_000;
const INTERVAL_MS = 500;

// Run with `eval` so that no bundler has to find a separate file. better-sqlite3 is resolved from
// the working directory, the project root for every way the app and its tests are started.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy or the file is gone: the next tick tries again
  }
}, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m !== "close") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage("ready");
`;

export interface Checkpointer {
  close(): Promise<void>;
}

/** Starts checkpointing `file` (a SQLite database in WAL mode) on a worker thread; resolves once it runs. */
export function startCheckpointer(file: string): Promise<Checkpointer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, { eval: true, workerData: { file, intervalMs: INTERVAL_MS } });
    let exited = false;
    worker.once("exit", () => {
      exited = true;
    });
    worker.once("error", reject);
    worker.once("message", () => {
      worker.off("error", reject);
      worker.unref(); // once running, it never holds a process open
      // A worker that dies later only leaves the checkpoints to the request thread's backstop.
      worker.on("error", () => undefined);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            if (exited) return done();
            worker.ref(); // held open until it has closed its connection
            worker.once("exit", () => done());
            worker.postMessage("close");
          }),
      });
    });
  });
}
