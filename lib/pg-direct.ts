// PostgreSQL without Prisma, for the statements of the product API's hot paths only (the
// authentication lookup, an update check's WITH, a report batch's transaction). They are already
// SQL of their own; run through Prisma, each costs about 0.3 ms of the server's thread in its
// query interpreter, tracing spans, async scopes and client proxies (CPU profile at 100 reports/s:
// Prisma's client was a sixth of the thread's time), which here is as much as PostgreSQL's own
// work. They run on the very pool the Prisma client uses (lib/db.ts), so the connection limit and
// the settings are one. Everything else goes through Prisma.
import "server-only";
import pg from "pg";
import { TRANSACTION_OPTIONS } from "./db";

/** Something that runs a query: the pool (a connection per query) or a transaction's connection. */
type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

const TIMESTAMP_OID = 1114;

/**
 * A `timestamp` (without time zone) column holds UTC, as Prisma writes it; node-postgres would
 * read it as the server's local time.
 */
function parseUtcTimestamp(text: string): Date {
  return new Date(`${text.replace(" ", "T")}Z`);
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID && format !== "binary" ? parseUtcTimestamp : pg.types.getTypeParser(oid, format ?? "text")) as pg.CustomTypesConfig["getTypeParser"],
};

/** A parameter as PostgreSQL reads it: a Date as its UTC instant (node-postgres sends local time). */
function param(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** The rows of one statement with $1, $2, ... parameters. */
export async function pgQuery<T>(on: Queryable, text: string, values: readonly unknown[] = []): Promise<T[]> {
  const result = await (on as pg.Pool).query({ text, values: values.map(param), types });
  return result.rows as T[];
}

/**
 * Runs `work` in a transaction on one connection of the pool: committed when it returns, rolled
 * back when it throws (and a connection whose rollback fails is closed, not reused). `begin` is
 * sent with BEGIN in the same round trip: statements without parameters that open the
 * transaction, such as its locks, and `read`, a last statement without parameters (its literals
 * escaped by the caller) whose rows `work` receives: a read that must run after the locks costs
 * no round trip of its own. Waiting for a connection is limited as Prisma's `maxWait` (the
 * pool's connectionTimeoutMillis, lib/db.ts); each statement, the lock waits included, as Prisma's
 * whole-transaction `timeout` (statement_timeout: PostgreSQL has no limit for a transaction).
 */
export async function pgTransaction<T, R = never>(
  pool: pg.Pool,
  work: (tx: pg.PoolClient, opened: R[]) => Promise<T>,
  begin: readonly string[] = [],
  read?: string,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out connection that fails (the server restarts, the backend is terminated) emits
  // "error"; the pool listens only to idle ones, and an unheard "error" ends the process. The
  // query in flight fails as well, which is what this transaction answers.
  const onError = (error: Error) => console.warn(`PostgreSQL: a connection failed during a transaction: ${error.message}`);
  client.on("error", onError);
  const release = (error?: Error) => {
    client.off("error", onError);
    client.release(error);
  };
  try {
    const statements = ["BEGIN", `SET LOCAL statement_timeout = ${TRANSACTION_OPTIONS.timeout}`, ...begin, ...(read ? [read] : [])];
    const results = (await client.query({ text: statements.join("; "), types })) as unknown as pg.QueryResult[];
    const out = await work(client, read ? (results[results.length - 1].rows as R[]) : []);
    // PostgreSQL answers COMMIT in a failed transaction (a statement error that `work` caught)
    // with a rollback, not an error.
    const commit = await client.query("COMMIT");
    if (commit.command !== "COMMIT") throw new Error(`PostgreSQL rolled the transaction back at COMMIT (${commit.command})`);
    release();
    return out;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
      release();
    } catch (rollback) {
      release(rollback instanceof Error ? rollback : new Error(String(rollback)));
    }
    throw error;
  }
}
