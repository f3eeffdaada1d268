// Shared fixtures for the mocha suites: one deployed, wired system with tokens, a solver and
// users ready to act. Each suite loads it through networkHelpers.loadFixture for isolation.
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import {
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  type Intent,
  encodeSwap,
  encodeTransfer,
  signIntent,
} from "../../scripts/lib/intents.js";
import { DEFAULT_MIN_BOND, type SystemOptions, deploySystem } from "../../scripts/lib/system.js";

export const E18 = 10n ** 18n;
export const MAX_UINT256 = 2n ** 256n - 1n;
export const MIN_BOND = DEFAULT_MIN_BOND;

export async function systemFixture(ethers: HardhatEthers, options: SystemOptions = {}) {
  const signers = await ethers.getSigners();
  const [admin, user, solver, relayer, recipient, otherSolver, stranger, treasury] = signers;
  const system = await deploySystem(ethers, admin, options);
  const { stakeToken, registry, verifier } = system;
  const verifierAddress = await verifier.getAddress();
  const registryAddress = await registry.getAddress();

  const weth = await ethers.deployContract("MockERC20", ["Wrapped Ether", "WETH"], admin);
  const usdc = await ethers.deployContract("MockERC20", ["USD Coin", "USDC"], admin);
  const wethAddress = await weth.getAddress();
  const usdcAddress = await usdc.getAddress();
  await verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, usdcAddress, true, 1n, 1_000_000n * E18);
  await verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, wethAddress, true, 1n, 1_000n * E18);
  await verifier.setTokenPolicy(INTENT_TYPE_SWAP, wethAddress, true, 1n, 1_000n * E18);
  await verifier.setTokenPolicy(INTENT_TYPE_SWAP, usdcAddress, true, 1n, 1_000_000n * E18);

  for (const holder of [user, solver, otherSolver]) {
    await weth.mint(holder.address, 1_000n * E18);
    await usdc.mint(holder.address, 1_000_000n * E18);
    await weth.connect(holder).approve(verifierAddress, MAX_UINT256);
    await usdc.connect(holder).approve(verifierAddress, MAX_UINT256);
  }
  for (const s of [solver, otherSolver]) {
    await stakeToken.mint(s.address, 10n * MIN_BOND);
    await stakeToken.connect(s).approve(registryAddress, MAX_UINT256);
  }
  await registry.connect(solver).register(MIN_BOND);

  const chainId = (await ethers.provider.getNetwork()).chainId;
  let nextNonce = 0n;
  const latest = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

  /** A transfer intent from `user` (nonce taken from a local counter unless given). */
  async function transferIntent(overrides: Partial<Intent> = {}): Promise<Intent> {
    return {
      user: user.address,
      intentType: INTENT_TYPE_TRANSFER,
      nonce: overrides.nonce ?? nextNonce++,
      expiry: (await latest()) + 3600n,
      params: encodeTransfer(usdcAddress, 100n * E18, recipient.address),
      ...overrides,
    };
  }

  /** A swap intent from `user`: 1 WETH for at least 3,000 USDC to `recipient`. */
  async function swapIntent(overrides: Partial<Intent> = {}): Promise<Intent> {
    return {
      user: user.address,
      intentType: INTENT_TYPE_SWAP,
      nonce: overrides.nonce ?? nextNonce++,
      expiry: (await latest()) + 3600n,
      params: encodeSwap(wethAddress, E18, usdcAddress, 3_000n * E18, recipient.address),
      ...overrides,
    };
  }

  const sign = (signer: HardhatEthersSigner, intent: Intent) => signIntent(signer, verifierAddress, chainId, intent);

  return {
    ...system,
    weth,
    usdc,
    admin,
    user,
    solver,
    relayer,
    recipient,
    otherSolver,
    stranger,
    treasury,
    chainId,
    verifierAddress,
    registryAddress,
    transferIntent,
    swapIntent,
    sign,
    latest,
  };
}
