// The node a manifest names: it must answer, on the chain the manifest was deployed to, before
// anything is compared. Plain JSON-RPC over fetch with a timeout, so an unreachable URL is one
// line saying what to do, not a stack trace or a hang.
import { PipelineError } from "../errors.js";

const TIMEOUT_MS = 15_000;

export class ChainClient {
  constructor(readonly url: string) {}

  async request<T>(method: string, params: unknown[] = []): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new PipelineError(
        `no node answers at ${this.url} (${cause}); start the chain or fix the manifest's rpcUrl, then run verify again`,
      );
    }
    let body: { result?: T; error?: { message: string } };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new PipelineError(`${this.url} answered ${method} with HTTP ${response.status} and no JSON-RPC body`);
    }
    if (body.error) throw new PipelineError(`${this.url} rejected ${method}: ${body.error.message}`);
    return body.result as T;
  }

  /** Fails unless the node answers with `chainId`. */
  async expectChain(chainId: number): Promise<void> {
    const answered = Number(await this.request<string>("eth_chainId"));
    if (answered !== chainId) {
      throw new PipelineError(
        `the node at ${this.url} is chain ${answered}, but the manifest's deployment is on chain ${chainId}; point verify at that chain's node`,
      );
    }
  }

  getCode(address: string): Promise<string> {
    return this.request<string>("eth_getCode", [address, "latest"]);
  }
}
