// The service as one object: store, indexer, cache, metrics and the API, wired; `close()` stops
// the indexer after its current batch, then the server, then the store (graceful shutdown).
import type { ContractRunner, Signer } from "ethers";
import type { Redis } from "ioredis";
import type { FastifyInstance } from "fastify";

import { STATUS_NAMES } from "../lib/domain/intents.js";
import { buildApi, type IntentRecord, loadIntentRecords } from "./api/server.js";
import { type ChainReader, runnerChainReader } from "./chain-reader.js";
import { RecordCache, StatusCache, isSettled } from "./cache.js";
import { INTERFACES, type ContractName } from "./indexer/events.js";
import { type BatchReport, Indexer, type JsonRpc, type ReorgReport } from "./indexer/indexer.js";
import { IntakeLimits, type LimitPolicy } from "./intake/limits.js";
import { Relayer } from "./intake/relayer.js";
import { redisUserLock } from "./intake/user-lock.js";
import { type Live, type LiveOptions, createLive } from "./live/live.js";
import { createMetrics, type ServiceMetrics } from "./metrics.js";
import type { Database } from "./store/database.js";
import { migrate } from "./store/migrate.js";

const STATUS_OF = INTERFACES.IntentVerifier.getFunction("statusOf")!.selector;

export interface ServiceOptions {
  db: Database;
  /** JSON-RPC for the indexer, and the cache's runner for eth_call unless `reader` is given. */
  provider: JsonRpc & Pick<ContractRunner, "call">;
  /** The chain tier (one eth_call per miss); default: eth_call through `provider`. */
  reader?: ChainReader;
  chainId: number;
  contracts: Record<ContractName, string>;
  startBlock: number;
  batchSize?: number;
  reorgDepth?: number;
  pollMs?: number;
  resyncCommand?: string;
  /** L2 of the status cache (shared by every API process); the caller owns the connection. */
  redis?: Redis;
  /** Intake (POST /api/intents): the relayer's key and the limits; no relayer: intake answers 503. */
  intake?: IntakeSettings;
  /** Whose word to take for the client's address: a proxy the operator runs (Fastify's trustProxy). */
  trustProxy?: boolean | string | string[];
  logger?: boolean;
  onBatch?: (batch: BatchReport) => void;
  onReorg?: (reorg: ReorgReport) => void;
  /** Live status (SSE and socket.io): the per-connection cap and the heartbeat. */
  live?: Pick<LiveOptions, "heartbeatMs" | "maxBufferedBytes">;
}

export interface IntakeSettings {
  relayer?: Signer;
  /** Per client; default 1,000 a minute. */
  requests?: LimitPolicy;
  /** Per user; default 100 per 15 minutes. */
  intents?: LimitPolicy;
  maxPendingPerUser?: number;
  expiryMarginSeconds?: number;
  confirmTimeoutMs?: number;
}

export interface Service {
  app: FastifyInstance;
  indexer: Indexer;
  cache: StatusCache;
  records: RecordCache<IntentRecord>;
  metrics: ServiceMetrics;
  /** Live status: the update feed, SSE and socket.io (this instance publishes). */
  live: Live;
  /** The store's last block when the service started (null: a fresh store). */
  resumedFrom: number | null;
  /** Settles when the indexer stops: on close(), or with the error that stopped it. */
  indexing: Promise<void>;
  close(): Promise<void>;
}

/** What an API instance serves from, with or without the indexer beside it. */
function readSide(options: Pick<ServiceOptions, "db" | "provider" | "reader" | "chainId" | "contracts" | "redis">) {
  const { db, provider, chainId } = options;
  const verifierAddress = options.contracts.IntentVerifier;
  const reader = options.reader ?? runnerChainReader(provider);
  const metrics = createMetrics(db);
  const cache = new StatusCache({
    // One eth_call, encoded by hand: ethers' Contract machinery costs more than the call itself.
    fromChain: async (id) => {
      const data = STATUS_OF + id.slice(2).padStart(64, "0");
      const result = await reader.call(verifierAddress, data);
      return STATUS_NAMES[Number(BigInt(result))] ?? "None";
    },
    redis: options.redis,
    namespace: `${chainId}:${options.contracts.IntentVerifier.toLowerCase()}`,
    onHit: (tier) => metrics.cacheHit(tier),
  });
  const records = new RecordCache<IntentRecord>({
    loadMany: (ids) => loadIntentRecords(db, ids),
    maxLoading: db.kind === "pglite" ? 1 : 4,
  });
  return { verifierAddress, metrics, cache, records, key: `intentkit:${chainId}:${verifierAddress.toLowerCase()}` };
}

/** The intake's settings: its relayer and limits (shared through Redis by every instance). */
function intakeOf(options: ServiceOptions | ApiInstanceOptions, verifierAddress: string) {
  const { intake, chainId } = options;
  return {
    rpc: options.provider,
    chainId,
    verifier: verifierAddress,
    relayer:
      intake?.relayer === undefined ? undefined : new Relayer({ signer: intake.relayer, verifier: verifierAddress }),
    limits: new IntakeLimits({
      requests: intake?.requests,
      intents: intake?.intents,
      redis: options.redis,
      namespace: `${chainId}:${verifierAddress.toLowerCase()}`,
    }),
    maxPendingPerUser: intake?.maxPendingPerUser,
    expiryMarginSeconds: intake?.expiryMarginSeconds,
    confirmTimeoutMs: intake?.confirmTimeoutMs,
    userLock:
      options.redis === undefined
        ? undefined
        : redisUserLock({ redis: options.redis, namespace: `${chainId}:${verifierAddress.toLowerCase()}` }),
  };
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const { db, provider, chainId } = options;
  await db.lockWriter();
  await migrate(db);
  const { verifierAddress, metrics, cache, records, key } = readSide(options);
  const live = createLive({ db, redis: options.redis, publisher: true, key, ...options.live });
  // A failed read of the log is retried by the next poke: the feed's cursor stays where it was.
  const publish = () => live.poke().catch((error: unknown) => app.log.error(error));
  const reorgDepth = options.reorgDepth ?? 64;
  const settled = (status: string, block: number): boolean =>
    isSettled(status, block, { head: indexer.head, indexed: indexer.indexed, reorgDepth });
  const indexer = new Indexer({
    db,
    provider,
    chainId,
    contracts: options.contracts,
    startBlock: options.startBlock,
    batchSize: options.batchSize,
    reorgDepth,
    resyncCommand: options.resyncCommand,
    onBatch: async (batch, events, changed) => {
      options.onBatch?.(batch);
      if (changed.length > 0) {
        records.invalidate(changed);
        const rows = await db.query<{ id: string; status: string; updated_block: number }>(
          "SELECT id, status, updated_block FROM intents WHERE id = ANY($1::text[])",
          [changed],
        );
        await cache.writeAll(
          rows.map((row) => ({
            id: row.id,
            status: row.status,
            settled: settled(row.status, Number(row.updated_block)),
          })),
        );
      }
      await metrics.observeEvents(events, db, chainId);
      if (changed.length > 0) await publish();
    },
    onReorg: async (reorg) => {
      options.onReorg?.(reorg);
      records.clear();
      await cache.clear();
      metrics.observeReorg();
      await publish();
    },
  });
  const app = await buildApi({
    db,
    cache,
    records,
    settled,
    metrics,
    trustProxy: options.trustProxy,
    intake: intakeOf(options, verifierAddress),
    logger: options.logger,
    progress: async () => ({ indexed: (await indexer.checkpoint())?.blockNumber ?? null, head: indexer.head }),
  });
  await app.register(live.plugin);
  const resumedFrom = (await indexer.checkpoint())?.blockNumber ?? null;
  const stop = new AbortController();
  const indexing = indexer.follow(stop.signal, options.pollMs ?? 1_000);
  indexing.catch(() => {}); // the caller awaits it; an unhandled rejection must not kill the process first
  return {
    app,
    indexer,
    cache,
    records,
    metrics,
    live,
    resumedFrom,
    indexing,
    close: async () => {
      stop.abort();
      await indexing.catch(() => {});
      await app.close();
      await db.close();
    },
  };
}

export type ApiInstanceOptions = Pick<
  ServiceOptions,
  "db" | "provider" | "reader" | "chainId" | "contracts" | "redis" | "intake" | "trustProxy" | "logger" | "live"
> & {
  reorgDepth?: number;
  /** How often it reads where the indexer is, and the live log (ms). */
  pollMs?: number;
};

export interface ApiInstance {
  app: FastifyInstance;
  cache: StatusCache;
  records: RecordCache<IntentRecord>;
  live: Live;
  close(): Promise<void>;
}

/**
 * One more API instance beside a service that indexes (`createService`) into the same Postgres:
 * no indexer and no write lock. It learns what changed from the live log (dropping those records
 * from its cache), shares the status cache, the limits and socket.io's rooms through Redis, and
 * relays with a relayer key of its own (two instances on one key would race for its nonces).
 */
export async function createApiInstance(options: ApiInstanceOptions): Promise<ApiInstance> {
  const { db, provider } = options;
  const { verifierAddress, metrics, cache, records, key } = readSide(options);
  const live = createLive({ db, redis: options.redis, publisher: false, key, pollMs: options.pollMs, ...options.live });
  const reorgDepth = options.reorgDepth ?? 64;
  let position = { head: 0, indexed: null as number | null };
  const readPosition = async () => {
    const [[row], head] = await Promise.all([
      db.query<{ block_number: number }>("SELECT block_number FROM indexer_checkpoint WHERE id = 1"),
      provider.send("eth_blockNumber", []) as Promise<string>,
    ]);
    position = { head: Number(BigInt(head)), indexed: row === undefined ? null : Number(row.block_number) };
    return position;
  };
  await readPosition();
  const timer = setInterval(() => void readPosition().catch(() => {}), options.pollMs ?? 1_000);
  timer.unref();
  // The log says what the indexer changed: this instance's caches follow it (briefly: unsettled).
  const forget = live.feed.subscribeAll((update) => {
    records.invalidate([update.intentId]);
    void cache.write(update.intentId, update.status, false).catch(() => {});
  });
  const app = await buildApi({
    db,
    cache,
    records,
    settled: (status, block) => isSettled(status, block, { ...position, reorgDepth }),
    metrics,
    trustProxy: options.trustProxy,
    intake: intakeOf(options, verifierAddress),
    logger: options.logger,
    progress: readPosition,
  });
  await app.register(live.plugin);
  return {
    app,
    cache,
    records,
    live,
    close: async () => {
      clearInterval(timer);
      forget();
      await app.close();
      await db.close();
    },
  };
}
