// Where a bot learns of intents: the verifier's events read from the chain, or the service's live
// stream (GET /api/events, Server-Sent Events) when a service URL is given. Either way a source is
// only a hint: a bot reads the intent's record on the chain before it acts on it.
import type { Intent } from "../../lib/domain/index.js";
import { INTERFACES } from "../indexer/events.js";
import type { BotRpc } from "./rpc.js";

export type OpenStatus = "Pending" | "Executing";

export interface OpenIntent {
  id: string;
  intent: Intent;
  status: OpenStatus;
}

export interface IntentSource {
  readonly describe: string;
  /** Takes in what happened since the last call. */
  refresh(): Promise<void>;
  /** Intents last seen Pending or Executing, oldest first. */
  open(): OpenIntent[];
  close(): Promise<void>;
}

const VERIFIER = INTERFACES.IntentVerifier;
const STATUS_PENDING = 1n;

interface LogEntry {
  topics: string[];
  data: string;
  blockNumber: string;
}

/** The intents of one verifier, folded from its events. */
class IntentBook {
  readonly #open = new Map<string, OpenIntent>();

  submitted(id: string, intent: Intent): void {
    this.#open.set(id, { id, intent, status: "Pending" });
  }

  status(id: string, status: OpenStatus | "closed"): void {
    const entry = this.#open.get(id);
    if (entry === undefined) return;
    if (status === "closed") this.#open.delete(id);
    else entry.status = status;
  }

  has(id: string): boolean {
    return this.#open.has(id);
  }

  open(): OpenIntent[] {
    return [...this.#open.values()];
  }

  /** Folds one verifier log. */
  fold(log: { topics: readonly string[]; data: string }): void {
    let parsed;
    try {
      parsed = VERIFIER.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      return; // an event of another ABI version: nothing a bot acts on
    }
    if (parsed === null) return;
    const id = String(parsed.args[0]).toLowerCase();
    switch (parsed.name) {
      case "IntentSubmitted": {
        const [, user, intentType, nonce, expiry, params] = parsed.args;
        this.submitted(id, { user, intentType: Number(intentType), nonce, expiry, params });
        return;
      }
      case "IntentClaimed":
        return this.status(id, "Executing");
      case "ClaimFailed":
        return this.status(id, parsed.args[3] ? "Pending" : "closed");
      case "ClaimReleased":
        return this.status(id, BigInt(parsed.args[3]) === STATUS_PENDING ? "Pending" : "closed");
      case "IntentCompleted":
      case "IntentCancelled":
      case "IntentExpired":
        return this.status(id, "closed");
    }
  }
}

/** The verifier's logs, read in ranges from `fromBlock` to the head at each refresh. */
export function chainSource(options: {
  rpc: BotRpc;
  verifier: string;
  fromBlock: number;
  /** The read steps, with the bot's retry policy. */
  read: <T>(step: string, operation: () => Promise<T>) => Promise<T>;
  rangeBlocks?: number;
}): IntentSource {
  const { rpc, verifier, read } = options;
  const book = new IntentBook();
  let next = options.fromBlock;
  const range = options.rangeBlocks ?? 2_000;
  return {
    describe: `the chain (verifier ${verifier} from block ${options.fromBlock})`,
    async refresh() {
      const head = Number(await read("source: head", () => rpc.call<string>("eth_blockNumber")));
      while (next <= head) {
        const to = Math.min(head, next + range - 1);
        const logs = await read("source: logs", () =>
          rpc.call<LogEntry[]>("eth_getLogs", [
            { address: verifier, fromBlock: `0x${next.toString(16)}`, toBlock: `0x${to.toString(16)}` },
          ]),
        );
        for (const log of logs) book.fold(log);
        next = to + 1;
      }
    },
    open: () => book.open(),
    close: async () => {},
  };
}

interface StreamPayload {
  intentId: string;
  status: string;
  seq: number;
}

/**
 * The service's live stream of every intent. A new Pending intent's fields come from its
 * submission's receipt on the chain (the transaction the service names): the same bytes the
 * verifier hashed, not the service's decoded copy.
 */
export function serviceSource(options: {
  serviceUrl: string;
  rpc: BotRpc;
  verifier: string;
  read: <T>(step: string, operation: () => Promise<T>) => Promise<T>;
  log?: (line: string) => void;
}): IntentSource {
  const { rpc, read } = options;
  const base = options.serviceUrl.replace(/\/$/, "");
  const verifier = options.verifier.toLowerCase();
  const book = new IntentBook();
  let lastSeq = 0;
  let closed = false;
  let controller: AbortController | undefined;
  /** Updates of intents whose fields are not known yet, in arrival order. */
  const waiting = new Map<string, string>();
  let connected: Promise<void> | undefined;

  /** Folds the intent's submission from the chain; false when the service or the chain has not got it yet. */
  async function fields(id: string): Promise<boolean> {
    const response = await read("source: intent", async () => {
      const answer = await fetch(`${base}/api/intents/${id}`, { signal: AbortSignal.timeout(10_000) });
      if (answer.status === 404) return undefined;
      if (!answer.ok) throw new Error(`GET /api/intents/${id}: HTTP ${answer.status}`);
      return (await answer.json()) as { intent: { transactions: { hash: string }[] } | null };
    });
    const hash = response?.intent?.transactions[0]?.hash;
    if (hash === undefined) return false;
    const receipt = await read("source: receipt", () =>
      rpc.call<{ logs: (LogEntry & { address: string })[] } | null>("eth_getTransactionReceipt", [hash]),
    );
    for (const log of receipt?.logs ?? []) {
      if (log.address.toLowerCase() !== verifier || log.topics[1]?.toLowerCase() !== id) continue;
      book.fold(log);
    }
    return book.has(id);
  }

  function take(payload: StreamPayload): void {
    lastSeq = Math.max(lastSeq, payload.seq);
    const id = payload.intentId.toLowerCase();
    const status = payload.status;
    const open = status === "Pending" || status === "Executing";
    if (!book.has(id)) {
      if (open) waiting.set(id, status);
      else waiting.delete(id);
      return;
    }
    book.status(id, open ? (status as OpenStatus) : "closed");
  }

  async function stream(): Promise<void> {
    while (!closed) {
      controller = new AbortController();
      try {
        const response = await fetch(`${base}/api/events`, {
          headers: { accept: "text/event-stream", "last-event-id": String(lastSeq) },
          signal: controller.signal,
        });
        if (!response.ok || response.body === null) throw new Error(`GET /api/events: HTTP ${response.status}`);
        const decoder = new TextDecoder();
        let buffer = "";
        for await (const chunk of response.body) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(message)?.[1];
            const data = /^data: (.+)$/m.exec(message)?.[1];
            if (event !== undefined && data !== undefined) take(JSON.parse(data) as StreamPayload);
          }
        }
      } catch (error) {
        if (closed) return;
        options.log?.(`live stream from ${base}: ${(error as Error).message}; reconnecting after seq ${lastSeq}`);
      }
      if (!closed) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  return {
    describe: `the service's live stream (${base}/api/events)`,
    async refresh() {
      connected ??= stream();
      for (const [id, status] of [...waiting]) {
        if (!(await fields(id))) continue; // asked again next round
        waiting.delete(id);
        if (book.has(id) && status === "Executing") book.status(id, "Executing");
      }
    },
    open: () => book.open(),
    close: async () => {
      closed = true;
      controller?.abort();
      await connected?.catch(() => {});
    },
  };
}
