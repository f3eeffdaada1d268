// Tails intent_updates by seq and hands each new row, once and in seq order, to whoever listens
// in this process (the SSE connections of its intent, the socket.io broadcaster). It learns that
// there are rows from `poke()`: the indexer's callbacks after each commit where the indexer runs,
// a poll of the table on an instance without it.
import type { Queryable } from "../store/database.js";
import { type Update, lastSeq, readUpdates } from "./update-log.js";

export type UpdateListener = (update: Update) => void;

const PAGE = 1_000;

export class UpdateFeed {
  readonly #db: Queryable;
  /** The last seq handed out; rows below it are history, read from the table by whoever wants them. */
  #seq: number | undefined;
  readonly #byIntent = new Map<string, Set<UpdateListener>>();
  readonly #all = new Set<UpdateListener>();
  #reading: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  /** Why the last read failed, for the poller's caller; the next poke tries again. */
  lastError: unknown;

  constructor(db: Queryable) {
    this.#db = db;
  }

  /** Starts at the log's end: only rows committed from now on are new. */
  async start(): Promise<void> {
    this.#seq ??= await lastSeq(this.#db);
  }

  get seq(): number | undefined {
    return this.#seq;
  }

  /** Listens to one intent's rows; returns the unsubscribe. */
  subscribe(intentId: string, listener: UpdateListener): () => void {
    let set = this.#byIntent.get(intentId);
    if (set === undefined) this.#byIntent.set(intentId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#byIntent.get(intentId) === set) this.#byIntent.delete(intentId);
    };
  }

  /** Listens to every row; returns the unsubscribe. */
  subscribeAll(listener: UpdateListener): () => void {
    this.#all.add(listener);
    return () => this.#all.delete(listener);
  }

  /**
   * Reads what was committed since the last read and hands it out. Pokes that arrive during a
   * read make one more read after it, never a concurrent one: rows go out in seq order.
   */
  poke(): Promise<void> {
    if (this.#reading !== undefined) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = (async () => {
      try {
        do {
          this.#again = false;
          await this.#drain();
        } while (this.#again);
        this.lastError = undefined;
      } catch (error) {
        this.lastError = error;
        throw error;
      } finally {
        this.#reading = undefined;
      }
    })();
    return this.#reading;
  }

  /** Polls the table every `ms` (an instance without the indexer); stop() ends it. */
  poll(ms: number): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.poke().catch(() => {}), ms);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #drain(): Promise<void> {
    await this.start();
    for (;;) {
      const rows = await readUpdates(this.#db, { after: this.#seq!, limit: PAGE });
      for (const update of rows) {
        this.#seq = update.seq;
        for (const listener of this.#all) deliver(listener, update);
        const set = this.#byIntent.get(update.intentId);
        if (set !== undefined) for (const listener of [...set]) deliver(listener, update);
      }
      if (rows.length < PAGE) return;
    }
  }
}

/** One listener's failure (a socket gone mid-write) must not keep the row from the others. */
function deliver(listener: UpdateListener, update: Update): void {
  try {
    listener(update);
  } catch {
    // the listener's own connection handles its end
  }
}
