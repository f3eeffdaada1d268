// The service's reads of the chain over plain HTTP JSON-RPC: the indexer's requests and the cache's
// chain tier. Requests of one turn of the event loop travel together as one JSON-RPC batch over a
// keep-alive pool (undici): under load that is a fraction of the HTTP work, on both sides, of one
// request per call, and far less than ethers' provider, which resolves, checks the network,
// queues every request and decodes every body in JavaScript first. Each cache miss is still
// exactly one eth_call.
import { Pool } from "undici";

export interface ChainReader {
  call(to: string, data: string): Promise<string>;
  /** Lets go of connections (a reader over a provider has none). */
  close?(): Promise<void>;
}

export class ChainReadError extends Error {
  override name = "ChainReadError";
  /** The node's `error.data`: a revert's data for a failed eth_call. */
  constructor(
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface Waiting {
  id: number;
  method: string;
  params: unknown[];
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface RpcAnswer {
  id: number;
  result?: unknown;
  error?: { message: string; data?: unknown };
}

/** JSON-RPC over HTTP: what the indexer reads with, and the chain tier's transport. */
export interface JsonRpcClient {
  send(method: string, params: unknown[]): Promise<any>;
  close(): Promise<void>;
}

/**
 * JSON-RPC over a keep-alive pool (undici), the requests of one event-loop turn sent together as
 * batches of at most `maxBatch`. Bodies are parsed natively: ethers' provider decodes them as
 * UTF-8 in JavaScript, which was 40 % of a backfill's time on the main thread.
 */
export function httpJsonRpc(url: string, { maxBatch = 50 }: { maxBatch?: number } = {}): JsonRpcClient {
  const target = new URL(url);
  // A node that stops answering fails its requests after 30 s rather than holding them.
  const pool = new Pool(target.origin, { connections: 8, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const path = `${target.pathname}${target.search}`;
  let waiting: Waiting[] = [];
  let nextId = 0;

  async function post(batch: Waiting[]): Promise<void> {
    const label = [...new Set(batch.map((request) => request.method))].join(", ");
    try {
      const { statusCode, body } = await pool.request({
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch.map(({ id, method, params }) => ({ jsonrpc: "2.0", id, method, params }))),
      });
      if (statusCode !== 200) {
        await body.dump();
        throw new ChainReadError(`${label}: the node answered HTTP ${statusCode}`);
      }
      const answers = (await body.json()) as RpcAnswer[] | RpcAnswer;
      if (!Array.isArray(answers)) throw new ChainReadError(`${label}: ${answers.error?.message ?? "no batch answer"}`);
      const byId = new Map(answers.map((answer) => [answer.id, answer]));
      for (const request of batch) {
        const answer = byId.get(request.id);
        if (answer !== undefined && "result" in answer) request.resolve(answer.result);
        else
          request.reject(
            new ChainReadError(`${request.method}: ${answer?.error?.message ?? "no result"}`, answer?.error?.data),
          );
      }
    } catch (error) {
      const failure =
        error instanceof ChainReadError ? error : new ChainReadError(`${label}: ${(error as Error).message}`);
      for (const request of batch) request.reject(failure);
    }
  }

  function flush(): void {
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += maxBatch) void post(all.slice(i, i + maxBatch));
  }

  return {
    send(method, params) {
      return new Promise((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ id: ++nextId, method, params, resolve, reject });
      });
    },
    // Requests still on their way get 2 s to finish; then the connections are cut.
    close: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), 2_000)));
      const closed = await Promise.race([pool.close().then(() => "closed" as const), late]);
      clearTimeout(timer);
      if (closed === "late") await pool.destroy();
    },
  };
}

/** The chain tier over a JSON-RPC client the caller owns (the indexer's, so one pool per node). */
export function chainReaderOver(rpc: Pick<JsonRpcClient, "send">): ChainReader {
  return { call: (to, data) => rpc.send("eth_call", [{ to, data }, "latest"]) as Promise<string> };
}

/** The chain tier over HTTP with a client of its own: each miss one eth_call, the misses of one turn in one batch. */
export function httpChainReader(url: string, options: { maxBatch?: number } = {}): ChainReader {
  const rpc = httpJsonRpc(url, options);
  return { ...chainReaderOver(rpc), close: () => rpc.close() };
}

/** A reader over any ethers runner (Hardhat's in-process network has no URL). */
export function runnerChainReader(runner: {
  call?: (tx: { to: string; data: string }) => Promise<string>;
}): ChainReader {
  const call = runner.call?.bind(runner);
  if (call === undefined) throw new ChainReadError("the service's chain reader cannot eth_call");
  return { call: (to, data) => call({ to, data }) };
}
