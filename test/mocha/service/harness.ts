// What the service's tests share: a system deployed on a real anvil, activity that emits every
// kind of intent and solver event, a canonical dump of the store, and a throwaway Postgres.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { JsonRpcProvider } from "ethers";
import { network } from "hardhat";

import { freePort, rpc, startLocalChain, type LocalChain } from "../../../scripts/lib/local-chain.js";
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
  const connection = await network.create({ network: "localhost", override: { url: chain.url } });
  const startBlock = (await connection.ethers.provider.getBlockNumber()) + 1;
  const f = await systemFixture(connection.ethers);
  // A second solver with a deep bond takes the claims that lapse: a slash never suspends it.
  await (await f.registry.connect(f.otherSolver).register(5n * MIN_BOND)).wait();
  const provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true, pollingInterval: 50 });
  return {
    chain,
    provider,
    f,
    startBlock,
    stop: async () => {
      provider.destroy();
      await connection.close();
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

// ---------------------------------------------------------------- Redis

export interface RedisServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A redis-server of its own on 127.0.0.1 and a free port, in memory only; stop() kills it by its PID. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ping = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
    if (ping.stdout.trim() === "PONG") break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(child.pid!, "SIGKILL");
      await exited;
    },
  };
}

// ---------------------------------------------------------------- Postgres

// Debian's postgresql package (15 on these machines): the server's programs are not on PATH.
const PG_BIN =
  (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : [])
    .map((version) => `/usr/lib/postgresql/${version}/bin`)
    .find((bin) => existsSync(path.join(bin, "initdb"))) ?? "/usr/lib/postgresql/15/bin";

export function postgresAvailable(): boolean {
  return existsSync(path.join(PG_BIN, "initdb"));
}

export interface Postgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A Postgres of its own on 127.0.0.1: initdb into a temporary folder, pg_ctl start on a free port,
 * trust auth for the local user; stop() stops it and deletes the folder.
 */
export async function startPostgres(): Promise<Postgres> {
  const dir = await mkdtemp(path.join(tmpdir(), "intentkit-pg-"));
  const data = path.join(dir, "data");
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asUser.length > 0) spawnSync("chown", ["-R", "postgres", dir]);
  const run = (command: string, args: string[]) => {
    const [bin, ...rest] = [...asUser, path.join(PG_BIN, command), ...args];
    const result = spawnSync(bin, rest, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "intentkit", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    path.join(dir, "log"),
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    "-w",
    "start",
  ]);
  return {
    url: `postgres://intentkit@127.0.0.1:${port}/postgres`,
    stop: async () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
