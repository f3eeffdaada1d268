// Intent status through three tiers: L1 an in-process LRU, L2 Redis when configured (shared by
// every API process), L3 the chain's `statusOf` (one eth_call per miss). The indexer writes
// through; statuses inside the reorg window, and any not yet terminal, live briefly.
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
  /** Milliseconds a status lives while it may still change (non-terminal, or within the reorg window). */
  briefTtlMs?: number;
  /** Milliseconds a terminal status below the reorg window lives. */
  settledTtlMs?: number;
}

export class StatusCache {
  readonly #memory: LRUCache<string, string>;
  readonly #options: StatusCacheOptions;
  readonly #prefix: string;

  constructor(options: StatusCacheOptions) {
    this.#options = options;
    this.#memory = new LRUCache({ max: options.max ?? 100_000 });
    this.#prefix = `intentkit:${options.namespace ?? "default"}:status:`;
  }

  get tiers(): Tier[] {
    return this.#options.redis === undefined ? ["memory", "chain"] : ["memory", "redis", "chain"];
  }

  async status(id: string): Promise<StatusLookup> {
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
    const status = await this.#options.fromChain(id);
    await this.#store(id, status, this.#ttl(status, false));
    return this.#hit({ status, tier: "chain" });
  }

  /** The indexer's write-through: `settled` when the status's block is below the reorg window. */
  async write(id: string, status: string, settled: boolean): Promise<void> {
    await this.#store(id, status, this.#ttl(status, settled));
  }

  /** After a rollback: whatever the dropped blocks said is gone, from both cache tiers. */
  async clear(): Promise<void> {
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

  #hit(lookup: StatusLookup): StatusLookup {
    this.#options.onHit?.(lookup.tier);
    return lookup;
  }

  async #store(id: string, status: string, ttl: number): Promise<void> {
    this.#memory.set(id, status, { ttl });
    await this.#options.redis?.set(this.#prefix + id, status, "PX", ttl);
  }

  #ttl(status: string, settled: boolean): number {
    return TERMINAL_STATUSES.has(status) && settled
      ? (this.#options.settledTtlMs ?? 600_000)
      : (this.#options.briefTtlMs ?? 2_000);
  }
}
