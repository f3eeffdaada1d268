// Errors a task reports to the person who typed it: one line that says what went wrong and what
// to do next. Contract reverts are decoded against every intentkit ABI and put into words.
import { Interface, id as keccakId, isError, type ErrorDescription } from "ethers";

import { STATUS_NAMES } from "../../scripts/lib/intents.js";

/** A failure caused by the input or the chain's state, not by a bug: printed as one line. */
export class UserError extends Error {
  override name = "UserError";
}

const ROLE_NAMES = new Map<string, string>(
  [
    ["0x0000000000000000000000000000000000000000000000000000000000000000", "DEFAULT_ADMIN_ROLE"],
    ...["GUARDIAN_ROLE", "VALIDATOR_ADMIN_ROLE", "POLICY_ADMIN_ROLE", "RATE_LIMIT_ADMIN_ROLE"].map(
      (name) => [keccakId(name), name] as [string, string],
    ),
  ].map(([hash, name]) => [hash.toLowerCase(), name]),
);

export function roleName(hash: string): string {
  return ROLE_NAMES.get(hash.toLowerCase()) ?? hash;
}

/** Mirrors `SolverRegistry.SolverStatus`. */
export const SOLVER_STATUS = ["None", "Active", "Exiting", "Suspended", "Exited"] as const;

const GLOBAL_BUCKET = keccakId("intentkit.ratelimit.global");

// Relative only: the chain's clock can differ from this machine's (a local chain moved forward).
function when(secondsFromNow: bigint): string {
  return `in ${secondsFromNow} s`;
}

function at(timestamp: bigint): string {
  return `${new Date(Number(timestamp) * 1000).toISOString()} (unix ${timestamp})`;
}

type Explainer = (args: ErrorDescription["args"]) => string;

/** Words for the reverts a user can cause; any other error is shown by name and arguments. */
const EXPLAIN: Record<string, Explainer> = {
  RateLimited: ([bucket, retryAfter]) => {
    const who =
      String(bucket).toLowerCase() === GLOBAL_BUCKET
        ? "the system-wide submission limit is reached"
        : `the rate limit of ${"0x" + String(bucket).slice(26)} is reached`;
    return `rate-limited: ${who}; retry ${when(BigInt(retryAfter))}`;
  },
  EnforcedPause: () => "the system is paused; a guardian can resume it with `npx hardhat admin:unpause`",
  ExpectedPause: () => "the system is not paused",
  AccessControlUnauthorizedAccount: ([account, role]) =>
    `missing role: ${account} does not hold ${roleName(role)}; an admin can grant it with \`npx hardhat admin:grant-role\``,
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
  SameToken: ([token]) => `a swap needs two different tokens (both are ${token})`,
  InvalidRateLimit: ([limit, window]) => `invalid rate limit ${limit} per ${window} s: both must be 1 to 16,777,215`,
  InvalidTiming: ([maxTtl, claimTtl]) => `invalid timings maxTtl ${maxTtl} s, claimTtl ${claimTtl} s`,
  InvalidParameter: ([name, value]) => `invalid ${name}: ${value}`,
  NonceNotIncreasing: ([current, given]) => `new next nonce ${given} must exceed the current ${current}`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `insufficient balance: ${sender} holds ${balance}, needs ${needed}`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `insufficient allowance: ${spender} may spend ${allowance}, needs ${needed}; approve it first (\`npx hardhat token:approve\`)`,
  VerifierAlreadySet: ([verifier]) => `the registry is already wired to verifier ${verifier}`,
};

let abiInterfaces: Interface[] = [];

/** Registers the ABIs whose custom errors {@link describeError} should decode. */
export function registerErrorAbis(abis: Interface[]): void {
  abiInterfaces = abis;
}

function revertData(error: unknown): string | undefined {
  // ethers puts revert data on `data`, sometimes nested in `info.error` or `error` (JSON-RPC).
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

function decode(data: string): ErrorDescription | undefined {
  for (const abi of abiInterfaces) {
    try {
      const parsed = abi.parseError(data);
      if (parsed) return parsed;
    } catch {
      // not this ABI's error
    }
  }
  return undefined;
}

/** One line describing `error`, for any error a task can meet. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return error.message;
  const data = revertData(error);
  if (data !== undefined) {
    const parsed = decode(data);
    if (parsed) {
      const explain = EXPLAIN[parsed.name];
      const text = explain ? explain(parsed.args) : `${parsed.name}(${parsed.args.map(String).join(", ")})`;
      return `reverted: ${text}`;
    }
    return `reverted with unknown error data ${data.slice(0, 10)}`;
  }
  if (isError(error, "CALL_EXCEPTION")) return `reverted: ${error.shortMessage}`;
  if (isError(error, "INSUFFICIENT_FUNDS")) return "insufficient funds for gas: fund the sending account";
  if (isError(error, "NETWORK_ERROR") || isConnectionRefused(error)) {
    return "cannot reach the network's JSON-RPC endpoint; is the node running? (start one with `npx hardhat chain:start`)";
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}

function isConnectionRefused(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : "";
  return /ECONNREFUSED|fetch failed|connect ECONN|HHE7\b|Cannot connect to the network/i.test(text);
}
