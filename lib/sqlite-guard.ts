// Protection against the SQLite transaction hazard of TOOLCHAIN.md: @prisma/adapter-better-sqlite3
// runs every query of a process on one connection, so a query that another request issues while
// a transaction is open would run inside that transaction (and be rolled back with it, or read
// its uncommitted rows). No library fixes this, so this wrapper does, at the driver-adapter level:
// a transaction's own statements reach the adapter through the Transaction object that
// startTransaction returns; every other query goes through the adapter itself and waits here
// until no transaction is open or queued. Transactions are kept short; a steady stream of
// overlapping transactions would make other queries wait until it pauses (no fairness queue).
// (The product API's key lookup does not wait: it reads on a connection of its own, lib/db.ts
// sqliteReader.)
import { AsyncLocalStorage } from "node:async_hooks";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** Set while a `$transaction(async (tx) => ...)` callback runs (see lib/db.ts). */
// On globalThis: Next loads this module once per bundle (routes, instrumentation), and a client's
// guard and its transaction callbacks must see one scope.
export const transactionScope = ((globalThis as unknown as { pulseTransactionScope?: AsyncLocalStorage<true> }).pulseTransactionScope ??= new AsyncLocalStorage<true>());

export class RootClientInTransactionError extends Error {
  constructor() {
    super(
      "A query on the root database client was issued inside a $transaction callback; it would wait for its own transaction. Use the transaction client (tx) instead.",
    );
    this.name = "RootClientInTransactionError";
  }
}

function guardAdapter(inner: SqlDriverAdapter): SqlDriverAdapter {
  let open = 0; // transactions started or waiting to start
  let waiters: (() => void)[] = [];

  const settle = () => {
    open -= 1;
    if (open === 0) {
      const ready = waiters;
      waiters = [];
      for (const wake of ready) wake();
    }
  };

  async function whenIdle(): Promise<void> {
    while (open > 0) {
      if (transactionScope.getStore()) throw new RootClientInTransactionError();
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  function guardTransaction(tx: Transaction): Transaction {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        settle();
      }
    };
    return new Proxy(tx, {
      get(target, prop) {
        if (prop === "commit" || prop === "rollback") {
          return async () => {
            try {
              await target[prop]();
            } finally {
              finish();
            }
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  return new Proxy(inner, {
    get(target, prop) {
      switch (prop) {
        case "queryRaw":
        case "executeRaw":
          return async (query: SqlQuery) => {
            await whenIdle();
            // better-sqlite3 runs the statement synchronously inside this call, so nothing can
            // open a transaction between the check above and the statement.
            return target[prop](query);
          };
        case "executeScript":
          return async (script: string) => {
            await whenIdle();
            return target.executeScript(script);
          };
        case "startTransaction":
          return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => {
            open += 1; // counted before it waits for the connection, so no root query slips in
            try {
              return guardTransaction(await target.startTransaction(...args));
            } catch (error) {
              settle();
              throw error;
            }
          };
        default: {
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  });
}

export function guardSqliteAdapterFactory(
  factory: SqlMigrationAwareDriverAdapterFactory,
  onConnect?: (adapter: SqlDriverAdapter) => Promise<void>,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      try {
        await onConnect?.(adapter);
      } catch (error) {
        await adapter.dispose().catch(() => undefined); // else each retry would leave a connection open
        throw error;
      }
      return guardAdapter(adapter);
    },
    async connectToShadowDb() {
      return guardAdapter(await factory.connectToShadowDb());
    },
  };
}
