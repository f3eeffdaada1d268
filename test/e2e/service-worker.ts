// An indexer in a process of its own, for the kill -9 tests (test/e2e/service-kill.test.ts):
// `node --import tsx test/e2e/service-worker.ts <config.json>`. It prints "indexing" once its store
// is open, then catches up and exits 0. With "stallRollback", it stops inside the rollback's
// transaction (after its first delete) and prints "rolling back", so that the test can kill it there.
import { readFileSync } from "node:fs";

import { JsonRpcProvider } from "ethers";

import { Indexer } from "../../service/indexer/indexer.js";
import { type Database, openDatabase, type Queryable, type Row } from "../../service/store/database.js";
import { migrate } from "../../service/store/migrate.js";

interface WorkerConfig {
  rpcUrl: string;
  databaseUrl?: string;
  dataDir?: string;
  contracts: { IntentVerifier: string; SolverRegistry: string };
  startBlock: number;
  batchSize: number;
  stallRollback?: boolean;
}

const config = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as WorkerConfig;
const opened = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
await migrate(opened);

function stalling(db: Database): Database {
  const stall = (tx: Queryable): Queryable => ({
    query: async <T extends Row>(sql: string, params?: unknown[]) => {
      const rows = await tx.query<T>(sql, params);
      if (sql.startsWith("DELETE FROM chain_events WHERE block_number >")) {
        console.log("rolling back");
        await new Promise(() => {}); // held here, the transaction open, until the test kills us
      }
      return rows;
    },
  });
  return { ...db, transaction: (work) => db.transaction((tx) => work(stall(tx))) };
}

const db = config.stallRollback === true ? stalling(opened) : opened;
const provider = new JsonRpcProvider(config.rpcUrl, undefined, { staticNetwork: true });
const indexer = new Indexer({
  db,
  provider,
  chainId: 31337,
  contracts: config.contracts,
  startBlock: config.startBlock,
  batchSize: config.batchSize,
  onRetry: ({ from, to, attempt }) => console.error(`retrying blocks ${from}-${to} (attempt ${attempt})`),
  onReorg: (reorg) => console.error(`rolled back to block ${reorg.keptBlock}`),
});
console.log("indexing");
await indexer.catchUp();
provider.destroy();
await opened.close();
console.log("caught up");
