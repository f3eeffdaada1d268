// Shared helpers for the SolverRegistry suites: constants mirrored from the contract, and
// short-hands that drive the registry's verifier hooks through the real IntentVerifier.
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Time } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";
import { zeroPadValue } from "ethers";

import type { SolverRegistry } from "../../../types/ethers-contracts/index.js";
import type { Intent } from "../../../scripts/lib/intents.js";
import { DEFAULT_UNBONDING_PERIOD } from "../../../scripts/lib/system.js";
import { MIN_BOND, type systemFixture } from "../fixtures.js";

export type System = Awaited<ReturnType<typeof systemFixture>>;

/** Mirrors `SolverRegistry.SolverStatus`. */
export const SolverStatus = {
  None: 0n,
  Active: 1n,
  Exiting: 2n,
  Suspended: 3n,
  Exited: 4n,
} as const;

export const BPS = 10_000n;
export const INITIAL_SCORE = 5_000n;
/** The verifier's default claim window (IntentVerifier constructor: `_setTimings(1 days, 10 minutes)`). */
export const CLAIM_WINDOW = 600n;
export const UNBONDING_PERIOD = DEFAULT_UNBONDING_PERIOD;
export const UINT128_MAX = 2n ** 128n - 1n;

/** The bucket id the registry reports in `RateLimited` for `solver`: its address, left-padded. */
export function bucketOf(solver: string): string {
  return zeroPadValue(solver, 32);
}

/** The EWMA step of `_settleClaim`: score' = (7 * score + sample) / 8, rounded down. */
export function nextScore(score: bigint, sample: bigint): bigint {
  return (7n * score + sample) / 8n;
}

/** The verifier's latency sample: 5,000 + 5,000 * timeLeft / claimWindow, rounded down. */
export function latencySample(timeLeft: bigint, window: bigint = CLAIM_WINDOW): bigint {
  return BPS / 2n + ((BPS / 2n) * timeLeft) / window;
}

export interface SubmittedIntent {
  intent: Intent;
  id: string;
}

/**
 * Submits a transfer intent from the fixture's user. The nonce is read from the chain rather
 * than the fixture's local counter, which does not rewind when a fixture snapshot is restored.
 */
/**
 * A registry of its own on `stakeToken`, with the system's admin and treasury and the project's
 * minimum bond: for the tests of stake tokens that misbehave (fees, callbacks, refusals).
 */
export async function standaloneRegistry(
  ethers: HardhatEthers,
  f: System,
  stakeToken: string,
  options: { adminDelay?: bigint; unbondingPeriod?: bigint } = {},
) {
  return ethers.deployContract("SolverRegistry", [
    stakeToken,
    f.admin.address,
    options.adminDelay ?? 0n,
    MIN_BOND,
    options.unbondingPeriod ?? UNBONDING_PERIOD,
    f.treasury.address,
  ]);
}

export async function submitTransfer(f: System, overrides: Partial<Intent> = {}): Promise<SubmittedIntent> {
  const intent = await f.transferIntent({ nonce: await f.verifier.nextNonce(f.user.address), ...overrides });
  await f.verifier.connect(f.user).submit(intent);
  return { intent, id: await f.verifier.hashIntent(intent) };
}

export interface ClaimedIntent extends SubmittedIntent {
  claimedAt: bigint;
  deadline: bigint;
}

/** Submits a transfer intent and has `solver` claim it through the verifier (recordClaim). */
export async function submitAndClaim(f: System, solver: HardhatEthersSigner = f.solver): Promise<ClaimedIntent> {
  const submitted = await submitTransfer(f);
  await f.verifier.connect(solver).claim(submitted.id);
  const claimedAt = await f.latest();
  return { ...submitted, claimedAt, deadline: claimedAt + CLAIM_WINDOW };
}

export interface FulfillReport {
  gasUsed?: bigint;
  totalCost?: bigint;
}

/** Fulfils a claimed transfer intent as `solver` (recordSuccess). */
export function fulfill(f: System, intent: Intent, solver: HardhatEthersSigner = f.solver, report: FulfillReport = {}) {
  return f.verifier
    .connect(solver)
    .fulfill(intent, { amountOut: 0n, gasUsed: report.gasUsed ?? 0n, totalCost: report.totalCost ?? 0n, refs: [] });
}

/** Lets the claim deadline of `claimed` pass, so {fail} is allowed. */
export async function passDeadline(f: System, time: Time, claimed: ClaimedIntent): Promise<void> {
  const now = await f.latest();
  if (now <= claimed.deadline) await time.increase(claimed.deadline - now + 1n);
}

/** Lets the claim deadline pass and has a stranger fail the claim (recordFailure). */
export async function failClaim(f: System, time: Time, claimed: ClaimedIntent) {
  await passDeadline(f, time, claimed);
  return f.verifier.connect(f.stranger).fail(claimed.intent);
}

interface BalanceOf {
  balanceOf(account: string): Promise<bigint>;
}

/** The registry holds exactly what it accounts for: stake-token balance == totalBonded + totalCredited. */
export async function expectBondsBacked(stakeToken: BalanceOf, registry: SolverRegistry): Promise<void> {
  expect(await stakeToken.balanceOf(await registry.getAddress())).to.equal(
    (await registry.totalBonded()) + (await registry.totalCredited()),
  );
}

/** The delay of a bond-terms change while bonds are at stake: the unbonding period + MAX_CLAIM_WINDOW. */
export const TERMS_DELAY = UNBONDING_PERIOD + 65_535n;

/** Lets a scheduled change of the bond terms come into force. */
export async function passTermsDelay(time: Time): Promise<void> {
  await time.increase(TERMS_DELAY);
}

/** The slash credit of `account` (amount only). */
export async function creditOf(registry: SolverRegistry, account: string): Promise<bigint> {
  return (await registry.creditOf(account)).amount;
}

/** {expectBondsBacked} for the fixture's registry. */
export function expectSystemBacked(f: System): Promise<void> {
  return expectBondsBacked(f.stakeToken, f.registry);
}
