// Contract reverts in words. The revert data is decoded by ethers' own error decoding: the
// `revert` ethers attaches when the called contract's ABI knows the error, else
// Interface.parseError over every intentkit ABI (a call into the verifier can revert in the
// registry or in a token). The reverts a user can cause get a sentence that says what to do.
import { Interface, id as keccakId, isCallException, type ErrorDescription } from "ethers";

import { STATUS_NAMES } from "./intents.js";
import { SOLVER_STATUS, roleName } from "./roles.js";

const GLOBAL_BUCKET = keccakId("intentkit.ratelimit.global");

// Relative only: the chain's clock can differ from this machine's (a local chain moved forward).
function when(secondsFromNow: bigint): string {
  return `in ${secondsFromNow} s`;
}

function at(timestamp: bigint): string {
  return `${new Date(Number(timestamp) * 1000).toISOString()} (unix ${timestamp})`;
}

type Explainer = (args: Decoded["args"]) => string;

/** Words for the reverts a user can cause; any other error is shown by name and arguments. */
/** The fields of the shipped types by their word in the encoded params (see TransferRules). */
const PARAM_WORDS = [
  "token (tokenIn for a swap)",
  "amount (amountIn)",
  "recipient (tokenOut)",
  "minAmountOut",
  "recipient",
];

export const REVERT_EXPLANATIONS: Record<string, Explainer> = {
  RateLimited: ([bucket, retryAfter]) => {
    const who =
      String(bucket).toLowerCase() === GLOBAL_BUCKET
        ? "the system-wide submission limit is reached"
        : `the rate limit of ${"0x" + String(bucket).slice(26)} is reached`;
    return `rate-limited: ${who}; retry ${when(BigInt(retryAfter))}`;
  },
  EnforcedPause: () => "the system is paused; a guardian can resume it with `npx hardhat admin unpause`",
  ExpectedPause: () => "the system is not paused",
  AccessControlUnauthorizedAccount: ([account, role]) =>
    `missing role: ${account} does not hold ${roleName(role)}; an admin can grant it with \`npx hardhat admin grant-role\``,
  BondTooLow: ([bond, minBond]) => `insufficient bond: ${bond} is below the minimum bond of ${minBond}`,
  InvalidSolverStatus: ([solver, status]) =>
    `solver ${solver} is ${SOLVER_STATUS[Number(status)] ?? status}, which does not allow this`,
  StillUnbonding: ([solver, ends]) => `solver ${solver} is still unbonding; withdraw after ${at(BigInt(ends))}`,
  ClaimsInFlight: ([solver, active]) => `solver ${solver} still has ${active} claim(s) in flight`,
  ConcurrencyLimitReached: ([solver, max]) => `solver ${solver} already holds the maximum of ${max} claims in flight`,
  InvalidStatus: ([id, status]) =>
    `intent ${id} is ${STATUS_NAMES[Number(status)] ?? status}, which does not allow this`,
  IntentHasExpired: ([id, expiry]) => `intent ${id} expired at ${at(BigInt(expiry))}`,
  IntentNotExpired: ([id, expiry]) => `intent ${id} has not expired yet; it expires at ${at(BigInt(expiry))}`,
  NotAssignedSolver: ([id, caller, solver]) => `${caller} is not the solver assigned to intent ${id} (${solver} is)`,
  ClaimDeadlinePassed: ([id, deadline]) => `the claim on intent ${id} lapsed at ${at(BigInt(deadline))}`,
  ClaimStillValid: ([id, deadline]) => `the claim on intent ${id} runs until ${at(BigInt(deadline))}; try after that`,
  NotIntentUser: ([caller, user]) => `${caller} is not the intent's user (${user})`,
  InvalidSignature: ([user]) => `the signature is not ${user}'s signature over this intent`,
  InvalidNonce: ([user, expected, given]) => `nonce ${given} is not ${user}'s next nonce (${expected})`,
  UserBlocked: ([user]) => `user ${user} is blocked from submitting intents`,
  ExpiryInPast: ([expiry]) => `the expiry ${at(BigInt(expiry))} is in the past`,
  ExpiryTooFar: ([expiry, max]) => `the expiry ${at(BigInt(expiry))} is later than the maximum ${at(BigInt(max))}`,
  TokenNotAllowed: ([type, token]) =>
    `token ${token} is not allowed for intent type ${type}; a policy admin can allow it`,
  AmountOutOfBounds: ([token, amount, min, max]) => `amount ${amount} of ${token} is outside [${min}, ${max}]`,
  OutcomeNotMet: ([received, required]) =>
    `the recipient would receive ${received}, less than the ${required} required`,
  RecipientIsUser: ([recipient]) => `the recipient ${recipient} is the intent's own user`,
  ZeroAddressParam: ([word]) => `the intent's ${PARAM_WORDS[Number(word)] ?? `param word ${word}`} is the zero address`,
  ZeroAmountParam: ([word]) => `the intent's ${PARAM_WORDS[Number(word)] ?? `param word ${word}`} is zero`,
  MalformedParams: ([length, expected]) => `the params are ${length} bytes; this intent type needs ${expected}`,
  SameToken: ([token]) => `a swap needs two different tokens (both are ${token})`,
  InvalidRateLimit: ([limit, window]) => `invalid rate limit ${limit} per ${window} s: both must be 1 to 16,777,215`,
  InvalidTiming: ([maxTtl, claimTtl]) => `invalid timings maxTtl ${maxTtl} s, claimTtl ${claimTtl} s`,
  InvalidAmount: ([amount]) => `invalid bond amount ${amount}: more than 0 and at most 2^128 - 1`,
  InvalidMaxActiveClaims: ([value]) => `invalid cap on claims in flight ${value}: 1 to 65,535`,
  InvalidBondParameters: ([minBond, unbonding]) =>
    `invalid bond parameters: minimum bond ${minBond} (1 to 2^128 - 1), unbonding ${unbonding} s (at most 2^32 - 1)`,
  InvalidSlashing: ([amount, share]) =>
    `invalid slashing: amount ${amount} (at most 2^128 - 1), user share ${share} bps (at most 10,000)`,
  NoCredit: ([account]) => `${account} has no slash credit to withdraw`,
  CreditLocked: ([account, unlocksAt]) => `the slash credits of ${account} unlock at ${at(BigInt(unlocksAt))}`,
  NoPendingTerms: () => "no change of the bond terms is waiting to apply",
  SolverCannotDeliver: ([token, amount]) =>
    `the solver lacks the balance or the allowance to deliver ${amount} of ${token}; approve the verifier (\`npx hardhat token approve\`)`,
  ClaimCoolingDown: ([id, until]) =>
    `intent ${id} failed on the user's side at its last fulfilment; it can be claimed again after ${at(BigInt(until))}`,
  NonceNotIncreasing: ([current, given]) => `new next nonce ${given} must exceed the current ${current}`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `insufficient balance: ${sender} holds ${balance}, needs ${needed}`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `insufficient allowance: ${spender} may spend ${allowance}, needs ${needed}; approve it first (\`npx hardhat token approve\`)`,
  VerifierAlreadySet: ([verifier]) => `the registry is already wired to verifier ${verifier}`,
};

let projectInterfaces: Interface[] = [];

/** The ABIs whose custom errors {@link describeRevert} decodes (the deployment's, and ERC-20's). */
export function registerErrorAbis(abis: Interface[]): void {
  projectInterfaces = abis;
}

/** The revert data of a failed call or transaction, wherever the provider nested it. */
export function revertData(error: unknown): string | undefined {
  // ethers puts it on `data`; JSON-RPC providers nest it in `info.error`, `error` or `cause`.
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === null || typeof item !== "object" || seen.has(item)) continue;
    seen.add(item);
    const record = item as Record<string, unknown>;
    if (typeof record.data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(record.data)) return record.data;
    for (const key of ["error", "info", "cause", "data", "payload"]) queue.push(record[key]);
  }
  return undefined;
}

interface Decoded {
  name: string;
  args: ErrorDescription["args"] | readonly unknown[];
}

/** Decodes revert data against the registered ABIs (or `abis`). */
export function decodeRevertData(data: string, abis: Interface[] = projectInterfaces): Decoded | undefined {
  for (const abi of abis) {
    const parsed = abi.parseError(data);
    if (parsed !== null) return parsed;
  }
  return undefined;
}

/** A sentence for a decoded custom error; errors without one are shown by name and arguments. */
export function explainRevert({ name, args }: Decoded): string {
  const explain = REVERT_EXPLANATIONS[name];
  return explain ? explain(args) : `${name}(${[...args].map(String).join(", ")})`;
}

/** `reverted: ...` for an error that is a contract revert, else undefined. */
export function describeRevert(error: unknown, abis: Interface[] = projectInterfaces): string | undefined {
  if (isCallException(error) && error.revert !== null && error.revert !== undefined) {
    return `reverted: ${explainRevert(error.revert)}`;
  }
  const data = revertData(error);
  if (data !== undefined) {
    const decoded = decodeRevertData(data, abis);
    return decoded ? `reverted: ${explainRevert(decoded)}` : `reverted with unknown error data ${data.slice(0, 10)}`;
  }
  if (isCallException(error)) return `reverted: ${error.shortMessage}`;
  return undefined;
}
