// The cache's chain tier: `eth_call` over plain HTTP JSON-RPC (Node's fetch, keep-alive), about
// a fifth of what the same call costs through ethers' provider, which resolves the request,
// checks the network and queues for batching first.
export interface ChainReader {
  call(to: string, data: string): Promise<string>;
}

export class ChainReadError extends Error {
  override name = "ChainReadError";
}

export function httpChainReader(url: string): ChainReader {
  let id = 0;
  return {
    async call(to, data) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method: "eth_call", params: [{ to, data }, "latest"] }),
      });
      if (!response.ok) throw new ChainReadError(`eth_call: the node answered HTTP ${response.status}`);
      const body = (await response.json()) as { result?: string; error?: { message: string } };
      if (body.result === undefined) throw new ChainReadError(`eth_call: ${body.error?.message ?? "no result"}`);
      return body.result;
    },
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
