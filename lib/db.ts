// The database client: SQLite (default, a file in the data folder) or PostgreSQL when
// DATABASE_URL=postgresql://... Both clients are generated from the same schema, so they have
// the same API; the SQLite client's types stand for both.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseKind, databaseUrl, secureSqliteFile, type DatabaseKind } from "./config";
import { PrismaClient as PgClient } from "./generated/pg/client";
import { Prisma, PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { serializePgTransactions } from "./pg-transactions";
import { guardSqliteAdapterFactory, transactionScope } from "./sqlite-guard";
import { BACKSTOP_PAGES, startCheckpointer, type Checkpointer } from "./sqlite-checkpointer";
import { reusePreparedStatements } from "./sqlite-statements";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import BetterSqlite3, { type Database } from "better-sqlite3";
import pg from "pg";

export { Prisma };
export type Db = SqliteClient;
export type Tx = Prisma.TransactionClient;

export interface CreateDbOptions {
  url?: string;
  /** Only for the test that proves the guard is needed. */
  unguarded?: boolean;
}

/** Interactive transactions' limits: waiting for a connection, and the whole transaction. */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

export function createDb(options: CreateDbOptions = {}): Db {
  const url = options.url ?? databaseUrl();
  const kind = databaseKind(url);
  if (kind === "postgresql") {
    // The pool is made here, not by the adapter, so that lib/pg-direct.ts can use it too; the
    // client's $disconnect ends it.
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.PULSE_PG_POOL_SIZE || 10),
      connectionTimeoutMillis: TRANSACTION_OPTIONS.maxWait,
    });
    // An idle connection that fails (the server restarted) is dropped by the pool; without a
    // listener its "error" would end the process before Prisma's first query adds one.
    pool.on("error", (error) => console.warn(`PostgreSQL: an idle connection failed: ${error.message}`));
    // One statement at a time on a transaction's connection (lib/pg-transactions.ts).
    const adapter = serializePgTransactions(new PrismaPg(pool, { disposeExternalPool: true }));
    const client = new PgClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
    markTransactionCallbacks(client, "postgresql");
    poolOf.set(client, pool);
    return client as unknown as Db;
  }
  secureSqliteFile(url);
  const raw = new PrismaBetterSqlite3({ url, timeout: 10_000 });
  const reader: Reader = {};
  const adapter = options.unguarded
    ? raw
    : guardSqliteAdapterFactory(raw, (a) => tuneSqlite(a, url.replace(/^file:/, ""), reader));
  const client = new SqliteClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
  if (!options.unguarded) {
    markTransactionCallbacks(client, "sqlite");
    readerOf.set(client, reader);
  }
  return client;
}

/** SQLite: the client's read connection (see sqliteReader), open while the client is connected. */
interface Reader {
  db?: Database;
}

/**
 * What this module knows about the clients it made, kept on globalThis: Next's production server
 * loads this module more than once (the instrumentation hook that starts the background runner has
 * a bundle of its own beside the routes'), and a client made by one copy is used by the others.
 */
const registry = ((globalThis as unknown as { pulseDbRegistry?: Registry }).pulseDbRegistry ??= {
  readerOf: new WeakMap(),
  transactionClients: new WeakMap(),
  kindOfClient: new WeakMap(),
  poolOf: new WeakMap(),
});
interface Registry {
  readerOf: WeakMap<object, Reader>;
  /** The clients that interactive transactions hand to their callbacks (see `reads`), with their database's kind. */
  transactionClients: WeakMap<object, DatabaseKind>;
  /** Each client's database kind (see kindOf). */
  kindOfClient: WeakMap<object, DatabaseKind>;
  /** PostgreSQL: each client's pool (see pgPool). */
  poolOf: WeakMap<object, pg.Pool>;
}
const { readerOf, transactionClients, kindOfClient, poolOf } = registry;

/**
 * The connection's settings: WAL so readers never block the writer, foreign keys as PostgreSQL
 * enforces them, prepared statements kept (lib/sqlite-statements.ts) and checkpoints on a worker
 * thread (lib/sqlite-checkpointer.ts); and the read connection (see sqliteReader).
 */
async function tuneSqlite(adapter: SqlDriverAdapter, file: string, reader: Reader): Promise<void> {
  await adapter.executeScript("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
  const connection = (adapter as unknown as { client?: Database }).client;
  if (typeof connection?.prepare !== "function") {
    throw new Error("@prisma/adapter-better-sqlite3 no longer keeps its connection in `client`: lib/sqlite-statements.ts needs a new hook");
  }
  reusePreparedStatements(connection);
  let checkpointer: Checkpointer | undefined;
  try {
    checkpointer = await startCheckpointer(file);
  } catch (error) {
    console.warn(`SQLite checkpoints stay on the request thread: the checkpoint worker did not start (${error instanceof Error ? error.message : error})`);
  }
  try {
    if (checkpointer) await adapter.executeScript(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES};`);
  } catch (error) {
    await checkpointer?.close();
    throw error;
  }
  if (file !== ":memory:" && file !== "") reader.db = openReader(file);
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    reader.db?.close();
    reader.db = undefined;
    await checkpointer?.close();
    await dispose();
  };
}

/**
 * How long a read on the read connection waits for a lock. In WAL mode it waits only behind
 * another process's exclusive lock (a migration, a change of journal mode); the wait blocks the
 * thread, so it is short: the lookup fails rather than stall every request.
 */
const READER_BUSY_MS = 1_000;

/** The read connection (see sqliteReader), or undefined when it cannot serve: the lookup then goes through Prisma. */
export function openReader(file: string): Database | undefined {
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true, timeout: READER_BUSY_MS });
    db.pragma("query_only = ON");
    // Without WAL (a file system without shared memory) a reader waits for the writer's locks, on
    // the very thread the writer needs to finish.
    if (db.pragma("journal_mode", { simple: true }) === "wal") return db;
    console.warn("SQLite: the database is not in WAL mode; the key lookup stays on Prisma's connection");
  } catch (error) {
    console.warn(`SQLite: the read connection did not open (${error instanceof Error ? error.message : error}); the key lookup stays on Prisma's connection`);
  }
  db?.close();
  return undefined;
}


/**
 * The kind of database a client (or a transaction client) talks to: the statements of
 * lib/server/store/ that differ by dialect ask the client they run on, not the environment (a
 * script may hold a client for another URL than DATABASE_URL).
 */
export function kindOf(client: Tx | Db): DatabaseKind {
  return transactionClients.get(client) ?? kindOfClient.get(client) ?? dbKind();
}

/**
 * Runs every interactive transaction callback inside `transactionScope`, so that the SQLite
 * guard can refuse at once a root-client query made inside it (instead of a deadlock), and
 * remembers its client as a transaction client.
 */
function markTransactionCallbacks(client: SqliteClient | PgClient, kind: DatabaseKind) {
  kindOfClient.set(client, kind);
  const original = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { $transaction: unknown }).$transaction = (arg: unknown, options?: unknown) =>
    typeof arg === "function"
      ? original((tx: object) => {
          transactionClients.set(tx, kind);
          return transactionScope.run(true, () => (arg as (t: unknown) => unknown)(tx));
        }, options)
      : original(arg, options);
}

const globalForDb = globalThis as unknown as { pulseDb?: Db; pulseDbUrl?: string };


/**
 * PostgreSQL: the connection pool under the shared client, for the few statements that run
 * without Prisma (lib/pg-direct.ts); null on SQLite.
 */
export function pgPool(): pg.Pool | null {
  return poolOf.get(getDb()) ?? null;
}

/**
 * SQLite: a second connection to the shared client's file, for the product API's key lookup
 * (lib/server/product-auth.ts), while the client is connected and its file is in WAL mode; null
 * otherwise (before the first query, after $disconnect, in memory) and on PostgreSQL. Every
 * query through Prisma waits while an interactive transaction is open (lib/sqlite-guard.ts: the
 * adapter has one connection) and costs Prisma's own 0.3 ms or more;
 * a read here runs at once, synchronously, and sees what is committed, never another request's
 * open transaction. Only for reads: a write here would wait for Prisma's transactions on the
 * SQLite lock while blocking the thread they need to finish.
 */
export function sqliteReader(): Database | null {
  return sqliteReaderOf(getDb());
}

/** A SQLite client's read connection (see sqliteReader). */
export function sqliteReaderOf(client: Db): Database | null {
  return readerOf.get(client)?.db ?? null;
}

/** The process's shared client, created on first use (so tests can set DATABASE_URL first). */
export function getDb(): Db {
  const url = databaseUrl();
  // A client whose $disconnect ended its pool is replaced: Prisma would open a pool of its own,
  // and pgPool() would hand out the ended one.
  if (!globalForDb.pulseDb || globalForDb.pulseDbUrl !== url || poolOf.get(globalForDb.pulseDb)?.ended) {
    globalForDb.pulseDb = createDb({ url });
    globalForDb.pulseDbUrl = url;
  }
  return globalForDb.pulseDb;
}

export function dbKind(): DatabaseKind {
  return databaseKind(databaseUrl());
}

/**
 * True when `error` is a unique-constraint violation: P2002 from Prisma's model queries on either
 * database, 23505 from node-postgres (lib/pg-direct.ts). Prisma reports a raw statement's
 * violation as P2010, which this does not take for one.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "P2002" || (error instanceof pg.DatabaseError && code === "23505");
}

/** `text` with LIKE's wildcards (% and _) and its escape character taken literally (PostgreSQL's LIKE escapes with a backslash). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A case-insensitive "contains" filter on one of `columns` of an organization's rows, in which %
 * and _ are plain characters (a search for "LIC_1" does not match "LIC-1"). PostgreSQL: Prisma's
 * ILIKE with the wildcards escaped. SQLite: Prisma's LIKE (which ignores ASCII case) has no
 * ESCAPE clause, so a text with a wildcard is matched with instr() by a query of the row ids.
 */
export async function containsText(
  table: "License" | "AuditEvent",
  columns: readonly string[],
  organizationId: string,
  text: string,
): Promise<{ OR: Record<string, unknown>[] } | { id: { in: string[] } }> {
  if (dbKind() === "sqlite" && /[%_]/.test(text)) {
    // The table and column names are the callers' constants, never input.
    const matches = Prisma.join(columns.map((c) => Prisma.sql`instr(lower(COALESCE(${Prisma.raw(`"${c}"`)}, '')), lower(${text})) > 0`), " OR ");
    const rows = await getDb().$queryRaw<{ id: string }[]>`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE "organizationId" = ${organizationId} AND (${matches})`;
    return { id: { in: rows.map((r) => r.id) } };
  }
  const filter = dbKind() === "postgresql" ? { contains: escapeLike(text), mode: "insensitive" } : { contains: text };
  return { OR: columns.map((c) => ({ [c]: filter })) };
}

/**
 * Independent reads: at once on the root client (a pool of connections on PostgreSQL), one after
 * another on a transaction client, whose single connection takes one query at a time
 * (node-postgres would queue the others with a deprecation warning, and its next major version
 * refuses them; lib/pg-transactions.ts queues what Prisma itself sends at once).
 */
export async function reads<T extends readonly (() => Promise<unknown>)[]>(
  client: Tx | Db,
  ...queries: T
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  type Out = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  if (!transactionClients.has(client)) return (await Promise.all(queries.map((q) => q()))) as Out;
  const out: unknown[] = [];
  for (const q of queries) out.push(await q());
  return out as Out;
}
