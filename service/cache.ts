// The service's caches.
//
// StatusCache: an intent's status through three tiers: L1 an in-process LRU, L2 Redis when
// configured (shared by every API process), L3 the chain's `statusOf` (one eth_call per miss;
// concurrent misses of one id share it). The indexer writes every change through and a rollback
// clears both tiers, so a status whose block is below the reorg window lives long (settled); one
// inside the window, or not confirmed by the store, lives briefly, since a reorg the indexer has
// not seen yet could still undo it.
//
// RecordCache: the store's intent records in process, dropped by the indexer's write-through
// when a batch changes them, cleared on rollback.
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";

import { TERMINAL_STATUSES } from "../lib/domain/intents.js";

export type Tier = "memory" | "redis" | "chain";

export interface StatusLookup {
  status: string;
  tier: Tier;
}

export interface StatusCacheOptions {
  /** The chain's answer: the status name of `id` (None when it holds no record). */
  fromChain(id: string): Promise<string>;
  /** L2; without it, misses go straight to the chain. */
  redis?: Redis;
  /** Keeps deployments apart in a shared Redis. */
  namespace?: string;
  onHit?(tier: Tier): void;
  max?: number;
  /** Milliseconds a status lives while a reorg could still undo it. */
  briefTtlMs?: number;
  /** Milliseconds a status below the reorg window lives (the indexer writes later changes through). */
  settledTtlMs?: number;
}

export interface IndexerPosition {
  /** The chain head the indexer saw last. */
  head: number;
  /** The last block in the store (null before the first batch). */
  indexed: number | null;
  reorgDepth: number;
}

/**
 * Whether a status set at `block` may live long in the cache: no reorg the indexer handles can
 * undo it, and, unless it is terminal, the store is caught up, so a later change on chain is not
 * still on its way to the indexer's write-through.
 */
export function isSettled(status: string, block: number, { head, indexed, reorgDepth }: IndexerPosition): boolean {
  if (block > head - reorgDepth) return false;
  return TERMINAL_STATUSES.has(status) || (indexed !== null && indexed >= head);
}

interface ChainRead {
  promise: Promise<string>;
  /** A write-through or a clear came while the read was on its way: its answer may be older. */
  stale: boolean;
}

export class StatusCache {
  readonly #memory: LRUCache<string, string>;
  readonly #options: StatusCacheOptions;
  readonly #prefix: string;
  readonly #reads = new Map<string, ChainRead>();

  constructor(options: StatusCacheOptions) {
    this.#options = options;
    this.#memory = new LRUCache({ max: options.max ?? 100_000 });
    this.#prefix = `intentkit:${options.namespace ?? "default"}:status:`;
  }

  get tiers(): Tier[] {
    return this.#options.redis === undefined ? ["memory", "chain"] : ["memory", "redis", "chain"];
  }

  /**
   * The status of `id`. `settled` says whether the chain's answer may live long: the caller
   * knows, from the store, whether that status was set below the reorg window.
   */
  async status(id: string, settled?: (status: string) => boolean | Promise<boolean>): Promise<StatusLookup> {
    const cached = this.#memory.get(id);
    if (cached !== undefined) return this.#hit({ status: cached, tier: "memory" });
    const { redis } = this.#options;
    if (redis !== undefined) {
      const [shared, ttl] = await Promise.all([redis.get(this.#prefix + id), redis.pttl(this.#prefix + id)]);
      if (shared !== null) {
        if (ttl > 0) this.#memory.set(id, shared, { ttl });
        return this.#hit({ status: shared, tier: "redis" });
      }
    }
    return this.#hit({ status: await this.#fromChain(id, settled), tier: "chain" });
  }

  /** The indexer's write-through: `settled` when the status's block is below the reorg window. */
  async write(id: string, status: string, settled: boolean): Promise<void> {
    await this.writeAll([{ id, status, settled }]);
  }

  /** A batch's write-through, in one Redis round trip. */
  async writeAll(entries: { id: string; status: string; settled: boolean }[]): Promise<void> {
    const pipeline = this.#options.redis?.pipeline();
    for (const { id, status, settled } of entries) {
      const read = this.#reads.get(id);
      if (read !== undefined) read.stale = true;
      const ttl = this.#ttl(settled);
      this.#memory.set(id, status, { ttl });
      pipeline?.set(this.#prefix + id, status, "PX", ttl);
    }
    await pipeline?.exec();
  }

  /** After a rollback: whatever the dropped blocks said is gone, from both cache tiers. */
  async clear(): Promise<void> {
    // Reads on their way answer for the dropped blocks: nobody new joins them.
    for (const read of this.#reads.values()) read.stale = true;
    this.#reads.clear();
    this.#memory.clear();
    const { redis } = this.#options;
    if (redis === undefined) return;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${this.#prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  }

  /** Forgets the in-process tier only (tests, and a process that wants a fresh view). */
  clearMemory(): void {
    this.#memory.clear();
  }

  #fromChain(id: string, settled?: (status: string) => boolean | Promise<boolean>): Promise<string> {
    const running = this.#reads.get(id);
    if (running !== undefined) return running.promise;
    const read: ChainRead = { promise: Promise.resolve(""), stale: false };
    this.#reads.set(id, read);
    read.promise = (async () => {
      try {
        const status = await Promise.resolve().then(() => this.#options.fromChain(id));
        // Not knowing whether it is settled (the store's read failed) is the brief case.
        const long = await Promise.resolve()
          .then(() => settled?.(status) ?? false)
          .catch(() => false);
        if (!read.stale) await this.#store(id, status, this.#ttl(long));
        return status;
      } finally {
        if (this.#reads.get(id) === read) this.#reads.delete(id);
      }
    })();
    return read.promise;
  }

  #hit(lookup: StatusLookup): StatusLookup {
    this.#options.onHit?.(lookup.tier);
    return lookup;
  }

  async #store(id: string, status: string, ttl: number): Promise<void> {
    this.#memory.set(id, status, { ttl });
    await this.#options.redis?.set(this.#prefix + id, status, "PX", ttl);
  }

  #ttl(settled: boolean): number {
    return settled ? (this.#options.settledTtlMs ?? 600_000) : (this.#options.briefTtlMs ?? 2_000);
  }
}

export interface RecordCacheOptions<T> {
  /** The records of `ids` the store holds (an id it does not hold is left out). */
  loadMany(ids: string[]): Promise<Map<string, T>>;
  max?: number;
  /** Most ids one load asks for. */
  maxBatch?: number;
  /**
   * Most loads on their way at once; the ids asked for meanwhile wait and go together in the
   * next. One for a store that runs one statement at a time (PGlite): more would only queue there,
   * in batches too small to be worth a statement each.
   */
  maxLoading?: number;
}

/** The ids of one load, each with the promise its requests wait on. */
type PendingLoad<T> = Map<string, PromiseWithResolvers<T | undefined>>;

export class RecordCache<T extends object> {
  readonly #records: LRUCache<string, T>;
  readonly #options: RecordCacheOptions<T>;
  /** Ids asked for whose load has not started: they go together in the next. */
  readonly #queued: PendingLoad<T> = new Map();
  /** Loads on their way, by id: a second request for one joins it. */
  readonly #loading = new Map<string, Promise<T | undefined>>();
  #inFlight = 0;
  #flushScheduled = false;
  /** Bumped by every invalidation: a load that overlapped one is not kept. */
  #epoch = 0;

  constructor(options: RecordCacheOptions<T>) {
    this.#options = options;
    this.#records = new LRUCache({ max: options.max ?? 20_000 });
  }

  /**
   * The record of `id`, from memory or from the store. Ids asked for in one turn of the event
   * loop, or while the loads allowed at once are on their way, are read by one query: under load
   * that is one store round trip for many requests instead of one each (PGlite: about 1 ms for
   * one row, a tenth of that a row for 50).
   */
  get(id: string): Promise<T | undefined> {
    const cached = this.#records.get(id);
    if (cached !== undefined) return Promise.resolve(cached);
    const loading = this.#loading.get(id);
    if (loading !== undefined) return loading;
    // Invalidated while still queued: the queued read has not started, so it reads the change.
    const queuedAlready = this.#queued.get(id);
    if (queuedAlready !== undefined) return queuedAlready.promise;
    const waiter = Promise.withResolvers<T | undefined>();
    this.#queued.set(id, waiter);
    this.#loading.set(id, waiter.promise);
    this.#scheduleFlush();
    return waiter.promise;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#inFlight >= (this.#options.maxLoading ?? 1)) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const maxBatch = this.#options.maxBatch ?? 500;
    while (this.#queued.size > 0 && this.#inFlight < (this.#options.maxLoading ?? 1)) {
      const batch: PendingLoad<T> = new Map();
      for (const [id, waiter] of this.#queued) {
        if (batch.size >= maxBatch) break;
        batch.set(id, waiter);
        this.#queued.delete(id);
      }
      this.#inFlight++;
      void this.#load(batch).finally(() => {
        this.#inFlight--;
        if (this.#queued.size > 0) this.#scheduleFlush();
      });
    }
  }

  /** The indexer changed these records. */
  invalidate(ids: Iterable<string>): void {
    this.#epoch++;
    for (const id of ids) {
      this.#records.delete(id);
      this.#loading.delete(id);
    }
  }

  /** After a rollback. */
  clear(): void {
    this.#epoch++;
    this.#records.clear();
    this.#loading.clear();
  }

  async #load(pending: PendingLoad<T>): Promise<void> {
    const epoch = this.#epoch;
    try {
      const found = await this.#options.loadMany([...pending.keys()]);
      const keep = epoch === this.#epoch;
      for (const [id, waiter] of pending) {
        const record = found.get(id);
        if (record !== undefined && keep) this.#records.set(id, record);
        waiter.resolve(record);
      }
    } catch (error) {
      for (const waiter of pending.values()) waiter.reject(error);
    } finally {
      for (const [id, waiter] of pending) {
        if (this.#loading.get(id) === waiter.promise) this.#loading.delete(id);
      }
    }
  }
}
