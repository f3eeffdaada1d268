// A claim left to lapse on the live system: once its window has passed, anyone may `fail` it; the
// solver is slashed in the user's favour, its record counts the failure, and the intent goes back
// to the queue, where it later expires. On a node without time travel this waits out the claim
// window in real time.
import { expect } from "chai";
import { Wallet } from "ethers";

import { INTENT_TYPE_TRANSFER, IntentStatus, type Intent } from "../../scripts/lib/intents.js";
import { E18, SolverStatus, TEST_TIMEOUT, ctx, eventOf, eventsOf, expectRevert, send, type Actor } from "./context.js";

const BPS = 10_000n;

describe("integration: lapsed claims", function () {
  this.timeout(TEST_TIMEOUT);
  let user: Actor;
  let keeper: Actor;
  let solver: Actor;
  // The intent whose claim lapses; the second test lets the requeued intent expire.
  let lapsed: { intent: Intent; id: string } | undefined;

  before(async function () {
    const c = ctx();
    [user, keeper] = await c.accounts(2);
    solver = await c.bondedSolver(); // bonded with exactly minBond
  });

  it("fail after the claim window: the solver is slashed, the user credited its share, the record counts a failure", async function () {
    const {
      verifier,
      registry,
      stk,
      weth,
      policyAmount,
      transferIntent,
      submitAndClaim,
      advanceTo,
      latest,
      timeoutFor,
    } = ctx();
    const { maxTtl, claimTtl } = await verifier.timings();
    this.timeout(timeoutFor(claimTtl + 120n));

    // The intent outlives its claim window by a margin (long enough on a slow chain for the claim
    // to be mined with a full window), so the lapse requeues it rather than failing it for good.
    const margin = ctx().timeTravel ? 600n : 120n;
    const ttl = claimTtl + margin < maxTtl ? claimTtl + margin : maxTtl;
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, weth, E18);
    const intent = await transferIntent(user.address, weth, amount, Wallet.createRandom().address, ttl);

    // A claim window that a pause overlaps is released, not slashed: claim after every pause.
    const { unpausedAt } = await verifier.lastPause();
    if (unpausedAt >= (await latest())) await advanceTo(unpausedAt + 1n);
    const pausesBefore = await verifier.pauseCount();
    const { id, claim } = await submitAndClaim(user, solver, intent);
    const claimedAt = BigInt((await claim.getBlock()).timestamp);
    const { claimDeadline, claimedAt: recordedClaimAt } = await verifier.getIntent(id);
    expect(recordedClaimAt, "the claim time in the record").to.equal(claimedAt);
    expect(claimDeadline, "a full claim window (not cut short by the expiry)").to.equal(claimedAt + claimTtl);
    expect(claimDeadline).to.be.lessThan(intent.expiry);

    await expectRevert(verifier.connect(keeper).fail.estimateGas(intent), verifier, "ClaimStillValid");
    await advanceTo(claimDeadline + 1n);

    const { minBond } = await registry.bondParameters();
    const { slashAmount, userShareBps, treasury } = await registry.slashing();
    const before = await registry.getSolver(solver.address);
    const slashed = slashAmount < before.bond ? slashAmount : before.bond;
    const toUser = (slashed * userShareBps) / BPS;

    expect(await verifier.pauseCount(), "no pause since the claim").to.equal(pausesBefore);
    const creditOf = async (account: string, blockTag: number) =>
      (await registry.creditOf(account, { blockTag })).amount;
    const receipt = await send(verifier.connect(keeper).fail, intent);
    const failed = eventOf(receipt, verifier, "ClaimFailed");
    expect([failed.id, failed.user, failed.solver, failed.requeued]).to.deep.equal([
      id,
      user.address,
      solver.address,
      true,
    ]);
    const slash = eventOf(receipt, registry, "SolverSlashed");
    expect(slash.solver).to.equal(solver.address);
    expect(slash.harmedUser).to.equal(user.address);
    expect(slash.toUser, "user's share").to.equal(toUser);
    expect(slash.toTreasury, "treasury's share").to.equal(slashed - toUser);
    expect(slash.remainingBond).to.equal(before.bond - slashed);

    const at = { blockTag: receipt.blockNumber };
    const prior = { blockTag: receipt.blockNumber - 1 };
    const registryAddress = await registry.getAddress();
    // Credited, locked for the unbonding period: nothing leaves the registry at the slash.
    const userCredit = (await creditOf(user.address, at.blockTag)) - (await creditOf(user.address, prior.blockTag));
    const treasuryCredit = (await creditOf(treasury, at.blockTag)) - (await creditOf(treasury, prior.blockTag));
    if (treasury === user.address) {
      expect(userCredit, "user's and treasury's credit").to.equal(slashed);
    } else {
      expect(userCredit, "user's credit").to.equal(toUser);
      expect(treasuryCredit, "treasury's credit").to.equal(slashed - toUser);
    }
    expect((await stk.balanceOf(user.address, at)) - (await stk.balanceOf(user.address, prior)), "user's STK").to.equal(
      0n,
    );
    expect(await stk.balanceOf(registryAddress, at), "registry's STK").to.equal(
      await stk.balanceOf(registryAddress, prior),
    );
    expect((await registry.totalBonded(prior)) - (await registry.totalBonded(at)), "totalBonded").to.equal(slashed);
    expect((await registry.totalCredited(at)) - (await registry.totalCredited(prior)), "totalCredited").to.equal(
      slashed,
    );

    const after = await registry.getSolver(solver.address);
    const expectedStatus = after.bond < minBond ? SolverStatus.Suspended : SolverStatus.Active;
    expect(after.bond, "bond").to.equal(before.bond - slashed);
    expect(after.failed - before.failed, "failed claims").to.equal(1n);
    expect(after.completed, "completed claims").to.equal(before.completed);
    expect(after.activeClaims, "claims in flight").to.equal(before.activeClaims - 1n);
    expect(after.performanceScoreBps, "performance score").to.equal((before.performanceScoreBps * 7n) >> 3n);
    expect(after.status, "status").to.equal(expectedStatus);
    expect(await registry.isAuthorized(solver.address)).to.equal(expectedStatus === SolverStatus.Active);
    expect(eventsOf(receipt, registry, "SolverStatusChanged"), "status change events").to.have.length(
      expectedStatus === SolverStatus.Suspended ? 1 : 0,
    );

    expect(await verifier.statusOf(id), "requeued").to.equal(IntentStatus.Pending);
    const record = await verifier.getIntent(id);
    // The lapsed claim stays on record (the claim fields describe the latest claim); its deadline
    // has passed, so it holds no one back.
    expect([record.solver, record.claimDeadline, record.requeued]).to.deep.equal([
      solver.address,
      claimDeadline,
      false,
    ]);
    lapsed = { intent, id };
  });

  it("the requeued intent expires: statusOf reads Expired past its expiry, claims are refused, expire() records it", async function () {
    expect(lapsed, "the intent of the previous test").to.not.equal(undefined);
    const { intent, id } = lapsed!;
    const { verifier, advanceTo, latest, timeoutFor } = ctx();
    this.timeout(timeoutFor(intent.expiry - (await latest()) + 60n));

    await advanceTo(intent.expiry);
    expect(await verifier.statusOf(id), "statusOf").to.equal(IntentStatus.Expired);
    expect((await verifier.getIntent(id)).status, "stored status").to.equal(IntentStatus.Pending);
    const refused = await expectRevert(verifier.connect(keeper).claim.estimateGas(id), verifier, "IntentHasExpired");
    expect(refused.expiry).to.equal(intent.expiry);

    const receipt = await send(verifier.connect(keeper).expire, intent);
    const expired = eventOf(receipt, verifier, "IntentExpired");
    expect([expired.id, expired.user]).to.deep.equal([id, user.address]);
    expect((await verifier.getIntent(id)).status, "stored status").to.equal(IntentStatus.Expired);
  });
});
