// Intents as the contracts define them: type ids, status names, encoding, hashing and EIP-712
// signing. One definition for deploy, tasks, the pipeline, the bench and the tests.
import { AbiCoder, type Signer, type TypedDataDomain } from "ethers";

export const INTENT_TYPE_TRANSFER = 1;
export const INTENT_TYPE_SWAP = 2;

/** The shipped intent types, by the names tasks and parameters files use. */
export const INTENT_TYPES = { transfer: INTENT_TYPE_TRANSFER, swap: INTENT_TYPE_SWAP } as const;
export type IntentTypeName = keyof typeof INTENT_TYPES;

export function intentTypeName(intentType: number): IntentTypeName | undefined {
  return (Object.keys(INTENT_TYPES) as IntentTypeName[]).find((name) => INTENT_TYPES[name] === intentType);
}

/** Mirrors `IntentStatus` in contracts/libraries/IntentTypes.sol. */
export const IntentStatus = {
  None: 0n,
  Pending: 1n,
  Executing: 2n,
  Completed: 3n,
  Failed: 4n,
  Expired: 5n,
  Cancelled: 6n,
} as const;

export const STATUS_NAMES = ["None", "Pending", "Executing", "Completed", "Failed", "Expired", "Cancelled"];

/** Statuses an intent never leaves. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["Completed", "Failed", "Expired", "Cancelled"]);

export interface Intent {
  user: string;
  intentType: number;
  nonce: bigint;
  expiry: bigint;
  params: string;
}

export interface Fulfillment {
  amountOut: bigint;
  gasUsed: bigint;
  totalCost: bigint;
  refs: { chainId: bigint; txHash: string }[];
}

const coder = AbiCoder.defaultAbiCoder();

export function encodeTransfer(token: string, amount: bigint, recipient: string): string {
  return coder.encode(["address", "uint256", "address"], [token, amount, recipient]);
}

export function encodeSwap(
  tokenIn: string,
  amountIn: bigint,
  tokenOut: string,
  minAmountOut: bigint,
  recipient: string,
): string {
  return coder.encode(
    ["address", "uint256", "address", "uint256", "address"],
    [tokenIn, amountIn, tokenOut, minAmountOut, recipient],
  );
}

export interface DecodedParams {
  token?: string;
  amount?: bigint;
  tokenIn?: string;
  amountIn?: bigint;
  tokenOut?: string;
  minAmountOut?: bigint;
  recipient: string;
}

/** An intent's params, decoded by its type (the inverse of {@link encodeTransfer} and {@link encodeSwap}). */
export function decodeParams(intentType: number, params: string): DecodedParams {
  if (intentType === INTENT_TYPE_TRANSFER) {
    const [token, amount, recipient] = coder.decode(["address", "uint256", "address"], params);
    return { token, amount, recipient };
  }
  const [tokenIn, amountIn, tokenOut, minAmountOut, recipient] = coder.decode(
    ["address", "uint256", "address", "uint256", "address"],
    params,
  );
  return { tokenIn, amountIn, tokenOut, minAmountOut, recipient };
}

export const INTENT_EIP712_TYPES = {
  Intent: [
    { name: "user", type: "address" },
    { name: "intentType", type: "uint8" },
    { name: "nonce", type: "uint64" },
    { name: "expiry", type: "uint40" },
    { name: "params", type: "bytes" },
  ],
};

export async function intentDomain(verifierAddress: string, chainId: bigint): Promise<TypedDataDomain> {
  return { name: "IntentKit", version: "1", chainId, verifyingContract: verifierAddress };
}

/** The user's EIP-712 signature over `intent` for the verifier at `verifierAddress`. */
export async function signIntent(
  signer: Signer,
  verifierAddress: string,
  chainId: bigint,
  intent: Intent,
): Promise<string> {
  return signer.signTypedData(await intentDomain(verifierAddress, chainId), INTENT_EIP712_TYPES, intent);
}

export function emptyFulfillment(amountOut = 0n): Fulfillment {
  return { amountOut, gasUsed: 0n, totalCost: 0n, refs: [] };
}
