import "server-only";
import { dbKind, type Tx } from "../db";

type Value = string | number | boolean | Date | null;

/**
 * Bound parameters per statement: under SQLite's smallest compiled limit (999), far under
 * PostgreSQL's. (Measured: 30,000 a statement was no faster; the cost is per value, not per statement.)
 */
const MAX_PARAMS = 990;

/**
 * Inserts many rows of one table with multi-row INSERT statements, in the caller's transaction.
 * Written here because Prisma's createMany costs about 0.65 ms a row on SQLite through the driver
 * adapter (2,000 audit events: 1.3 s), which alone would break the one-second Submit Usage goal;
 * this sends one statement per few hundred rows. `table` and `columns` are identifiers from
 * our own code, never user input; every value is a bound parameter.
 */
export async function insertMany(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly Value[])[],
  options: {
    /** PostgreSQL types of columns that need a cast from a bound text value (enums). */
    pgCasts?: Readonly<Record<string, string>>;
    /** An ON CONFLICT clause (same syntax on SQLite and PostgreSQL), for upserts. */
    onConflict?: string;
  } = {},
): Promise<number> {
  const pgCasts = options.pgCasts ?? {};
  if (rows.length === 0) return 0;
  const pg = dbKind() === "postgresql";
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  let inserted = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: Value[] = [];
    const tuples = chunk.map((row) => {
      if (row.length !== columns.length) throw new Error(`insertMany(${table}): a row has ${row.length} values for ${columns.length} columns`);
      const marks = row.map((v, i) => {
        params.push(v);
        if (!pg) return "?";
        const cast = pgCasts[columns[i]];
        return cast ? `$${params.length}::"${cast}"` : `$${params.length}`;
      });
      return `(${marks.join(", ")})`;
    });
    inserted += await tx.$executeRawUnsafe(head + tuples.join(", ") + (options.onConflict ? ` ${options.onConflict}` : ""), ...params);
  }
  return inserted;
}
