// The relayer: sends `submitWithSignature` from one key. Sends go out one at a time, each with the
// nonce the relayer counts itself, so concurrent requests never share a nonce; the count is read
// again from the node ("pending") after any failed send, since a failure may or may not have
// consumed the nonce. Mining is awaited outside the queue, so many relays share a block.
import type { Signer, TransactionReceipt, TransactionResponse } from "ethers";

import { VERIFIER_INTERFACE } from "./rules.js";

/** A failed send the node refused for the nonce: another sender used the key, the count is re-read. */
const NONCE_REFUSED = /nonce too low|nonce has already been used|NONCE_EXPIRED|replacement transaction underpriced/i;

export interface RelayedIntent {
  hash: string;
  nonce: number;
  /** Settles once mined: the receipt (status 1, or 0 if it reverted after all). */
  mined: Promise<TransactionReceipt | null>;
}

export interface RelayerOptions {
  signer: Signer;
  verifier: string;
  /** Gas for a relay; default: the node's estimate plus a fifth. */
  gasLimit?: bigint;
}

export class Relayer {
  readonly #signer: Signer;
  readonly #verifier: string;
  readonly #gasLimit: bigint | undefined;
  #address: string | undefined;
  /** The next nonce to use; undefined: ask the node. */
  #nextNonce: number | undefined;
  /** The send in progress: every send waits for the one before it. */
  #queue: Promise<unknown> = Promise.resolve();
  #sent = 0;

  constructor(options: RelayerOptions) {
    this.#signer = options.signer;
    this.#verifier = options.verifier;
    this.#gasLimit = options.gasLimit;
  }

  async address(): Promise<string> {
    this.#address ??= (await this.#signer.getAddress()).toLowerCase();
    return this.#address;
  }

  /** Transactions this relayer has sent. */
  get sent(): number {
    return this.#sent;
  }

  /** The calldata of a relay: what the simulation calls and the transaction sends. */
  static calldata(intent: object, signature: string): string {
    return VERIFIER_INTERFACE.encodeFunctionData("submitWithSignature", [intent, signature]);
  }

  /** Sends the relay of `data` (see {@link calldata}); resolves once the node accepted it. */
  async relay(data: string): Promise<RelayedIntent> {
    const provider = this.#provider();
    const from = await this.address();
    // Estimated before the queue: it needs no nonce, and sends should not wait for it.
    const gasLimit = this.#gasLimit ?? ((await provider.estimateGas({ to: this.#verifier, data, from })) * 6n) / 5n;
    const send = this.#queue.then(() => this.#send(data, gasLimit));
    this.#queue = send.catch(() => {});
    return send;
  }

  #provider() {
    const provider = this.#signer.provider;
    if (provider === null) throw new Error("the relayer's signer has no provider");
    return provider;
  }

  async #send(data: string, gasLimit: bigint, retried = false): Promise<RelayedIntent> {
    const from = await this.address();
    const nonce = this.#nextNonce ?? (await this.#provider().getTransactionCount(from, "pending"));
    let response: TransactionResponse;
    try {
      response = await this.#signer.sendTransaction({ to: this.#verifier, data, nonce, gasLimit });
    } catch (error) {
      this.#nextNonce = undefined;
      if (!retried && NONCE_REFUSED.test(String((error as Error).message))) return this.#send(data, gasLimit, true);
      throw error;
    }
    this.#nextNonce = nonce + 1;
    this.#sent += 1;
    return { hash: response.hash, nonce, mined: response.wait() };
  }
}
