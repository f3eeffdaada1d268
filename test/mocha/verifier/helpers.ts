// Shared helpers for the IntentVerifier suites: the cached system fixture, intent builders with
// a nonce counter that restarts with every snapshot, ids, fulfilments and small time helpers.
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { TypedDataEncoder, id as keccakUtf8 } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import {
  type Fulfillment,
  INTENT_EIP712_TYPES,
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  type Intent,
  encodeSwap,
  encodeTransfer,
} from "../../../scripts/lib/intents.js";
import { E18, systemFixture } from "../fixtures.js";

export { E18, MAX_UINT256, MIN_BOND } from "../fixtures.js";
export { INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER } from "../../../scripts/lib/intents.js";

/** Defaults set by the IntentVerifier constructor. */
export const DEFAULTS = {
  userLimit: 50n,
  userWindow: 900n,
  globalLimit: 500n,
  globalWindow: 60n,
  maxTtl: 86_400n,
  claimTtl: 600n,
} as const;

export const ROLES = {
  DEFAULT_ADMIN: "0x" + "00".repeat(32),
  GUARDIAN: keccakUtf8("GUARDIAN_ROLE"),
  VALIDATOR_ADMIN: keccakUtf8("VALIDATOR_ADMIN_ROLE"),
  POLICY_ADMIN: keccakUtf8("POLICY_ADMIN_ROLE"),
  RATE_LIMIT_ADMIN: keccakUtf8("RATE_LIMIT_ADMIN_ROLE"),
} as const;

/** Selector of OpenZeppelin's ReentrancyGuardReentrantCall(). */
export const REENTRANT_CALL_SELECTOR = keccakUtf8("ReentrancyGuardReentrantCall()").slice(0, 10);

/** The amount the default transfer intent moves and the default swap's amounts. */
export const TRANSFER_AMOUNT = 100n * E18;
export const SWAP_AMOUNT_IN = E18;
export const SWAP_MIN_OUT = 3_000n * E18;

/** The deployed, wired and funded system; cached by loadFixture under this name. */
export async function deployedSystem(connection: NetworkConnection) {
  return systemFixture(connection.ethers);
}

type Base = Awaited<ReturnType<typeof systemFixture>>;

/**
 * Loads the system from its snapshot and returns it with intent builders whose nonce counter
 * starts at 0 again (the snapshot resets the user's on-chain nonce; the fixture's own counter
 * would not be reset).
 */
export async function loadSystem(networkHelpers: NetworkHelpers, ethers: HardhatEthers) {
  const base: Base = await networkHelpers.loadFixture(deployedSystem);
  let nonce = 0n;
  const usdc = await base.usdc.getAddress();
  const weth = await base.weth.getAddress();

  /** A transfer of 100 USDC from `user` to `recipient`, expiring in one hour. */
  async function transferIntent(overrides: Partial<Intent> = {}): Promise<Intent> {
    return {
      user: base.user.address,
      intentType: INTENT_TYPE_TRANSFER,
      nonce: overrides.nonce ?? nonce++,
      expiry: (await base.latest()) + 3600n,
      params: encodeTransfer(usdc, TRANSFER_AMOUNT, base.recipient.address),
      ...overrides,
    };
  }

  /** A swap of 1 WETH for at least 3,000 USDC to `recipient`, expiring in one hour. */
  async function swapIntent(overrides: Partial<Intent> = {}): Promise<Intent> {
    return {
      user: base.user.address,
      intentType: INTENT_TYPE_SWAP,
      nonce: overrides.nonce ?? nonce++,
      expiry: (await base.latest()) + 3600n,
      params: encodeSwap(weth, SWAP_AMOUNT_IN, usdc, SWAP_MIN_OUT, base.recipient.address),
      ...overrides,
    };
  }

  /** The id (EIP-712 digest) of `intent`, computed off-chain. */
  function idOf(intent: Intent): string {
    return TypedDataEncoder.hash(
      {
        name: "IntentKit",
        version: "1",
        chainId: base.chainId,
        verifyingContract: base.verifierAddress,
      },
      INTENT_EIP712_TYPES,
      intent,
    );
  }

  /** Submits `intent` as `from` (the user by default) and returns its id. */
  async function submitted(intent: Intent, from: HardhatEthersSigner = base.user): Promise<string> {
    await base.verifier.connect(from).submit(intent);
    return idOf(intent);
  }

  /** Submits `intent` and claims it as `solver`; returns its id. */
  async function claimed(intent: Intent, solver: HardhatEthersSigner = base.solver): Promise<string> {
    const id = await submitted(intent);
    await base.verifier.connect(solver).claim(id);
    return id;
  }

  /** Registers `signer` as a solver with the minimum bond (the fixture funded otherSolver). */
  async function registerSolver(signer: HardhatEthersSigner, bond?: bigint) {
    await base.registry.connect(signer).register(bond ?? (await base.registry.bondParameters())[0]);
  }

  return {
    ...base,
    ethers,
    usdcAddress: usdc,
    wethAddress: weth,
    transferIntent,
    swapIntent,
    idOf,
    submitted,
    claimed,
    registerSolver,
  };
}

export type System = Awaited<ReturnType<typeof loadSystem>>;

/** A fulfilment reporting nothing unless told otherwise. */
export function fulfillment(overrides: Partial<Fulfillment> = {}): Fulfillment {
  return { amountOut: 0n, gasUsed: 0n, totalCost: 0n, refs: [], ...overrides };
}

/** `count` distinct cross-chain references. */
export function crossChainRefs(count: number): Fulfillment["refs"] {
  return Array.from({ length: count }, (_, i) => ({
    chainId: BigInt(10 + i),
    txHash: keccakUtf8(`cross-chain tx ${i}`),
  }));
}

/** Makes the next transaction run at `timestamp`. */
export async function atTime(networkHelpers: NetworkHelpers, timestamp: bigint): Promise<void> {
  await networkHelpers.time.setNextBlockTimestamp(timestamp);
}
