// The cache's chain tier: `eth_call` over plain HTTP JSON-RPC. Each miss is exactly one eth_call,
// but the misses of one turn of the event loop travel together as one JSON-RPC batch over a
// keep-alive pool (undici): under load that is a fraction of the HTTP work, on both sides, of one
// request per call, and far less than ethers' provider, which resolves, checks the network and
// queues every request first.
import { Pool } from "undici";

export interface ChainReader {
  call(to: string, data: string): Promise<string>;
  /** Lets go of connections (a reader over a provider has none). */
  close?(): Promise<void>;
}

export class ChainReadError extends Error {
  override name = "ChainReadError";
}

interface Waiting {
  id: number;
  to: string;
  data: string;
  resolve(result: string): void;
  reject(error: Error): void;
}

interface RpcAnswer {
  id: number;
  result?: string;
  error?: { message: string };
}

/** Calls gathered in one event-loop turn, sent as batches of at most `maxBatch`. */
export function httpChainReader(url: string, { maxBatch = 50 }: { maxBatch?: number } = {}): ChainReader {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 8 });
  const path = `${target.pathname}${target.search}`;
  let waiting: Waiting[] = [];
  let nextId = 0;

  async function send(batch: Waiting[]): Promise<void> {
    try {
      const { statusCode, body } = await pool.request({
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          batch.map(({ id, to, data }) => ({
            jsonrpc: "2.0",
            id,
            method: "eth_call",
            params: [{ to, data }, "latest"],
          })),
        ),
      });
      if (statusCode !== 200) {
        await body.dump();
        throw new ChainReadError(`eth_call: the node answered HTTP ${statusCode}`);
      }
      const answers = (await body.json()) as RpcAnswer[] | RpcAnswer;
      if (!Array.isArray(answers)) throw new ChainReadError(`eth_call: ${answers.error?.message ?? "no batch answer"}`);
      const byId = new Map(answers.map((answer) => [answer.id, answer]));
      for (const call of batch) {
        const answer = byId.get(call.id);
        if (answer?.result !== undefined) call.resolve(answer.result);
        else call.reject(new ChainReadError(`eth_call: ${answer?.error?.message ?? "no result"}`));
      }
    } catch (error) {
      const failure =
        error instanceof ChainReadError ? error : new ChainReadError(`eth_call: ${(error as Error).message}`);
      for (const call of batch) call.reject(failure);
    }
  }

  function flush(): void {
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += maxBatch) void send(all.slice(i, i + maxBatch));
  }

  return {
    call(to, data) {
      return new Promise((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ id: ++nextId, to, data, resolve, reject });
      });
    },
    close: () => pool.close(),
  };
}

/** A reader over any ethers runner (Hardhat's in-process network has no URL). */
export function runnerChainReader(runner: {
  call?: (tx: { to: string; data: string }) => Promise<string>;
}): ChainReader {
  const call = runner.call?.bind(runner);
  if (call === undefined) throw new ChainReadError("the service's chain reader cannot eth_call");
  return { call: (to, data) => call({ to, data }) };
}
