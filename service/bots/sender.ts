// One bot account's transactions, one at a time, each nonce used by exactly one signed
// transaction. A transaction is signed once; every retry re-broadcasts the same bytes (the same
// hash), so a retry can never send a second transaction. Its nonce is taken from the chain at
// start (after a crash the chain is the truth) and advanced only when its receipt is seen.
import { Wallet, keccak256, toBeHex } from "ethers";

import type { Classified } from "./errors.js";
import { type RetryPolicy, StepFailed, sleep, withRetry } from "./retry.js";
import type { BotRpc } from "./rpc.js";

export interface TxFields {
  to: string;
  data: string;
  nonce: number;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  chainId: number;
}

/** Signs a bot's transactions: with its key, or by the node that holds it (eth_signTransaction). */
export interface TxSigner {
  readonly address: string;
  sign(tx: TxFields): Promise<string>;
}

export function keySigner(privateKey: string): TxSigner {
  const wallet = new Wallet(privateKey);
  return {
    address: wallet.address,
    sign: (tx) => wallet.signTransaction({ type: 2, ...tx, gasLimit: tx.gas }),
  };
}

/** A node's unlocked account (anvil's): the node signs, this process sends. */
export function nodeSigner(rpc: BotRpc, address: string): TxSigner {
  return {
    address,
    sign: (tx) =>
      rpc.call<string>("eth_signTransaction", [
        {
          from: address,
          to: tx.to,
          data: tx.data,
          nonce: toBeHex(tx.nonce),
          gas: toBeHex(tx.gas),
          maxFeePerGas: toBeHex(tx.maxFeePerGas),
          maxPriorityFeePerGas: toBeHex(tx.maxPriorityFeePerGas),
          chainId: toBeHex(tx.chainId),
          type: "0x2",
        },
      ]),
  };
}

export interface Mined {
  hash: string;
  nonce: number;
  blockNumber: number;
  gasUsed: bigint;
}

export interface SenderOptions {
  rpc: BotRpc;
  signer: TxSigner;
  chainId: number;
  retry: RetryPolicy;
  /** Every failed attempt, by step (counted by the caller). */
  onFailure(failure: Classified, step: string, intentType: string): void;
  /** A transaction without a receipt this long: its nonce is stuck (default 60 s). */
  stuckAfterMs?: number;
  onStuck?(nonce: number, hash: string, waitedMs: number): void;
  /** How often a sent transaction's receipt is asked for (default 250 ms). */
  pollMs?: number;
  /** The tip offered (default 1 gwei); the fee cap is twice the base fee plus the tip. */
  priorityFeeWei?: bigint;
  /** Gas estimated times this, in percent (default 125). */
  gasMarginPercent?: bigint;
}

interface InFlight {
  nonce: number;
  raw: string;
  hash: string;
  sentAt: number;
}

interface Receipt {
  status: string;
  blockNumber: string;
  gasUsed: string;
}

const ALREADY_KNOWN = /already known|known transaction|already imported|already exists/i;

export class TxSender {
  readonly #options: SenderOptions;
  #nonce: number | undefined;
  #inFlight: InFlight | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;
  /** The intent type of the send in progress, for the failures it counts. */
  #intentType = "none";
  /** Distinct signed transactions this process broadcast, by nonce (a test reads it). */
  readonly signedByNonce = new Map<number, string>();

  constructor(options: SenderOptions) {
    this.#options = options;
  }

  get address(): string {
    return this.#options.signer.address;
  }

  /** The next nonce this account will use (undefined before start()). */
  get nonce(): number | undefined {
    return this.#nonce;
  }

  /** Reads the account's next nonce from the chain, pending transactions included. */
  async start(): Promise<void> {
    this.#nonce = await this.#nonceFromChain();
  }

  /** Ends the wait for a receipt that never comes: a send in progress fails with STOPPED. */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * Sends a call and waits for it to be mined. It is simulated first (eth_estimateGas): a call
   * that would revert is not sent and fails with its revert's code. A mined revert fails with
   * MINED_REVERT. Sends queue: one transaction of this account is in flight at a time.
   */
  send(step: string, to: string, data: string, intentType = "none"): Promise<Mined> {
    const run = this.#queue.then(() => {
      this.#intentType = intentType;
      return this.#send(step, to, data);
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  #retry<T>(step: string, operation: () => Promise<T>): Promise<T> {
    return withRetry(step, operation, this.#options.retry, (failure) =>
      this.#options.onFailure(failure, step, this.#intentType),
    );
  }

  async #nonceFromChain(): Promise<number> {
    const count = await this.#retry("nonce", () =>
      this.#options.rpc.call<string>("eth_getTransactionCount", [this.address, "pending"]),
    );
    return Number(count);
  }

  async #send(step: string, to: string, data: string): Promise<Mined> {
    const { rpc, signer, chainId } = this.#options;
    if (this.#nonce === undefined) throw new Error("TxSender.start() was not called");
    if (this.#stopped) throw new StepFailed(step, { code: "STOPPED", transient: false, message: "stopping" }, 1);
    // A transaction of an earlier send that never saw its receipt holds the nonce: it goes first,
    // and while it is unsettled nothing else is signed (that would be a second one of its nonce).
    if (this.#inFlight !== undefined) {
      await this.#settle(step).catch(() => {});
      if (this.#inFlight !== undefined) {
        throw new StepFailed(
          step,
          { code: "STOPPED", transient: false, message: `nonce ${this.#inFlight.nonce} still in flight` },
          1,
        );
      }
    }
    const gas = BigInt(
      await this.#retry(`${step}: simulate`, () =>
        rpc.call<string>("eth_estimateGas", [{ from: this.address, to, data }]),
      ),
    );
    const block = await this.#retry(`${step}: fees`, () =>
      rpc.call<{ baseFeePerGas?: string }>("eth_getBlockByNumber", ["latest", false]),
    );
    const tip = this.#options.priorityFeeWei ?? 1_000_000_000n;
    const fields: TxFields = {
      to,
      data,
      nonce: this.#nonce,
      gas: (gas * (this.#options.gasMarginPercent ?? 125n)) / 100n,
      maxFeePerGas: 2n * BigInt(block.baseFeePerGas ?? "0") + tip,
      maxPriorityFeePerGas: tip,
      chainId,
    };
    const raw = await this.#retry(`${step}: sign`, () => signer.sign(fields));
    const hash = keccak256(raw);
    this.signedByNonce.set(fields.nonce, hash);
    this.#inFlight = { nonce: fields.nonce, raw, hash, sentAt: Date.now() };
    return this.#settle(step);
  }

  /** Broadcasts the transaction in flight until its receipt is seen, never signing another. */
  async #settle(step: string): Promise<Mined> {
    const { rpc } = this.#options;
    const flight = this.#inFlight!;
    const stuckAfterMs = this.#options.stuckAfterMs ?? 60_000;
    let reportedStuck = false;
    for (;;) {
      if (this.#stopped) throw new StepFailed(step, { code: "STOPPED", transient: false, message: "stopping" }, 1);
      try {
        await this.#retry(`${step}: broadcast`, async () => {
          try {
            await rpc.call("eth_sendRawTransaction", [flight.raw]);
          } catch (error) {
            if (ALREADY_KNOWN.test((error as Error).message)) return;
            throw error;
          }
        });
      } catch (error) {
        if (!(error instanceof StepFailed)) throw error;
        // Nonce too low: either this transaction was mined (an earlier broadcast got through
        // though its answer was lost), or another transaction took the nonce.
        if (error.failure.code === "NONCE_TOO_LOW") {
          const receipt = await this.#receipt(step).catch(() => undefined);
          if (receipt !== undefined) return this.#mined(step, flight, receipt);
          if (Number(await this.#nonceFromChain()) > flight.nonce) {
            this.#inFlight = undefined;
            this.#nonce = await this.#nonceFromChain();
            this.#fail(step, {
              code: "NONCE_CONFLICT",
              message: `nonce ${flight.nonce} was used by another transaction`,
            });
          }
        } else if (!error.failure.transient) {
          // The node refuses the bytes themselves: nothing of this nonce is in flight.
          this.#inFlight = undefined;
          throw error;
        }
      }
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline) {
        const receipt = await this.#receipt(step).catch(() => undefined);
        if (receipt !== undefined) return this.#mined(step, flight, receipt);
        await sleep(this.#options.pollMs ?? 250);
        if (this.#stopped) break;
      }
      const waited = Date.now() - flight.sentAt;
      if (!reportedStuck && waited > stuckAfterMs) {
        reportedStuck = true;
        this.#options.onStuck?.(flight.nonce, flight.hash, waited);
      }
    }
  }

  /** A failure found without an attempt failing: counted like the others, then thrown. */
  #fail(step: string, failure: { code: string; message: string }): never {
    const classified = { ...failure, transient: false };
    this.#options.onFailure(classified, step, this.#intentType);
    throw new StepFailed(step, classified, 1);
  }

  async #receipt(step: string): Promise<Receipt | undefined> {
    const receipt = await this.#retry(`${step}: receipt`, () =>
      this.#options.rpc.call<Receipt | null>("eth_getTransactionReceipt", [this.#inFlight!.hash]),
    );
    return receipt ?? undefined;
  }

  #mined(step: string, flight: InFlight, receipt: Receipt): Mined {
    this.#inFlight = undefined;
    this.#nonce = flight.nonce + 1;
    if (Number(receipt.status) !== 1) {
      this.#fail(step, {
        code: "MINED_REVERT",
        message: `${flight.hash} reverted in block ${Number(receipt.blockNumber)}`,
      });
    }
    return {
      hash: flight.hash,
      nonce: flight.nonce,
      blockNumber: Number(receipt.blockNumber),
      gasUsed: BigInt(receipt.gasUsed),
    };
  }
}
