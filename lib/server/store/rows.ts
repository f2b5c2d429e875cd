import "server-only";
import { kindOf, type Prisma, type Tx } from "../../db";

/**
 * The tables the fast paths write in bulk, with their rows typed from Prisma's generated
 * create inputs: a renamed or retyped column fails the type check here and in every caller.
 */
export interface Tables {
  AuditEvent: Prisma.AuditEventCreateManyInput;
  Event: Prisma.EventCreateManyInput;
  Installation: Prisma.InstallationCreateManyInput;
  Job: Prisma.JobCreateManyInput;
  KeyVersion: Prisma.KeyVersionCreateManyInput;
  LicenseExtension: Prisma.LicenseExtensionCreateManyInput;
  MonthlyReportLine: Prisma.MonthlyReportLineCreateManyInput;
  UpdateSession: Prisma.UpdateSessionCreateManyInput;
  UsageReport: Prisma.UsageReportCreateManyInput;
  UsageReportWorkload: Prisma.UsageReportWorkloadCreateManyInput;
}
export type TableName = keyof Tables;
export type Column<T extends TableName> = keyof Tables[T] & string;
/** A row with exactly the listed columns, each given (null where the column allows it). */
export type Row<T extends TableName, C extends Column<T>> = { [K in C]-?: Exclude<Tables[T][K], undefined> };

/** The rows of one table for insertRows / pgInsertCtes. */
export interface TableRows<T extends TableName> {
  table: T;
  columns: readonly Column<T>[];
  rows: readonly Partial<Tables[T]>[];
  /** An ON CONFLICT clause (same syntax on SQLite and PostgreSQL), for upserts. */
  onConflict?: string;
  /** PostgreSQL only (pgInsertCtes): a condition on each row, named `r`, against the rest of the statement. */
  where?: string;
  /** PostgreSQL only (pgInsertCtes): a RETURNING list, for the rest of the statement to read. */
  returning?: string;
}

/** The rows of any one table. */
export type AnyTableRows = { [T in TableName]: TableRows<T> }[TableName];

/** Rows of `table` with the columns `columns`: the one way to build a TableRows, so both are checked against the table; text is made well-formed (see wellFormed). */
export function tableRows<T extends TableName, C extends Column<T>>(
  table: T,
  columns: readonly C[],
  rows: readonly Row<T, C>[],
  options: Pick<AnyTableRows, "onConflict" | "where" | "returning"> = {},
): TableRows<T> {
  // Every text well-formed up front, so that the fast path and the reference write the same text.
  const clean = rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const c of columns) out[c] = wellFormed(out[c]);
    return out;
  });
  return { table, columns, rows: clean as unknown as readonly Partial<Tables[T]>[], ...options };
}

type Value = string | number | boolean | Date | null;

function valuesOf(t: AnyTableRows): Value[][] {
  return t.rows.map((row) =>
    t.columns.map((c) => {
      const v = (row as Record<string, unknown>)[c];
      if (v === undefined) throw new Error(`insertRows(${t.table}): a row has no value for ${c}`);
      return v as Value;
    }),
  );
}

/**
 * Inserts many rows of one table with one statement whose only parameter is the rows as JSON,
 * in the caller's transaction. Written here because Prisma's costs grow with every value it
 * binds: createMany costs about 0.65 ms a row on SQLite through the driver adapter (2,000 audit
 * events: 1.3 s), a multi-row VALUES list still 15 to 50 µs a row, while the database unpacks a
 * JSON array in C in a few µs a row. Table and column names come from this code (typed above),
 * never from input; every value travels inside the one bound parameter.
 *
 * SQLite: `json_each` over an array of row arrays, each column read with `->> i`; values are
 * written as the driver adapter writes them (booleans 1/0, dates ISO 8601 with +00:00).
 * PostgreSQL: `json_populate_recordset` with the table's own row type, so each value is converted
 * to its column's type (enums, timestamps, booleans) by the database.
 */
export async function insertRows(tx: Tx, t: AnyTableRows): Promise<number> {
  if (t.rows.length === 0) return 0;
  const values = valuesOf(t);
  if (kindOf(tx) === "postgresql") return tx.$executeRawUnsafe(pgInsertFromJson(t, "$1"), pgJsonRows(t.columns, values));
  const names = t.columns.map((c) => `"${c}"`).join(", ");
  const conflict = t.onConflict ? ` ${t.onConflict}` : "";
  const select = t.columns.map((_, i) => `value ->> ${i}`).join(", ");
  // "WHERE true": SQLite's grammar needs it between INSERT ... SELECT and an ON CONFLICT clause.
  return tx.$executeRawUnsafe(
    `INSERT INTO "${t.table}" (${names}) SELECT ${select} FROM json_each(?) WHERE true${conflict}`,
    JSON.stringify(values.map((row) => row.map(sqliteValue))),
  );
}

/**
 * Several tables' rows in the caller's transaction: on PostgreSQL as one statement (a
 * data-modifying WITH, one round trip), on SQLite one insertRows per table (a statement costs a
 * fraction of a round trip there).
 */
export async function insertAll(tx: Tx, tables: readonly AnyTableRows[]): Promise<void> {
  const nonEmpty = tables.filter((t) => t.rows.length > 0);
  if (nonEmpty.length === 0) return;
  if (kindOf(tx) === "postgresql") {
    const { ctes, params } = pgInsertCtes(nonEmpty, 1);
    await tx.$executeRawUnsafe(`WITH ${ctes} SELECT 1`, ...params);
    return;
  }
  for (const t of nonEmpty) await insertRows(tx, t);
}

/**
 * PostgreSQL: the INSERTs of `tables` as the items of a WITH clause ("w0 AS (INSERT ...), w1 AS
 * (...)"), each table's rows one JSON parameter numbered from `firstParam` on.
 */
export function pgInsertCtes(tables: readonly AnyTableRows[], firstParam: number): { ctes: string; params: string[] } {
  return {
    ctes: tables.map((t, i) => `w${i} AS (${pgInsertFromJson(t, `$${firstParam + i}`)})`).join(", "),
    params: tables.map((t) => pgJsonRows(t.columns, valuesOf(t))),
  };
}

/**
 * Well-formed text: a lone UTF-16 surrogate (which a product server can send in any string
 * field) becomes U+FFFD. In JSON it would travel as an escape that PostgreSQL refuses (failing
 * the whole batch) and SQLite decodes to invalid UTF-8.
 */
export function wellFormed<V>(v: V): V {
  return (typeof v === "string" ? v.toWellFormed() : v) as V;
}

/** A value as @prisma/adapter-better-sqlite3 stores it. */
function sqliteValue(v: Value): string | number | null {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return wellFormed(v);
}

function pgInsertFromJson(t: AnyTableRows, param: string): string {
  const names = t.columns.map((c) => `"${c}"`).join(", ");
  return (
    `INSERT INTO "${t.table}" (${names}) SELECT ${names} FROM json_populate_recordset(NULL::"${t.table}", ${param}::json) AS r` +
    (t.where ? ` WHERE ${t.where}` : "") +
    (t.onConflict ? ` ${t.onConflict}` : "") +
    (t.returning ? ` RETURNING ${t.returning}` : "")
  );
}

/** PostgreSQL: rows as the JSON parameter of pgInsertFromJson (objects keyed by column). */
function pgJsonRows(columns: readonly string[], rows: readonly Value[][]): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, wellFormed(row[i])]))));
}
