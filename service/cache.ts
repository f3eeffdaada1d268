// Intent status through three tiers: L1 an in-process LRU, L2 Redis when configured (not yet: the
// second part of the service), L3 the chain's `statusOf` (one eth_call per miss). The indexer
// writes through; statuses inside the reorg window, and any not yet terminal, live briefly.
import { LRUCache } from "lru-cache";

import { TERMINAL_STATUSES } from "../lib/domain/intents.js";

export type Tier = "memory" | "chain";

export interface StatusLookup {
  status: string;
  tier: Tier;
}

export interface StatusCacheOptions {
  /** The chain's answer: the status name of `id` (None when it holds no record). */
  fromChain(id: string): Promise<string>;
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

  constructor(options: StatusCacheOptions) {
    this.#options = options;
    this.#memory = new LRUCache({ max: options.max ?? 100_000, ttlAutopurge: false, allowStale: false });
  }

  async status(id: string): Promise<StatusLookup> {
    const cached = this.#memory.get(id);
    if (cached !== undefined) {
      this.#options.onHit?.("memory");
      return { status: cached, tier: "memory" };
    }
    const status = await this.#options.fromChain(id);
    this.#options.onHit?.("chain");
    this.#memory.set(id, status, { ttl: this.#ttl(status, false) });
    return { status, tier: "chain" };
  }

  /** The indexer's write-through: `settled` when the status's block is below the reorg window. */
  write(id: string, status: string, settled: boolean): void {
    this.#memory.set(id, status, { ttl: this.#ttl(status, settled) });
  }

  /** After a rollback: whatever the dropped blocks said is gone. */
  clear(): void {
    this.#memory.clear();
  }

  #ttl(status: string, settled: boolean): number {
    return TERMINAL_STATUSES.has(status) && settled
      ? (this.#options.settledTtlMs ?? 600_000)
      : (this.#options.briefTtlMs ?? 2_000);
  }
}
