// Follows IntentVerifier's and SolverRegistry's events into the store: batches of eth_getLogs, one
// transaction per batch (events, projections, block hashes, checkpoint), so a `kill -9` loses or
// repeats nothing. Reorgs up to `reorgDepth` blocks are rolled back exactly (projection.ts); a
// deeper one stops the indexer with the command that resyncs.

import type { Database, Queryable } from "../store/database.js";
import { type ChainEvent, type ContractName, decodeLog } from "./events.js";
import { type PreparedEvents, applyEvents, markExpired, prepareEvents, rollbackAbove } from "./projection.js";

/** Raw JSON-RPC: ethers' JsonRpcProvider and Hardhat's ethers provider both have it. */
export interface JsonRpc {
  send(method: string, params: unknown[]): Promise<any>;
}

export interface IndexerOptions {
  db: Database;
  provider: JsonRpc;
  chainId: number;
  contracts: Record<ContractName, string>;
  /** The first block with the contracts (the deployment record's). */
  startBlock: number;
  /** Blocks per eth_getLogs. */
  batchSize?: number;
  /** Deepest reorg rolled back; a deeper one stops the indexer. CoW's orderbook uses 64. */
  reorgDepth?: number;
  /** What the deep-reorg error tells the operator to run. */
  resyncCommand?: string;
  /**
   * After each committed batch, with its events and the intents it changed (the ids its events
   * name and those the expiry job marked): metrics, the caches' write-through.
   */
  onBatch?: (batch: BatchReport, events: ChainEvent[], changed: string[]) => void | Promise<void>;
  onReorg?: (reorg: ReorgReport) => void | Promise<void>;
  /** When the node's logs and headers for a range disagree (it moved under the read), before the next try. */
  onRetry?: (retry: { from: number; to: number; attempt: number }) => void;
}

export interface BatchReport {
  from: number;
  to: number;
  events: number;
  head: number;
}

export interface ReorgReport {
  /** The last block kept; everything above it was undone. */
  keptBlock: number;
  depth: number;
  intents: number;
  solvers: number;
}

export interface Checkpoint {
  blockNumber: number;
  blockHash: string;
}

export class DeepReorgError extends Error {
  override name = "DeepReorgError";
}

interface Header {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Concurrent eth_getLogs per batch. */
const GETLOGS_PARALLEL = 4;

interface FetchedBatch {
  /** Encoded while the previous batch is stored. */
  events: PreparedEvents;
  hashes: [number, string][];
  toHash: string;
  toTime: number;
}

// Raw JSON-RPC, not ethers' getBlock/getLogs: those answer repeated questions from a short-lived
// cache, which hides a reorg that happens within it.
async function header(provider: JsonRpc, n: number): Promise<Header | undefined> {
  const block = (await provider.send("eth_getBlockByNumber", [hex(n), false])) as {
    hash: string;
    parentHash: string;
    timestamp: string;
  } | null;
  if (block === null) return undefined;
  return { number: n, hash: block.hash, parentHash: block.parentHash, timestamp: Number(block.timestamp) };
}

export class Indexer {
  readonly batchSize: number;
  readonly reorgDepth: number;
  readonly #options: IndexerOptions;
  #lastHead = 0;
  /** The checkpoint's block, kept beside the store's row so that readers need no query. */
  #indexed: number | null = null;
  /** Steps run one at a time, whoever calls them (follow, catchUp, a test). */
  #stepping: Promise<unknown> = Promise.resolve();
  /** Consecutive reads of one range that the node answered inconsistently. */
  #retries = { from: -1, attempt: 0 };
  /** "failed": the prefetch's request failed, which the step's own fetch will report if it persists. */
  #prefetched: { from: number; to: number; batch: Promise<FetchedBatch | undefined | "failed"> } | undefined;
  /** The signal of `follow`, so that a back-off ends when it aborts. */
  #signal: AbortSignal | undefined;

  constructor(options: IndexerOptions) {
    this.#options = options;
    this.batchSize = options.batchSize ?? 2_000;
    this.reorgDepth = options.reorgDepth ?? 64;
  }

  /** The chain head seen by the last step. */
  get head(): number {
    return this.#lastHead;
  }

  /**
   * The last block in the store whose batch has been handed to `onBatch` (the caches' write-through)
   * as of the last step; null before the first batch or step.
   */
  get indexed(): number | null {
    return this.#indexed;
  }

  async checkpoint(db: Queryable = this.#options.db): Promise<Checkpoint | undefined> {
    const [row] = await db.query<{ block_number: number; block_hash: string }>(
      "SELECT block_number, block_hash FROM indexer_checkpoint WHERE id = 1",
    );
    return row === undefined ? undefined : { blockNumber: Number(row.block_number), blockHash: row.block_hash };
  }

  /**
   * One step: rolls back a reorg if the checkpoint left the chain, or indexes the next batch.
   * Returns false once caught up with the head.
   */
  async step(): Promise<boolean> {
    const run = this.#stepping.then(() => this.#step());
    this.#stepping = run.catch(() => {});
    return run;
  }

  async #step(): Promise<boolean> {
    const { provider, db } = this.#options;
    const head = Number(await provider.send("eth_blockNumber", []));
    this.#lastHead = head;
    const checkpoint = await this.checkpoint();
    this.#indexed = checkpoint?.blockNumber ?? null;
    if (checkpoint !== undefined) {
      const onChain = await header(provider, checkpoint.blockNumber);
      if (onChain?.hash !== checkpoint.blockHash) {
        await this.#rollBack(checkpoint);
        return true;
      }
    }
    const from = checkpoint === undefined ? this.#options.startBlock : checkpoint.blockNumber + 1;
    if (from > head) return false;
    const to = Math.min(head, from + this.batchSize - 1);
    const prefetched = this.#prefetched;
    this.#prefetched = undefined;
    const early = prefetched?.from === from && prefetched.to === to ? await prefetched.batch : "failed";
    const batch = early === "failed" ? await this.#fetch(from, to, head, checkpoint) : early;
    if (batch === undefined) {
      // The chain moved under the read: look again, backing off so as not to hammer the node.
      const attempt = this.#retries.from === from ? this.#retries.attempt + 1 : 1;
      this.#retries = { from, attempt };
      this.#options.onRetry?.({ from, to, attempt });
      await sleep(Math.min(1_000, 25 * 2 ** Math.min(attempt, 6)), this.#signal);
      return true;
    }
    // The next batch's fetch runs while this one is stored; it is used only if the next step
    // asks for exactly its range, and checked against this batch's last hash like any fetch.
    if (to < head) {
      const next = { from: to + 1, to: Math.min(head, to + this.batchSize) };
      this.#prefetched = {
        ...next,
        batch: this.#fetch(next.from, next.to, head, { blockNumber: to, blockHash: batch.toHash }).catch(
          () => "failed" as const,
        ),
      };
    }
    const expired = await db.transaction(async (tx) => {
      await applyEvents(tx, batch.events);
      const expiredIds = await markExpired(tx, batch.toTime, to);
      await tx.query(
        "INSERT INTO indexed_blocks SELECT * FROM jsonb_populate_recordset(NULL::indexed_blocks, $1::jsonb) ON CONFLICT (number) DO UPDATE SET hash = EXCLUDED.hash",
        [JSON.stringify(batch.hashes.map(([number, hash]) => ({ number, hash })))],
      );
      await tx.query("DELETE FROM indexed_blocks WHERE number < $1", [to - this.reorgDepth]);
      await tx.query(
        `INSERT INTO indexer_checkpoint (id, chain_id, block_number, block_hash) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash`,
        [this.#options.chainId, to, batch.toHash],
      );
      return expiredIds;
    });
    const changed = new Set(expired);
    const { events } = batch.events;
    for (const event of events) if (event.intentId !== null) changed.add(event.intentId);
    await this.#options.onBatch?.({ from, to, events: events.length, head }, events, [...changed]);
    // Only now: whoever waits for `indexed` finds the caches written through too.
    this.#indexed = to;
    return to < head;
  }

  /** Steps until the store holds the head seen last. */
  async catchUp(): Promise<void> {
    while (await this.step()) {
      // next batch
    }
  }

  /**
   * Follows the chain until `signal` aborts: catches up, then polls every `pollMs`. A deep reorg
   * or a failing store ends it with the error.
   */
  async follow(signal: AbortSignal, pollMs = 1_000): Promise<void> {
    this.#signal = signal;
    while (!signal.aborted) {
      const more = await this.step();
      if (!more && !signal.aborted) await sleep(pollMs, signal);
    }
  }

  async #fetch(
    from: number,
    to: number,
    head: number,
    checkpoint: Checkpoint | undefined,
  ): Promise<FetchedBatch | undefined> {
    const { provider, contracts } = this.#options;
    const byAddress = new Map(
      Object.entries(contracts).map(([name, address]) => [address.toLowerCase(), name as ContractName]),
    );
    // The range in a few concurrent eth_getLogs: nodes answer them side by side.
    const parts = Math.min(GETLOGS_PARALLEL, to - from + 1);
    const size = Math.ceil((to - from + 1) / parts);
    const chunks = await Promise.all(
      Array.from({ length: parts }, (_, k) => {
        const start = from + k * size;
        const end = Math.min(to, start + size - 1);
        return start > end
          ? Promise.resolve([] as RawLog[])
          : (provider.send("eth_getLogs", [
              { address: [...byAddress.keys()], fromBlock: hex(start), toBlock: hex(end) },
            ]) as Promise<RawLog[]>);
      }),
    );
    const logs = chunks.flat().map((log) => ({
      ...log,
      blockNumber: Number(log.blockNumber),
      index: Number(log.logIndex),
    }));
    // Headers: every block with a log, the batch's ends, and every block inside the reorg window
    // (so that a rollback finds its fork point exactly).
    const numbers = new Set<number>([from, to, ...logs.map((log) => log.blockNumber)]);
    for (let n = Math.max(from, head - this.reorgDepth); n <= to; n++) numbers.add(n);
    const headers = new Map(await Promise.all([...numbers].map(async (n) => [n, await header(provider, n)] as const)));
    const first = headers.get(from);
    if (checkpoint !== undefined && first?.parentHash !== checkpoint.blockHash) return undefined;
    const events: ChainEvent[] = [];
    for (const log of logs) {
      const block = headers.get(log.blockNumber);
      if (block?.hash !== log.blockHash) return undefined;
      const event = decodeLog(byAddress.get(log.address.toLowerCase())!, log, block.timestamp);
      if (event !== undefined) events.push(event);
    }
    const hashes: [number, string][] = [];
    for (const [n, block] of headers) {
      if (block === undefined) return undefined;
      hashes.push([n, block.hash]);
    }
    const last = headers.get(to)!;
    return { events: prepareEvents(events), hashes, toHash: last.hash, toTime: last.timestamp };
  }

  async #rollBack(checkpoint: Checkpoint): Promise<void> {
    const { provider, db } = this.#options;
    const stored = await db.query<{ number: number; hash: string }>(
      "SELECT number, hash FROM indexed_blocks ORDER BY number DESC",
    );
    let kept: Header | undefined;
    for (const block of stored) {
      const onChain = await header(provider, Number(block.number));
      if (onChain?.hash === block.hash) {
        kept = onChain;
        break;
      }
    }
    const depth = kept === undefined ? Infinity : checkpoint.blockNumber - kept.number;
    if (kept === undefined || depth > this.reorgDepth) {
      throw new DeepReorgError(
        `reorg deeper than ${this.reorgDepth} blocks below block ${checkpoint.blockNumber}: the store no longer matches the chain. Resync: ${this.#options.resyncCommand ?? "drop the store and index again"}`,
      );
    }
    const keep = kept;
    const counts = await db.transaction(async (tx) => {
      const touched = await rollbackAbove(tx, keep.number);
      await markExpired(tx, keep.timestamp, keep.number);
      await tx.query("UPDATE indexer_checkpoint SET block_number = $1, block_hash = $2 WHERE id = 1", [
        keep.number,
        keep.hash,
      ]);
      return touched;
    });
    this.#indexed = keep.number;
    await this.#options.onReorg?.({ keptBlock: keep.number, depth, ...counts });
  }
}

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind on the long-lived signal. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
