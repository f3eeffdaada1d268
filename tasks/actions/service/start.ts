// service start: the indexer and the read API in the foreground; Ctrl-C stops both cleanly.
import { checkRange } from "../../../lib/domain/index.js";
import { DeepReorgError } from "../../../service/indexer/indexer.js";
import {
  type ChainReader,
  type JsonRpcClient,
  chainReaderOver,
  httpJsonRpc,
  runnerChainReader,
} from "../../../service/chain-reader.js";
import { createApiInstance, createService } from "../../../service/service.js";
import { StoreLockedError, redact } from "../../../service/store/database.js";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { Redis } from "ioredis";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { print } from "../../lib/output.js";
import { chooseStore, openStore } from "./store.js";

interface StartArgs {
  port: number;
  reorgDepth: number;
  databaseUrl?: string;
  redisUrl?: string;
  relayer?: string;
  intentsPerWindow: number;
  intentWindow: number;
  requestsPerMinute: number;
  maxPending: number;
  trustProxy?: string;
  apiOnly: boolean;
  deployment?: string;
}

/** The node's URL when the network is an HTTP one (the in-process network has none). */
async function httpUrl(hre: HardhatRuntimeEnvironment, networkName: string): Promise<string | undefined> {
  const config = hre.config.networks[networkName];
  return config?.type === "http" ? await config.url.get() : undefined;
}

/** The Redis tier, when a URL is configured: connected and answering, or a one-line error. */
async function connectRedis(option: string | undefined): Promise<Redis | undefined> {
  const url = option || process.env.REDIS_URL; // "": not given (see chooseStore)
  if (url === undefined || url === "") return undefined;
  if (!/^rediss?:\/\//.test(url)) {
    throw new UserError(`${option ? "--redis-url" : "$REDIS_URL"} must be a redis:// URL, got "${redact(url)}"`);
  }
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  redis.on("error", () => {}); // reported by the commands that fail
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new UserError(`cannot reach Redis at ${redact(url)}: ${(error as Error).message}`);
  }
  return redis;
}

async function run(args: StartArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const port = Number(checkRange("port", BigInt(args.port), 1n, 65535n));
  const reorgDepth = Number(checkRange("reorg-depth", BigInt(args.reorgDepth), 1n, 10_000n));
  const intentsPerWindow = Number(checkRange("intents-per-window", BigInt(args.intentsPerWindow), 1n, 1_000_000n));
  const intentWindow = Number(checkRange("intent-window", BigInt(args.intentWindow), 1n, 86_400n * 31n));
  const requestsPerMinute = Number(checkRange("requests-per-minute", BigInt(args.requestsPerMinute), 1n, 10_000_000n));
  const maxPending = Number(checkRange("max-pending", BigInt(args.maxPending), 1n, 1_000_000n));
  const trustProxy = args.trustProxy ? args.trustProxy.split(",").map((entry) => entry.trim()) : false;
  const ctx = await openDeployment(hre, args.deployment ?? "");
  // The relayer's key, as every task finds its account (the keystore, or the network's accounts).
  const relayer = args.relayer ? await ctx.signer(args.relayer) : undefined;
  const { record, networkName } = ctx;
  const choice = chooseStore(hre.config.paths.root, record.deploymentId, args.databaseUrl);
  if (args.apiOnly && choice.url === undefined) {
    throw new UserError(
      "--api-only serves beside a service that indexes into Postgres: give --database-url (or $DATABASE_URL), and --redis-url (or $REDIS_URL) so that the limits and the live rooms are shared",
    );
  }
  const redis = await connectRedis(args.redisUrl);
  // Everything opened from here on is let go on every way out, each step on its own.
  const opened: (() => Promise<void> | void)[] = [() => redis?.disconnect()];
  const release = async () => {
    for (const close of opened.splice(0).reverse())
      await Promise.resolve()
        .then(close)
        .catch(() => {});
  };
  try {
    const db = await openStore(choice);
    opened.push(() => db.close());
    const startBlock = Math.min(...Object.values(record.contracts).map((contract) => contract.blockNumber));
    // Plain HTTP JSON-RPC for an HTTP network (the indexer and the cache's chain tier), else the
    // connection's provider.
    const url = await httpUrl(hre, networkName);
    const rpcClient: JsonRpcClient | undefined = url === undefined ? undefined : httpJsonRpc(url);
    if (rpcClient !== undefined) opened.push(() => rpcClient.close());
    const reader: ChainReader =
      rpcClient === undefined ? runnerChainReader(ctx.ethers.provider) : chainReaderOver(rpcClient);
    const common = {
      db,
      provider: rpcClient ?? ctx.ethers.provider,
      chainId: ctx.chainId,
      contracts: {
        IntentVerifier: record.contracts.IntentVerifier.address,
        SolverRegistry: record.contracts.SolverRegistry.address,
      },
      reorgDepth,
      redis,
      reader,
      trustProxy,
      intake: {
        relayer,
        intents: { limit: intentsPerWindow, windowSeconds: intentWindow },
        requests: { limit: requestsPerMinute, windowSeconds: 60 },
        maxPendingPerUser: maxPending,
      },
    };
    const limitsLine = `${relayer === undefined ? "intake off (no --relayer)" : `relayer ${relayer.address}`}; limits ${requestsPerMinute} requests/min per client, ${intentsPerWindow} intents per ${intentWindow} s per user`;
    if (args.apiOnly) {
      const instance = await createApiInstance(common);
      opened.push(() => instance.close());
      await instance.app.listen({ host: "127.0.0.1", port }).catch((error: Error) => {
        throw new UserError(`cannot listen on 127.0.0.1:${port}: ${error.message}; pick another --port`);
      });
      print(
        `API instance for deployment "${record.deploymentId}" on network "${networkName}": http://127.0.0.1:${port} (store: ${choice.describe}, indexed by another service; ${limitsLine}). Ctrl-C stops it.`,
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      });
      await release();
      print("API instance stopped");
      return;
    }
    const service = await createService({
      ...common,
      startBlock,
      resyncCommand: `npx hardhat service resync --network ${networkName}${args.deployment ? ` --deployment ${args.deployment}` : ""}`,
      onBatch: (batch) => {
        if (batch.events > 0 || batch.to === batch.head) {
          print(`indexed blocks ${batch.from}-${batch.to} of ${batch.head} (${batch.events} events)`);
        }
      },
      onReorg: (reorg) =>
        print(
          `reorg: rolled back ${reorg.depth} blocks to block ${reorg.keptBlock} (${reorg.intents} intents, ${reorg.solvers} solvers refolded)`,
        ),
    }).catch((error: unknown) => {
      throw error instanceof StoreLockedError ? new UserError(error.message) : error;
    });
    opened.push(() => service.close()); // closes the store too; closing it again is harmless
    await service.app.listen({ host: "127.0.0.1", port }).catch((error: Error) => {
      throw new UserError(`cannot listen on 127.0.0.1:${port}: ${error.message}; pick another --port`);
    });
    const from =
      service.resumedFrom === null
        ? `indexing from block ${startBlock}`
        : `resuming after block ${service.resumedFrom}`;
    print(
      `service for deployment "${record.deploymentId}" on network "${networkName}": http://127.0.0.1:${port} ` +
        `(store: ${choice.describe}${redis === undefined ? "" : "; cache: memory, Redis, chain"}; ${from}). Routes: / (status page) /health /ready /api/intents (GET, POST) /api/intents/:id/events /api/solvers /metrics /openapi.json; ${limitsLine}. Ctrl-C stops it.`,
    );
    const stopped = await new Promise<"signal" | Error>((resolve) => {
      process.once("SIGINT", () => resolve("signal"));
      process.once("SIGTERM", () => resolve("signal"));
      service.indexing.then(
        () => resolve("signal"),
        (error: Error) => resolve(error),
      );
    });
    await release();
    if (stopped instanceof DeepReorgError) throw new UserError(stopped.message);
    if (stopped instanceof Error) throw stopped;
    print("service stopped");
  } finally {
    await release();
  }
}

export default taskAction(run);
