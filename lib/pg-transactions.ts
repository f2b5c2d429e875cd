// PostgreSQL: one statement at a time on a transaction's connection. Prisma runs the relations of
// a select (`organization`, `contract` and `workloads` of a license, say) as separate queries and
// issues them all at once (its query plan's `join` node awaits them with Promise.all). On the
// root client each takes a connection of the pool; inside an interactive transaction they all
// reach the transaction's single connection while one is running, and node-postgres queues them
// with the deprecation warning "Calling client.query() when the client is already executing a
// query" (its next major version refuses them). No query of ours can avoid that short of giving
// up relation selects inside transactions, so this wrapper queues them here instead, in the
// order they were issued, exactly as node-postgres did. Independent reads of our own inside a
// transaction still run one after another by `reads()` (lib/db.ts).
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/** Makes a transaction's queryRaw and executeRaw (savepoints included) wait for the one before. */
function serialize(tx: Transaction): Transaction {
  let tail: Promise<unknown> = Promise.resolve();
  for (const method of ["queryRaw", "executeRaw"] as const) {
    const run = tx[method].bind(tx) as (query: Parameters<Transaction[typeof method]>[0]) => Promise<unknown>;
    (tx as unknown as Record<string, unknown>)[method] = (query: Parameters<Transaction[typeof method]>[0]) => {
      const result = tail.then(() => run(query));
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    };
  }
  return tx;
}

function serializeAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => serialize(await start(isolationLevel));
  return adapter;
}

/** The PostgreSQL adapter factory, with transactions that send one statement at a time. */
export function serializePgTransactions(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      return serializeAdapter(await factory.connect());
    },
    async connectToShadowDb() {
      return serializeAdapter(await factory.connectToShadowDb());
    },
  };
}
