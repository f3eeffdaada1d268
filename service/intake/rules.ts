// The verifier's intake checks, off-chain: what `submitWithSignature` would answer for an intent,
// from a snapshot of the state it reads (see ./state.ts). The verdict is the revert data the
// contract would return, byte for byte, so the API refuses with the verifier's own error and a
// rejected intent costs no gas. The order is the contract's (IntentVerifier._intake): the pause,
// the encoding, stage 1 structure, stage 2 type rules, stage 3 security (signature, blocked user,
// nonce), stage 4 business rules (token policies), then the rate limits. A validator plugged into
// an intent type is a contract of its own: its checks are left to the simulation that precedes
// every relay, and the verdict says so.
import { Interface, type InterfaceAbi, Signature, SigningKey, computeAddress, dataLength, getBytes } from "ethers";
import { createRequire } from "node:module";

import { INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER, type Intent } from "../../lib/domain/intents.js";

const require = createRequire(import.meta.url);
export const VERIFIER_INTERFACE = new Interface(require("../../abi/IntentVerifier.json") as InterfaceAbi);

const ZERO_ADDRESS = 0n;
const UINT32_MAX = 2n ** 32n - 1n;
const RETIRED_NONCE = 2n ** 64n - 1n;
/** Bits 0-7 of the type flags: enabled types; bits 8-15: types with a validator plugged. */
const VALIDATOR_FLAG_SHIFT = 8;
/** secp256k1's order over two: OpenZeppelin's ECDSA rejects a larger `s` (malleable signatures). */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** The state the intake checks read, as of one block. */
export interface IntakeState {
  /** The block's timestamp the verdict is for (the relay mines at or after it). */
  now: bigint;
  paused: boolean;
  maxTtl: bigint;
  enabledTypes: ReadonlySet<number>;
  /** Types with a pluggable validator. */
  validatedTypes: ReadonlySet<number>;
  user: {
    nextNonce: bigint;
    blocked: boolean;
    /** Remaining intents in the user's bucket, and seconds until the next is admitted. */
    rateLimit: { remaining: bigint; retryAfter: bigint };
    /** ERC-1271 answer of the user's contract for this intent's id and signature; undefined for an EOA. */
    contractApproves?: boolean;
  };
  global: { remaining: bigint; retryAfter: bigint; bucketId: string };
  /** Whether the relayer (or the user, submitting alone) skips the rate limits. */
  callerExempt: boolean;
  /** `tokenPolicy(type, token)` for the tokens of the intent, by lower-case address. */
  tokenPolicies: ReadonlyMap<string, { allowed: boolean; minAmount: bigint; maxAmount: bigint }>;
}

/** Raw intent fields: what arrived, not yet known to fit the ABI's widths. */
export interface IntakeInput {
  intent: { user: string; intentType: bigint | number; nonce: bigint; expiry: bigint; params: string };
  signature: string;
  /** Who sends `submitWithSignature`: the relayer, or the user. */
  caller: string;
  /** The intent's EIP-712 digest under the verifier's domain (hashIntent). */
  id: string;
}

export type Stage = "pause" | "encoding" | "structure" | "type rules" | "security" | "business rules" | "rate limits";

export type IntakeVerdict =
  | { ok: true; validatorChecks: boolean }
  | { ok: false; stage: Stage; error: string; args: readonly unknown[]; revertData: string };

function refuse(stage: Stage, error: string, args: readonly unknown[] = []): IntakeVerdict {
  // A revert without data (the ABI decoder's, or a word wider than its type) has no name.
  const revertData = error === "" ? "0x" : VERIFIER_INTERFACE.encodeErrorResult(error, args);
  return { ok: false, stage, error: error === "" ? "revert without data" : error, args, revertData };
}

/** The intent's params as 32-byte words; undefined when its length is not a whole number of words. */
function words(params: string): bigint[] {
  const bytes = getBytes(params);
  const out: bigint[] = [];
  for (let i = 0; i + 32 <= bytes.length; i += 32) {
    out.push(BigInt("0x" + Buffer.from(bytes.subarray(i, i + 32)).toString("hex")));
  }
  return out;
}

const isWiderThanAddress = (word: bigint) => word >> 160n !== 0n;
const address = (word: bigint) => "0x" + word.toString(16).padStart(40, "0");

interface Terms {
  inputToken: string;
  amountIn: bigint;
  outputToken?: string;
}

/** Stage 2, built-in part (TransferRules / SwapRules and the recipient rule of a transfer). */
function typeRules(intentType: number, user: bigint, params: string): IntakeVerdict | Terms {
  const length = BigInt(dataLength(params));
  if (intentType === INTENT_TYPE_TRANSFER) {
    if (length !== 96n) return refuse("type rules", "MalformedParams", [length, 96n]);
    const [token, amount, recipient] = words(params);
    if (isWiderThanAddress(token | recipient)) return refuse("type rules", "");
    if (token === ZERO_ADDRESS) return refuse("type rules", "ZeroAddressParam", [0n]);
    if (recipient === ZERO_ADDRESS) return refuse("type rules", "ZeroAddressParam", [2n]);
    if (amount === 0n) return refuse("type rules", "ZeroAmountParam", [1n]);
    if (recipient === user) return refuse("type rules", "RecipientIsUser", [address(recipient)]);
    return { inputToken: address(token), amountIn: amount };
  }
  if (length !== 160n) return refuse("type rules", "MalformedParams", [length, 160n]);
  const [tokenIn, amountIn, tokenOut, minAmountOut, recipient] = words(params);
  if (isWiderThanAddress(tokenIn | tokenOut | recipient)) return refuse("type rules", "");
  if (tokenIn === ZERO_ADDRESS) return refuse("type rules", "ZeroAddressParam", [0n]);
  if (tokenOut === ZERO_ADDRESS) return refuse("type rules", "ZeroAddressParam", [2n]);
  if (recipient === ZERO_ADDRESS) return refuse("type rules", "ZeroAddressParam", [4n]);
  if (tokenIn === tokenOut) return refuse("type rules", "SameToken", [address(tokenIn)]);
  if (amountIn === 0n) return refuse("type rules", "ZeroAmountParam", [1n]);
  if (minAmountOut === 0n) return refuse("type rules", "ZeroAmountParam", [3n]);
  return { inputToken: address(tokenIn), amountIn, outputToken: address(tokenOut) };
}

/** The signer OpenZeppelin's ECDSA.tryRecover accepts, or undefined where it reports an error. */
export function recoverSigner(id: string, signature: string): string | undefined {
  if (dataLength(signature) !== 65) return undefined;
  const bytes = getBytes(signature);
  const r = BigInt("0x" + Buffer.from(bytes.subarray(0, 32)).toString("hex"));
  const s = BigInt("0x" + Buffer.from(bytes.subarray(32, 64)).toString("hex"));
  const v = bytes[64];
  if (s > HALF_ORDER || (v !== 27 && v !== 28)) return undefined;
  try {
    // ecrecover answers zero (no signer) for r or s out of range; ethers throws there.
    const sig = Signature.from({
      r: "0x" + r.toString(16).padStart(64, "0"),
      s: "0x" + s.toString(16).padStart(64, "0"),
      v,
    });
    return computeAddress(SigningKey.recoverPublicKey(id, sig));
  } catch {
    return undefined;
  }
}

/** What `submitWithSignature(intent, signature)` sent by `caller` would answer, given `state`. */
export function checkIntake(input: IntakeInput, state: IntakeState): IntakeVerdict {
  const { intent, signature, caller, id } = input;
  if (state.paused) return refuse("pause", "EnforcedPause");
  const user = BigInt(intent.user);
  const intentType = BigInt(intent.intentType);
  if (
    user >> 160n !== 0n ||
    intentType >> 8n !== 0n ||
    intent.nonce >> 64n !== 0n ||
    intent.expiry >> 40n !== 0n ||
    intent.nonce < 0n ||
    intent.expiry < 0n ||
    intentType < 0n
  ) {
    return refuse("encoding", "");
  }
  const type = Number(intentType);

  // Stage 1: structure.
  if (user === ZERO_ADDRESS) return refuse("structure", "ZeroUser");
  if (intent.expiry <= state.now) return refuse("structure", "ExpiryInPast", [intent.expiry]);
  let maxExpiry = state.now + state.maxTtl;
  if (maxExpiry > UINT32_MAX) maxExpiry = UINT32_MAX;
  if (intent.expiry > maxExpiry) return refuse("structure", "ExpiryTooFar", [intent.expiry, maxExpiry]);
  if (type >= VALIDATOR_FLAG_SHIFT || !state.enabledTypes.has(type)) {
    return refuse("structure", "UnknownIntentType", [intentType]);
  }

  // Stage 2: the type's rules (a plugged validator runs in the simulation).
  if (type !== INTENT_TYPE_TRANSFER && type !== INTENT_TYPE_SWAP) {
    // An enabled type the verifier does not ship cannot exist (setIntentTypeEnabled refuses it).
    return refuse("structure", "UnknownIntentType", [intentType]);
  }
  const terms = typeRules(type, user, intent.params);
  if ("ok" in terms) return terms;

  // Stage 3: security.
  const userAddress = address(user);
  if (caller.toLowerCase() !== userAddress) {
    if (dataLength(signature) === 0) return refuse("security", "NotIntentUser", [caller, userAddress]);
    const signer = recoverSigner(id, signature);
    if (signer?.toLowerCase() !== userAddress && state.user.contractApproves !== true) {
      return refuse("security", "InvalidSignature", [userAddress]);
    }
  }
  if (state.user.blocked) return refuse("security", "UserBlocked", [userAddress]);
  const expected = state.user.nextNonce;
  if (intent.nonce !== expected || expected === RETIRED_NONCE) {
    return refuse("security", "InvalidNonce", [userAddress, expected, intent.nonce]);
  }

  // Stage 4: business rules.
  const policy = (token: string) =>
    state.tokenPolicies.get(token.toLowerCase()) ?? { allowed: false, minAmount: 0n, maxAmount: 0n };
  const input_ = policy(terms.inputToken);
  if (!input_.allowed) return refuse("business rules", "TokenNotAllowed", [intentType, terms.inputToken]);
  if (terms.amountIn < input_.minAmount || terms.amountIn > input_.maxAmount) {
    return refuse("business rules", "AmountOutOfBounds", [
      terms.inputToken,
      terms.amountIn,
      input_.minAmount,
      input_.maxAmount,
    ]);
  }
  if (terms.outputToken !== undefined && !policy(terms.outputToken).allowed) {
    return refuse("business rules", "TokenNotAllowed", [intentType, terms.outputToken]);
  }

  // The rate limits: the global bucket first, then the user's.
  if (!state.callerExempt) {
    if (state.global.remaining === 0n) {
      return refuse("rate limits", "RateLimited", [state.global.bucketId, state.global.retryAfter]);
    }
    if (state.user.rateLimit.remaining === 0n) {
      return refuse("rate limits", "RateLimited", [
        "0x" + user.toString(16).padStart(64, "0"),
        state.user.rateLimit.retryAfter,
      ]);
    }
  }
  return { ok: true, validatorChecks: state.validatedTypes.has(type) };
}

/** The intent in the ABI's types, once {@link checkIntake} found it fits them. */
export function toIntent(input: IntakeInput["intent"]): Intent {
  return { ...input, intentType: Number(input.intentType) };
}
