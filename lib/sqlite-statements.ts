// Prepared-statement reuse for @prisma/adapter-better-sqlite3. The adapter prepares every query
// anew (`client.prepare(sql).bind(args)`), and preparing is a large share of a short query's
// cost: in a CPU profile of the update check under load it took more time than running the
// statements. The adapter has no option to keep statements, so this replaces `prepare` on its
// better-sqlite3 connection with one that keeps the most recently used statements and hands out
// a fresh binding of the kept statement each time. better-sqlite3 runs a statement to completion
// inside the call, so one statement is never used by two queries at once.
import type { Database, Statement } from "better-sqlite3";

/** Statements longer than this are not kept (bulk statements whose text changes with the row count). */
const MAX_SQL_LENGTH = 8_000;
const MAX_STATEMENTS = 400;

type Columns = ReturnType<Statement["columns"]>;

/** A kept statement, with its result columns (read once: better-sqlite3 builds them anew on every call). */
class Kept {
  private cols: Columns | undefined;
  constructor(readonly stmt: Statement) {}
  columns(): Columns {
    return (this.cols ??= this.stmt.columns());
  }
}

/** What the adapter calls on a prepared statement: `bind(args)`, then `reader`, `run`, `columns` or `raw().all`. */
class Bound {
  constructor(
    private readonly kept: Kept,
    private readonly args: unknown[],
  ) {}
  get reader(): boolean {
    return this.kept.stmt.reader;
  }
  run() {
    return this.kept.stmt.run(this.args);
  }
  columns() {
    return this.kept.columns();
  }
  raw() {
    return { all: () => this.kept.stmt.raw(true).all(this.args) };
  }
}

class Reusable {
  constructor(private readonly kept: Kept) {}
  bind(args: unknown[]) {
    return new Bound(this.kept, args);
  }
  run() {
    return this.kept.stmt.run();
  }
}

export function reusePreparedStatements(db: Database): void {
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, Kept>();
  (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    if (sql.length > MAX_SQL_LENGTH) return prepare(sql);
    let k = kept.get(sql);
    if (k) {
      kept.delete(sql); // most recently used last
    } else {
      k = new Kept(prepare(sql));
      if (kept.size >= MAX_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, k);
    return new Reusable(k);
  };
}

const readStatements = new WeakMap<Database, Map<string, Statement>>();

/**
 * The rows of one read on a better-sqlite3 connection of our own (lib/db.ts `sqliteReader`),
 * its statement prepared once per connection and text. For statements of fixed text only (the
 * kept statements are not evicted); the values are bound as they are, so no Dates.
 */
export function sqliteRead<T>(db: Database, sql: string, values: readonly unknown[]): T[] {
  let kept = readStatements.get(db);
  if (!kept) readStatements.set(db, (kept = new Map()));
  let stmt = kept.get(sql);
  if (!stmt) kept.set(sql, (stmt = db.prepare(sql)));
  return stmt.all(...values) as T[];
}
