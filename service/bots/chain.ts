// The reads and writes a bot makes of the verifier, the registry and tokens, over its own
// transport: every read retried by the bot's policy, every write through its sender.
import { Interface, type Result } from "ethers";

import type { Intent } from "../../lib/domain/index.js";
import { INTERFACES } from "../indexer/events.js";
import { type Classified, classify } from "./errors.js";
import { type RetryPolicy, withRetry } from "./retry.js";
import type { BotRpc } from "./rpc.js";
import type { Mined, TxSender } from "./sender.js";

export const ERC20 = new Interface([
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function decimals() view returns (uint8)",
]);

export interface IntentOnChain {
  status: number;
  claimDeadline: bigint;
  claimedAt: bigint;
  solver: string;
}

export const STATUS = { None: 0, Pending: 1, Executing: 2, Completed: 3, Failed: 4, Expired: 5, Cancelled: 6 };

export interface BotChainOptions {
  rpc: BotRpc;
  sender?: TxSender;
  verifier: string;
  registry: string;
  retry: RetryPolicy;
  /** A failed attempt, with the intent type it concerned ("none" when none). */
  onFailure(failure: Classified, intentType: string): void;
}

export class BotChain {
  readonly options: BotChainOptions;

  constructor(options: BotChainOptions) {
    this.options = options;
  }

  classify(error: unknown): Classified {
    return classify(error);
  }

  read<T>(step: string, operation: () => Promise<T>, intentType = "none"): Promise<T> {
    return withRetry(
      step,
      operation,
      this.options.retry,
      (failure) => this.options.onFailure(failure, intentType),
      (e) => this.classify(e),
    );
  }

  async #call(to: string, iface: Interface, name: string, args: unknown[], intentType?: string): Promise<Result> {
    const data = iface.encodeFunctionData(name, args);
    const answer = await this.read(
      `read ${name}`,
      () => this.options.rpc.call<string>("eth_call", [{ to, data }, "latest"]),
      intentType,
    );
    return iface.decodeFunctionResult(name, answer);
  }

  verifierCall(name: string, args: unknown[] = [], intentType?: string): Promise<Result> {
    return this.#call(this.options.verifier, INTERFACES.IntentVerifier, name, args, intentType);
  }

  registryCall(name: string, args: unknown[] = []): Promise<Result> {
    return this.#call(this.options.registry, INTERFACES.SolverRegistry, name, args);
  }

  tokenCall(token: string, name: string, args: unknown[] = []): Promise<Result> {
    return this.#call(token, ERC20, name, args);
  }

  async intent(id: string, intentType?: string): Promise<IntentOnChain> {
    const [record] = await this.verifierCall("getIntent", [id], intentType);
    return {
      status: Number(record.status),
      claimDeadline: BigInt(record.claimDeadline),
      claimedAt: BigInt(record.claimedAt),
      solver: String(record.solver),
    };
  }

  /** The latest block's time and base fee: "now" as the contracts see it. */
  async head(): Promise<{ now: bigint; baseFeeWei: bigint; number: number }> {
    const block = await this.read("read head", () =>
      this.options.rpc.call<{ timestamp: string; baseFeePerGas?: string; number: string }>("eth_getBlockByNumber", [
        "latest",
        false,
      ]),
    );
    return { now: BigInt(block.timestamp), baseFeeWei: BigInt(block.baseFeePerGas ?? 0), number: Number(block.number) };
  }

  #sender(): TxSender {
    if (this.options.sender === undefined) throw new Error("this BotChain has no sender");
    return this.options.sender;
  }

  sendVerifier(step: string, name: string, args: unknown[], intentType = "none"): Promise<Mined> {
    const data = INTERFACES.IntentVerifier.encodeFunctionData(name, args);
    return this.#sender().send(step, this.options.verifier, data, intentType);
  }

  sendToken(step: string, token: string, name: string, args: unknown[]): Promise<Mined> {
    return this.#sender().send(step, token, ERC20.encodeFunctionData(name, args));
  }
}

export function intentTuple(intent: Intent): [string, number, bigint, bigint, string] {
  return [intent.user, intent.intentType, intent.nonce, intent.expiry, intent.params];
}
