import "server-only";
import { dbKind, type Tx } from "../db";

export type Value = string | number | boolean | Date | null;

/**
 * Inserts many rows of one table with one statement whose only parameter is the rows as JSON,
 * in the caller's transaction. Written here because Prisma's costs grow with every value it binds:
 * createMany costs about 0.65 ms a row on SQLite through the driver adapter (2,000 audit events:
 * 1.3 s), and a multi-row VALUES list still 15 to 50 µs a row, while the database unpacks a JSON
 * array in C in a few µs a row. `table` and `columns` are identifiers from our own code, never
 * user input; every value travels inside the one bound parameter.
 *
 * SQLite: `json_each` over an array of row arrays, each column read with `->> i`; values are
 * written as the driver adapter writes them (booleans 1/0, dates ISO 8601 with +00:00).
 * PostgreSQL: `json_populate_recordset` with the table's own row type, so each value is converted
 * to its column's type (enums, timestamps, booleans) by the database.
 */
export async function insertMany(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly Value[])[],
  options: {
    /** An ON CONFLICT clause (same syntax on SQLite and PostgreSQL), for upserts. */
    onConflict?: string;
  } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`insertMany(${table}): a row has ${row.length} values for ${columns.length} columns`);
  }
  if (dbKind() === "postgresql") {
    return tx.$executeRawUnsafe(pgInsertFromJson(table, columns, "$1", options), pgJsonRows(columns, rows));
  }
  const names = columns.map((c) => `"${c}"`).join(", ");
  const conflict = options.onConflict ? ` ${options.onConflict}` : "";
  const values = columns.map((_, i) => `value ->> ${i}`).join(", ");
  // "WHERE true": SQLite's grammar needs it between INSERT ... SELECT and an ON CONFLICT clause.
  return tx.$executeRawUnsafe(
    `INSERT INTO "${table}" (${names}) SELECT ${values} FROM json_each(?) WHERE true${conflict}`,
    JSON.stringify(rows.map((row) => row.map(sqliteValue))),
  );
}

/**
 * Well-formed text: a lone UTF-16 surrogate (which a
 * product server can send in any string field) becomes U+FFFD. In JSON it would travel as an
 * escape that PostgreSQL refuses (failing the whole batch) and SQLite decodes to invalid UTF-8.
 */
function text(v: Value): Value {
  return typeof v === "string" ? v.toWellFormed() : v;
}

/** A value as @prisma/adapter-better-sqlite3 stores it. */
function sqliteValue(v: Value): string | number | null {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return text(v) as string | number | null;
}

/** The rows of one table for insertAll / pgInserts. */
export interface TableRows {
  table: string;
  columns: readonly string[];
  rows: readonly (readonly Value[])[];
  onConflict?: string;
  /** PostgreSQL only (pgInserts): a condition on each row, named `r`, against the rest of the statement. */
  where?: string;
  /** PostgreSQL only (pgInserts): a RETURNING list, for the rest of the statement to read. */
  returning?: string;
}

/**
 * Several tables' rows in the caller's transaction: on PostgreSQL as one statement (a
 * data-modifying WITH, one round trip: there every statement is a round trip through Prisma and
 * node-postgres), on SQLite one insertMany per table (a statement costs a fraction of that there).
 */
export async function insertAll(tx: Tx, tables: readonly TableRows[]): Promise<void> {
  const nonEmpty = tables.filter((t) => t.rows.length > 0);
  if (nonEmpty.length === 0) return;
  if (dbKind() === "postgresql") {
    const { ctes, params } = pgInserts(nonEmpty, 1);
    await tx.$executeRawUnsafe(`WITH ${ctes} SELECT 1`, ...params);
    return;
  }
  for (const t of nonEmpty) await insertMany(tx, t.table, t.columns, t.rows, { onConflict: t.onConflict });
}

/**
 * PostgreSQL: the INSERTs of `tables` as the items of a WITH clause ("w0 AS (INSERT ...), w1 AS
 * (...)"), each table's rows one JSON parameter numbered from `firstParam` on.
 */
export function pgInserts(tables: readonly TableRows[], firstParam: number): { ctes: string; params: string[] } {
  return {
    ctes: tables.map((t, i) => `w${i} AS (${pgInsertFromJson(t.table, t.columns, `$${firstParam + i}`, t)})`).join(", "),
    params: tables.map((t) => pgJsonRows(t.columns, t.rows)),
  };
}

/**
 * PostgreSQL: the INSERT of insertMany with its rows in the JSON parameter `param` (such as "$3"),
 * alone or as an item of a WITH clause. `where` may filter the rows, each named `r`.
 */
function pgInsertFromJson(table: string, columns: readonly string[], param: string, options: { where?: string; onConflict?: string; returning?: string } = {}): string {
  const names = columns.map((c) => `"${c}"`).join(", ");
  return (
    `INSERT INTO "${table}" (${names}) SELECT ${names} FROM json_populate_recordset(NULL::"${table}", ${param}::json) AS r` +
    (options.where ? ` WHERE ${options.where}` : "") +
    (options.onConflict ? ` ${options.onConflict}` : "") +
    (options.returning ? ` RETURNING ${options.returning}` : "")
  );
}

/** PostgreSQL: rows as the JSON parameter of pgInsertFromJson (objects keyed by column). */
function pgJsonRows(columns: readonly string[], rows: readonly (readonly Value[])[]): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, text(row[i])]))));
}
