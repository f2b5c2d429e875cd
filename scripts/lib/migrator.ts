// Applies and authors Prisma migrations through @prisma/schema-engine-wasm, because the Prisma
// CLI's native schema engine cannot be downloaded on these machines (TOOLCHAIN.md). The folders
// stay in Prisma's standard format, so `prisma migrate deploy` works on them where it can run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { databaseKind, secureSqliteFile, type DatabaseKind } from "../../lib/config";
import { postgresSchemaText, SQLITE_SCHEMA } from "../generate";

const root = path.resolve(__dirname, "../..");
export const MIGRATIONS_DIR: Record<DatabaseKind, string> = {
  sqlite: path.join(root, "prisma/migrations"),
  postgresql: path.join(root, "prisma/postgresql/migrations"),
};
const FILTERS = { externalTables: [], externalEnums: [] };

type Engine = {
  applyMigrations(i: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(i: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  markMigrationRolledBack(i: { migrationName: string }): Promise<unknown>;
  diagnoseMigrationHistory(i: unknown): Promise<{ failedMigrationNames: string[] }>;
};

function schemaText(kind: DatabaseKind): string {
  return kind === "sqlite" ? readFileSync(SQLITE_SCHEMA, "utf8") : postgresSchemaText();
}

/**
 * The engine's catalog queries return PostgreSQL's internal "char" type (OID 18, array 1002),
 * which @prisma/adapter-pg cannot map; relabel those columns as text / text[].
 */
function relabelCharColumns<T extends object>(queryable: T): T {
  const q = queryable as unknown as { performIO: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }> };
  const original = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await original(query);
    for (const field of result.fields) {
      if (field.dataTypeID === 18) field.dataTypeID = 25;
      else if (field.dataTypeID === 1002) field.dataTypeID = 1009;
    }
    return result;
  };
  return queryable;
}

function adapterFactory(url: string) {
  if (databaseKind(url) === "sqlite") {
    secureSqliteFile(url);
    return new PrismaBetterSqlite3({ url });
  }
  const pg = new PrismaPg({ connectionString: url, max: 2 });
  return {
    provider: pg.provider,
    adapterName: pg.adapterName,
    async connect() {
      const adapter = relabelCharColumns(await pg.connect());
      const start = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (level) => relabelCharColumns(await start(level));
      return adapter;
    },
    async connectToShadowDb() {
      return relabelCharColumns(await pg.connectToShadowDb());
    },
  };
}

/** The wasm module is instantiated once per process: a second instance of it panics. */
let wasm: Promise<unknown> | undefined;
function loadWasm(): Promise<unknown> {
  wasm ??= (async () => {
  // The engine reports a Rust panic through this global before it throws; keep the message.
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        console.error(`schema engine panic: ${message}`);
      },
    };
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { "./schema_engine_bg.js": bg as never });
    const exports = instance.exports as Record<string, unknown>;
    (bg as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(exports);
    if (typeof exports.__wbindgen_start === "function") (exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return wasm;
}

async function openEngine(url: string): Promise<{ engine: Engine; close: () => Promise<void> }> {
  const kind = databaseKind(url);
  const bg = await loadWasm();
  // Keep every connection the engine opens, to close them when done: the engine puts SQLite in
  // exclusive locking mode, so an open connection would lock other clients out of the file.
  const inner = adapterFactory(url);
  const opened: { dispose(): Promise<void> }[] = [];
  const factory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const a = await inner.connect();
      opened.push(a);
      return a;
    },
    connectToShadowDb: async () => {
      const a = await inner.connectToShadowDb();
      opened.push(a);
      return a;
    },
  };
  const bound = bindMigrationAwareSqlAdapterFactory(factory as never);
  const schemaPath = kind === "sqlite" ? SQLITE_SCHEMA : path.join(root, "prisma/postgresql/schema.prisma");
  const SchemaEngine = (bg as unknown as { SchemaEngine: { new: (...a: unknown[]) => Promise<Engine & { free(): void }> } }).SchemaEngine;
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText(kind)]] },
    (log: string) => {
      if (process.env.PULSE_MIGRATE_DEBUG) console.error(log);
    },
    bound,
  );
  return {
    engine,
    close: async () => {
      engine.free();
      // Closes the SQLite file, or ends the pg pool (which would keep the process alive ~10 s).
      for (const adapter of opened) await adapter.dispose().catch(() => undefined);
    },
  };
}

function migrationsList(kind: DatabaseKind) {
  const baseDir = MIGRATIONS_DIR[kind];
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = path.join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

/** Applies every pending migration; returns the names applied. */
export async function deployMigrations(url: string): Promise<string[]> {
  const kind = databaseKind(url);
  const list = migrationsList(kind);
  if (list.migrationDirectories.length === 0) return [];
  const { engine, close } = await openEngine(url);
  try {
    const out = await engine.applyMigrations({ migrationsList: list, filters: FILTERS });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * Applies the migrations folder to the (scratch) database at `url`, then returns the SQL that
 * takes it to the current schema. One engine does both: on SQLite the engine holds an exclusive
 * lock on its connection, so a second connection could not read the migrated file.
 */
export async function diffSql(url: string): Promise<string> {
  const kind = databaseKind(url);
  const list = migrationsList(kind);
  const { engine, close } = await openEngine(url);
  try {
    if (list.migrationDirectories.length > 0) {
      await engine.applyMigrations({ migrationsList: list, filters: FILTERS });
    }
    const schemaPath = kind === "sqlite" ? SQLITE_SCHEMA : path.join(root, "prisma/postgresql/schema.prisma");
    let captured = "";
    const write = process.stdout.write.bind(process.stdout);
    // The engine prints the script to stdout in some versions; capture both channels.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      captured += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
    let result: { stdout: string | null };
    try {
      result = await engine.diff({
        from: { tag: "schemaDatasource", files: [{ path: schemaPath, content: schemaText(kind) }], configDir: root },
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schemaText(kind) }] },
        script: true,
        exitCode: null,
        filters: FILTERS,
      });
    } finally {
      process.stdout.write = write;
    }
    return result.stdout ?? captured;
  } finally {
    await close();
  }
}

export async function markRolledBack(url: string, migrationName: string): Promise<void> {
  const { engine, close } = await openEngine(url);
  try {
    await engine.markMigrationRolledBack({ migrationName });
  } finally {
    await close();
  }
}
