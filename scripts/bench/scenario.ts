// The gas benchmark scenario: every operation measured as the total gas of a real transaction
// on the embedded Hardhat network, in the steady state named beside it.
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse, Signer } from "ethers";

import {
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  type Intent,
  emptyFulfillment,
  encodeSwap,
  encodeTransfer,
  signIntent,
} from "../lib/intents.js";
import { DEFAULT_MIN_BOND, deploySystem } from "../lib/system.js";

export interface GasMeasurement {
  operation: string;
  gas: number;
  scenario: string;
}

const MAX = 2n ** 256n - 1n;
const E18 = 10n ** 18n;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("benchmark transaction failed");
  return Number(receipt.gasUsed);
}

export async function measureGas(
  ethers: HardhatEthers,
  advanceTime: (seconds: number) => Promise<void>,
): Promise<GasMeasurement[]> {
  const [admin, user, solver, relayer, recipient] = (await ethers.getSigners()) as Signer[];
  const system = await deploySystem(ethers, admin);
  const { stakeToken, registry, verifier } = system;
  const verifierAddress = await verifier.getAddress();
  const userAddress = await user.getAddress();
  const solverAddress = await solver.getAddress();
  const recipientAddress = await recipient.getAddress();
  const chainId = (await ethers.provider.getNetwork()).chainId;

  const weth = await ethers.deployContract("MockERC20", ["Wrapped Ether", "WETH"], admin);
  const usdc = await ethers.deployContract("MockERC20", ["USD Coin", "USDC"], admin);
  const wethAddress = await weth.getAddress();
  const usdcAddress = await usdc.getAddress();
  await (await verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, usdcAddress, true, 1n, 10n ** 30n)).wait();
  await (await verifier.setTokenPolicy(INTENT_TYPE_SWAP, wethAddress, true, 1n, 10n ** 30n)).wait();
  await (await verifier.setTokenPolicy(INTENT_TYPE_SWAP, usdcAddress, true, 1n, 10n ** 30n)).wait();

  // Steady-state balances: user, solver and recipient already hold both tokens, and the user
  // and the solver approved the verifier once with an unlimited allowance.
  for (const holder of [userAddress, solverAddress, recipientAddress]) {
    await (await weth.mint(holder, 1_000n * E18)).wait();
    await (await usdc.mint(holder, 1_000_000n * E18)).wait();
  }
  await (await weth.connect(user).approve(verifierAddress, MAX)).wait();
  await (await usdc.connect(user).approve(verifierAddress, MAX)).wait();
  await (await usdc.connect(solver).approve(verifierAddress, MAX)).wait();
  await (await stakeToken.mint(solverAddress, 10n * DEFAULT_MIN_BOND)).wait();
  await (await stakeToken.connect(solver).approve(await registry.getAddress(), MAX)).wait();

  const results: GasMeasurement[] = [];
  const record = (operation: string, gas: number, scenario: string) => results.push({ operation, gas, scenario });

  record(
    "solver.register",
    await gasOf(registry.connect(solver).register(DEFAULT_MIN_BOND)),
    "first registration with the minimum bond; stake token already approved",
  );

  let nonce = 0n;
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const transferIntent = async (): Promise<Intent> => ({
    user: userAddress,
    intentType: INTENT_TYPE_TRANSFER,
    nonce: nonce++,
    expiry: (await now()) + 3600n,
    params: encodeTransfer(usdcAddress, 100n * E18, recipientAddress),
  });
  const swapIntent = async (): Promise<Intent> => ({
    user: userAddress,
    intentType: INTENT_TYPE_SWAP,
    nonce: nonce++,
    expiry: (await now()) + 3600n,
    params: encodeSwap(wethAddress, E18, usdcAddress, 3_000n * E18, recipientAddress),
  });

  const first = await transferIntent();
  record("submit.first", await gasOf(verifier.connect(user).submit(first)), "user's first intent (transfer)");

  const warm = await transferIntent();
  record(
    "submit",
    await gasOf(verifier.connect(user).submit(warm)),
    "transfer intent submitted by its user; user's bucket already in use",
  );

  const swap = await swapIntent();
  record(
    "submit.swap",
    await gasOf(verifier.connect(user).submit(swap)),
    "swap intent submitted by its user; user's bucket already in use",
  );

  const signed = await transferIntent();
  const signature = await signIntent(user, verifierAddress, chainId, signed);
  record(
    "submitWithSignature",
    await gasOf(verifier.connect(relayer).submitWithSignature(signed, signature)),
    "transfer intent relayed with the user's EIP-712 signature by a non-exempt relayer; user's bucket in use",
  );

  const signedSwap = await swapIntent();
  const signedSwapGas = await gasOf(
    verifier
      .connect(relayer)
      .submitWithSignature(signedSwap, await signIntent(user, verifierAddress, chainId, signedSwap)),
  );
  const directSwap = await swapIntent();
  const directSwapGas = await gasOf(verifier.connect(user).submit(directSwap));

  const idOf = (intent: Intent) => verifier.hashIntent(intent);
  // What a solver reports: the gas and cost of its own execution (realistic non-zero values,
  // as they cost calldata in production).
  const reported = (amountOut: bigint) => ({
    ...emptyFulfillment(amountOut),
    gasUsed: 150_000n,
    totalCost: 3n * 10n ** 15n,
  });
  await (await verifier.connect(solver).claim(await idOf(first))).wait();
  record(
    "claim",
    await gasOf(verifier.connect(solver).claim(await idOf(warm))),
    "active solver with claims in flight; solver's bucket in use",
  );
  await (await verifier.connect(solver).claim(await idOf(swap))).wait();

  record(
    "fulfill.transfer",
    await gasOf(verifier.connect(solver).fulfill(warm, reported(0n))),
    "100 USDC user -> recipient (recipient already holds USDC, unlimited allowance); gas and cost reported, no cross-chain refs",
  );
  record(
    "fulfill.swap",
    await gasOf(verifier.connect(solver).fulfill(swap, reported(3_000n * E18))),
    "1 WETH user -> solver, 3,000 USDC solver -> recipient (all hold both tokens, unlimited allowances); gas and cost reported, no cross-chain refs",
  );

  // The claim-mode lifecycles, whole: submission, claim and fulfilment of one swap each.
  const claimGas = async (intent: Intent) => gasOf(verifier.connect(solver).claim(await idOf(intent)));
  const fulfillSwapGas = async (intent: Intent) =>
    gasOf(verifier.connect(solver).fulfill(intent, reported(3_000n * E18)));
  const signedClaim = await claimGas(signedSwap);
  record(
    "lifecycle.signed",
    signedSwapGas + signedClaim + (await fulfillSwapGas(signedSwap)),
    "swap: submitWithSignature by a non-exempt relayer + claim + fulfill, each a transaction, steady state as above",
  );
  const directClaim = await claimGas(directSwap);
  record(
    "lifecycle.direct",
    directSwapGas + directClaim + (await fulfillSwapGas(directSwap)),
    "swap: submit by its user + claim + fulfill, each a transaction, steady state as above",
  );

  // The one-transaction signed fill: a warm-up of each kind first, so the figures are steady.
  const fillOf = async (intent: Intent, amountOut: bigint) =>
    gasOf(verifier.connect(solver).fill(intent, await signIntent(user, verifierAddress, chainId, intent), amountOut));
  await fillOf(await swapIntent(), 3_000n * E18);
  record(
    "fill.swap",
    await fillOf(await swapIntent(), 3_000n * E18),
    "one transaction: 1 WETH user -> solver, 3,000 USDC solver -> recipient, signed by the user; all hold both tokens, unlimited allowances, after a warm-up",
  );
  await fillOf(await transferIntent(), 0n);
  record(
    "fill.transfer",
    await fillOf(await transferIntent(), 0n),
    "one transaction: 100 USDC user -> recipient, signed by the user, filled by the solver; after a warm-up",
  );

  const toCancel = await transferIntent();
  await (await verifier.connect(user).submit(toCancel)).wait();
  record("cancel", await gasOf(verifier.connect(user).cancel(toCancel)), "pending intent cancelled by its user");

  const toFail: Intent = { ...(await transferIntent()), expiry: (await now()) + 300n };
  await (await verifier.connect(user).submit(toFail)).wait();
  await (await verifier.connect(solver).claim(await idOf(toFail))).wait();
  await advanceTime(301);
  record(
    "fail",
    await gasOf(verifier.connect(relayer).fail(toFail)),
    "claim expired unfulfilled after the intent's expiry: slash paid to the user, intent Failed",
  );

  return results;
}
