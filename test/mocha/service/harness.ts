// What the service's tests share: a system deployed on a real anvil, activity that emits every
// kind of intent and solver event, a canonical dump of the store, and a throwaway Postgres.
import { JsonRpcProvider } from "ethers";
import { network } from "hardhat";

import { rpc, startLocalChain, type LocalChain } from "../../../scripts/lib/local-chain.js";
import { Indexer, type IndexerOptions } from "../../../service/indexer/indexer.js";
import { type Database, openDatabase } from "../../../service/store/database.js";
import { migrate } from "../../../service/store/migrate.js";
import { E18, MIN_BOND, systemFixture } from "../fixtures.js";

export type System = Awaited<ReturnType<typeof systemFixture>>;

export interface ChainWithSystem {
  chain: LocalChain;
  provider: JsonRpcProvider;
  f: System;
  startBlock: number;
  stop(): Promise<void>;
}

export async function chainWithSystem(): Promise<ChainWithSystem> {
  const chain = await startLocalChain();
  let connection: Awaited<ReturnType<typeof network.create>> | undefined;
  let startBlock: number;
  let f: System;
  try {
    connection = await network.create({ network: "localhost", override: { url: chain.url } });
    startBlock = (await connection.ethers.provider.getBlockNumber()) + 1;
    f = await systemFixture(connection.ethers);
    // A second solver with a deep bond takes the claims that lapse: a slash never suspends it.
    await (await f.registry.connect(f.otherSolver).register(5n * MIN_BOND)).wait();
  } catch (error) {
    // A chain left running would keep mocha's process alive after the failure.
    await connection?.close().catch(() => {});
    await chain.stop();
    throw error;
  }
  const open = connection;
  const provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true, pollingInterval: 50 });
  return {
    chain,
    provider,
    f,
    startBlock,
    stop: async () => {
      provider.destroy();
      await open.close();
      await chain.stop();
    },
  };
}

/**
 * Intents through every path: submitted and relayed, claimed, fulfilled, filled in one
 * transaction, cancelled, and a claim that lapses and is failed (a slash).
 */
export async function activity(f: System, provider: JsonRpcProvider): Promise<void> {
  // Nonces from the chain: a reorg may have dropped intents that the fixture's counter counted.
  let nonce = await f.verifier.nextNonce(f.user.address);
  const next = () => ({ nonce: nonce++ });
  const swap = await f.swapIntent(next());
  await (await f.verifier.connect(f.user).submit(swap)).wait();
  const swapId = await f.verifier.hashIntent(swap);
  await (await f.verifier.connect(f.solver).claim(swapId)).wait();
  await (
    await f.verifier
      .connect(f.solver)
      .fulfill(swap, { amountOut: 3_000n * E18, gasUsed: 120_000n, totalCost: 7n, refs: [] })
  ).wait();

  const relayed = await f.transferIntent(next());
  await (await f.verifier.connect(f.relayer).submitWithSignature(relayed, await f.sign(f.user, relayed))).wait();
  await (await f.verifier.connect(f.user).cancel(relayed)).wait();

  const filled = await f.swapIntent(next());
  await (await f.verifier.connect(f.solver).fill(filled, await f.sign(f.user, filled), 3_000n * E18)).wait();

  const lapsing = await f.transferIntent(next());
  await (await f.verifier.connect(f.user).submit(lapsing)).wait();
  await (await f.verifier.connect(f.otherSolver).claim(await f.verifier.hashIntent(lapsing))).wait();
  await provider.send("evm_increaseTime", [3_700]);
  await provider.send("evm_mine", []);
  await (await f.verifier.connect(f.stranger).fail(lapsing)).wait();
}

/** Every projected row, canonically ordered and as text: two stores are equal iff their dumps are. */
export async function dumpStore(db: Database): Promise<Record<string, string[]>> {
  const tables: Record<string, string> = {
    chain_events: "block_number, log_index",
    intents: "id",
    intent_transactions: "block_number, log_index",
    solvers: "address",
  };
  const dump: Record<string, string[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const rows = await db.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY ${order}`,
    );
    dump[table] = rows.map((r) => r.row);
  }
  return dump;
}

export async function freshStore(url?: string): Promise<Database> {
  const db = await openDatabase({ url });
  await migrate(db);
  return db;
}

export function indexerFor(db: Database, c: ChainWithSystem, options: Partial<IndexerOptions> = {}): Indexer {
  return new Indexer({
    db,
    provider: c.provider,
    chainId: 31337,
    contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
    startBlock: c.startBlock,
    batchSize: 50,
    resyncCommand: "npx hardhat service resync --network localhost",
    ...options,
  });
}

/**
 * Replaces the chain's last `depth` blocks (anvil_reorg). The new first block carries a transfer
 * of 1 wei, so the new blocks differ from the old ones even where both were empty.
 */
export async function reorg(url: string, depth: number, from: string, to: string): Promise<void> {
  await rpc(url, "anvil_reorg", [depth, [[{ from, to, value: "0x1" }, 0]]]);
}

export {
  postgresAvailable,
  startPostgres,
  startRedis,
  type Postgres,
  type RedisServer,
} from "../../../scripts/lib/local-servers.js";
