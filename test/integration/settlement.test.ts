// Claims and settlement on the live system: a bonded solver claims a pending intent, then the
// verifier settles transfers and swaps itself, checked by balances read at the fulfilment's block.
import { expect } from "chai";
import { Wallet } from "ethers";

import { INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER, IntentStatus } from "../../scripts/lib/intents.js";
import type { MockERC20 } from "../../types/ethers-contracts/index.js";
import { E18, TEST_TIMEOUT, ctx, eventOf, fulfillment, send, type Actor } from "./context.js";

const BPS = 10_000n;
const HALF_BPS = 5_000n;

/** The registry's EWMA after a success fulfilled `left` seconds before a deadline of a `window`-second claim. */
function scoreAfterSuccess(previous: bigint, left: bigint, window: bigint): bigint {
  const sample = HALF_BPS + (HALF_BPS * (left > window ? window : left)) / window;
  return (previous * 7n + (sample > BPS ? BPS : sample)) >> 3n;
}

async function delta(token: MockERC20, account: string, block: number): Promise<bigint> {
  return (
    (await token.balanceOf(account, { blockTag: block })) - (await token.balanceOf(account, { blockTag: block - 1 }))
  );
}

describe("integration: claim and settlement", function () {
  this.timeout(TEST_TIMEOUT);
  let user: Actor;
  let solver: Actor;

  before(async function () {
    const c = ctx();
    [user] = await c.accounts(1);
    solver = await c.bondedSolver();
  });

  it("claim: a bonded solver claims a pending intent, which is Executing until its claim deadline", async function () {
    const { verifier, registry, weth, policyAmount, transferIntent, submit, latest } = ctx();
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, weth, E18);
    const intent = await transferIntent(user.address, weth, amount, Wallet.createRandom().address);
    const { id } = await submit(user, intent);
    const before = await registry.getSolver(solver.address);

    const receipt = await send(verifier.connect(solver).claim, id);
    const claimedAt = BigInt((await receipt.getBlock()).timestamp);
    const { claimTtl } = await verifier.timings();
    const deadline = claimedAt + claimTtl < intent.expiry ? claimedAt + claimTtl : intent.expiry;
    const claimed = eventOf(receipt, verifier, "IntentClaimed");
    expect(claimed.id).to.equal(id);
    expect(claimed.solver).to.equal(solver.address);
    expect(claimed.claimDeadline, "claim deadline").to.equal(deadline);

    expect(await verifier.statusOf(id)).to.equal(IntentStatus.Executing);
    const record = await verifier.getIntent(id);
    expect(record.solver).to.equal(solver.address);
    expect(record.claimDeadline).to.equal(deadline);
    const after = await registry.getSolver(solver.address);
    expect(after.activeClaims - before.activeClaims, "claims in flight").to.equal(1n);
    expect(after.assigned - before.assigned, "claims assigned").to.equal(1n);
    expect(await latest()).to.be.lessThan(deadline);
  });

  it("fulfill a transfer: the recipient gains the amount, the intent is Completed and the solver credited", async function () {
    const { verifier, registry, usdc, policyAmount, transferIntent, submitAndClaim, mintAndApprove } = ctx();
    const recipient = Wallet.createRandom().address;
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, usdc, 250n * E18);
    await mintAndApprove(user, usdc, amount);
    const intent = await transferIntent(user.address, usdc, amount, recipient);
    const { id } = await submitAndClaim(user, solver, intent);
    const before = await registry.getSolver(solver.address);
    const { claimDeadline, claimedAt } = await verifier.getIntent(id);
    const reported = fulfillment(0n);

    const receipt = await send(verifier.connect(solver).fulfill, intent, reported);
    expect(await delta(usdc, recipient, receipt.blockNumber), "recipient's USDC").to.equal(amount);
    expect(await delta(usdc, user.address, receipt.blockNumber), "user's USDC").to.equal(-amount);
    const completed = eventOf(receipt, verifier, "IntentCompleted");
    expect(completed.id).to.equal(id);
    expect(completed.user).to.equal(user.address);
    expect(completed.solver).to.equal(solver.address);
    expect(completed.received, "received").to.equal(amount);
    expect(completed.gasUsed).to.equal(reported.gasUsed);
    expect(completed.totalCost).to.equal(reported.totalCost);

    expect(await verifier.statusOf(id)).to.equal(IntentStatus.Completed);
    expect((await verifier.getIntent(id)).claimDeadline, "the claim deadline kept in the record").to.equal(
      claimDeadline,
    );
    const fulfilledAt = BigInt((await receipt.getBlock()).timestamp);
    // The latency score runs over the claim's own window, fixed when it was claimed.
    const score = scoreAfterSuccess(before.performanceScoreBps, claimDeadline - fulfilledAt, claimDeadline - claimedAt);
    const after = await registry.getSolver(solver.address);
    expect(after.completed - before.completed, "completed").to.equal(1n);
    expect(after.activeClaims, "claims in flight").to.equal(before.activeClaims - 1n);
    expect(after.performanceScoreBps, "performance score").to.equal(score);
    expect(eventOf(receipt, registry, "SolverOutcomeRecorded").performanceScoreBps).to.equal(score);
  });

  it("fulfill a swap: the recipient gains at least minAmountOut and the solver receives amountIn", async function () {
    const { verifier, registry, weth, usdc, policyAmount, swapIntent, submitAndClaim, mintAndApprove } = ctx();
    const recipient = Wallet.createRandom().address;
    const amountIn = await policyAmount(INTENT_TYPE_SWAP, weth, E18);
    const minAmountOut = 3_000n * E18;
    const amountOut = minAmountOut + 25n * E18; // the solver delivers more than the minimum
    await mintAndApprove(user, weth, amountIn);
    await mintAndApprove(solver, usdc, amountOut);
    const intent = await swapIntent(user.address, weth, amountIn, usdc, minAmountOut, recipient);
    const { id } = await submitAndClaim(user, solver, intent);
    const before = await registry.getSolver(solver.address);

    const receipt = await send(verifier.connect(solver).fulfill, intent, fulfillment(amountOut));
    const received = await delta(usdc, recipient, receipt.blockNumber);
    expect(received, "recipient's USDC").to.be.at.least(minAmountOut);
    expect(received, "recipient's USDC").to.equal(amountOut);
    expect(await delta(weth, user.address, receipt.blockNumber), "user's WETH").to.equal(-amountIn);
    expect(await delta(weth, solver.address, receipt.blockNumber), "solver's WETH").to.equal(amountIn);
    expect(await delta(usdc, solver.address, receipt.blockNumber), "solver's USDC").to.equal(-amountOut);
    expect(eventOf(receipt, verifier, "IntentCompleted").received, "received").to.equal(amountOut);
    expect(await verifier.statusOf(id)).to.equal(IntentStatus.Completed);
    expect((await registry.getSolver(solver.address)).completed - before.completed).to.equal(1n);
  });
});
