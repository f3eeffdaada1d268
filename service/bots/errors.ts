// Every failure a bot meets, as one code: what `intent_errors_total{error_code}` counts and what
// decides a retry. Transient codes can pass on their own (the network, the node's rate limit, a
// nonce or fee race); a revert repeats when sent again, so it is never retried.
import { Interface } from "ethers";

import { decodeRevertData } from "../../lib/domain/index.js";
import { INTERFACES } from "../indexer/events.js";
import { RpcFailure } from "./rpc.js";

/** The errors a bot's calls can revert with: the verifier's, the registry's, a token's. */
export const BOT_ABIS = [
  INTERFACES.IntentVerifier,
  INTERFACES.SolverRegistry,
  new Interface([
    "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
    "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  ]),
];

export interface Classified {
  code: string;
  transient: boolean;
  message: string;
  /** Seconds the node asked to wait (a 429's Retry-After). */
  retryAfterSeconds?: number;
}

/** Thrown by the bots' own checks, with the code it is counted under. */
export class BotError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = "BotError";
  }
}

export const TRANSIENT_CODES = new Set([
  "RPC_DROPPED",
  "RPC_TIMEOUT",
  "RPC_RATE_LIMITED",
  "RPC_UNAVAILABLE",
  "NONCE_TOO_LOW",
  "UNDERPRICED",
]);

const NONCE_TOO_LOW = /nonce too low|nonce has already been used|nonce.*(is lower|already)/i;
const UNDERPRICED = /underpriced|fee too low|max fee per gas less than block base fee|fee cap less than/i;
const RATE_LIMITED = /rate limit|too many requests/i;

export function classify(error: unknown, abis: Interface[] = BOT_ABIS): Classified {
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  if (error instanceof BotError) return { code: error.code, transient: error.transient, message };
  if (error instanceof RpcFailure) {
    const { status, rpcCode, data, retryAfterSeconds } = error.details;
    switch (error.kind) {
      case "network":
        return { code: "RPC_DROPPED", transient: true, message };
      case "timeout":
        return { code: "RPC_TIMEOUT", transient: true, message };
      case "http":
        if (status === 429) return { code: "RPC_RATE_LIMITED", transient: true, message, retryAfterSeconds };
        if (status !== undefined && status >= 500) return { code: "RPC_UNAVAILABLE", transient: true, message };
        return { code: `RPC_HTTP_${status}`, transient: false, message };
      case "rpc": {
        if (rpcCode === -32005 || RATE_LIMITED.test(message))
          return { code: "RPC_RATE_LIMITED", transient: true, message };
        if (NONCE_TOO_LOW.test(message)) return { code: "NONCE_TOO_LOW", transient: true, message };
        if (UNDERPRICED.test(message)) return { code: "UNDERPRICED", transient: true, message };
        if (/insufficient funds/i.test(message)) return { code: "INSUFFICIENT_FUNDS", transient: false, message };
        if (data !== undefined && data.length >= 10) {
          const decoded = decodeRevertData(data, abis);
          return { code: `REVERT_${decoded?.name ?? data.slice(0, 10)}`, transient: false, message };
        }
        if (/revert/i.test(message)) return { code: "REVERT", transient: false, message };
        return { code: "RPC_ERROR", transient: false, message };
      }
    }
  }
  return { code: "UNEXPECTED", transient: false, message };
}
