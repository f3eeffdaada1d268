// The bots' JSON-RPC transport: one request per call, each with its own timeout, failures thrown
// as an RpcFailure that says what kind of failure it was, so that the retry policy can tell a
// dropped connection or a 429 (worth another attempt) from a revert (which would repeat).
import { Agent } from "undici";

export type FailureKind = "network" | "timeout" | "http" | "rpc";

export class RpcFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly details: { status?: number; rpcCode?: number; data?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "RpcFailure";
  }
}

export interface BotRpc {
  readonly url: string;
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export interface BotRpcOptions {
  /** A request that has no answer after this long fails as a timeout (default 10 s). */
  timeoutMs?: number;
}

export function botRpc(url: string, options: BotRpcOptions = {}): BotRpc {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const dispatcher = new Agent({ connections: 8, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let nextId = 0;
  return {
    url,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const id = ++nextId;
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
          signal: AbortSignal.timeout(timeoutMs),
          // @ts-expect-error undici's dispatcher option, which Node's fetch accepts
          dispatcher,
        });
        text = await response.text();
      } catch (error) {
        const cause = error as Error & { cause?: { code?: string; message?: string } };
        if (cause.name === "TimeoutError" || cause.name === "AbortError" || /timeout/i.test(cause.cause?.code ?? "")) {
          throw new RpcFailure(`${method}: no answer within ${timeoutMs} ms`, "timeout");
        }
        throw new RpcFailure(`${method}: ${cause.cause?.message ?? cause.message}`, "network");
      }
      if (response.status !== 200) {
        const retryAfter = Number(response.headers.get("retry-after"));
        throw new RpcFailure(`${method}: the node answered HTTP ${response.status}`, "http", {
          status: response.status,
          retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
        });
      }
      let answer: { result?: T; error?: { code?: number; message?: string; data?: unknown } };
      try {
        answer = JSON.parse(text);
      } catch {
        throw new RpcFailure(`${method}: the node's answer is not JSON`, "network");
      }
      if (answer.error !== undefined) {
        const data = typeof answer.error.data === "string" ? answer.error.data : undefined;
        throw new RpcFailure(`${method}: ${answer.error.message ?? "error"}`, "rpc", {
          rpcCode: answer.error.code,
          data,
        });
      }
      return answer.result as T;
    },
    close: () => dispatcher.close(),
  };
}
