// SolverRegistry: the verifier hooks (recordClaim, recordSuccess, recordFailure), driven through
// the real IntentVerifier (claim, fulfill, fail), plus edge cases only a stand-in verifier reaches.
import { expect } from "chai";
import { network } from "hardhat";

import { IntentStatus } from "../../../scripts/lib/intents.js";
import { E18, MAX_UINT256, MIN_BOND, systemFixture } from "../fixtures.js";
import {
  BPS,
  CLAIM_WINDOW,
  INITIAL_SCORE,
  SolverStatus,
  UNBONDING_PERIOD,
  bucketOf,
  expectBondsBacked,
  expectSystemBacked,
  failClaim,
  fulfill,
  latencySample,
  nextScore,
  creditOf,
  passDeadline,
  passTermsDelay,
  standaloneRegistry,
  submitAndClaim,
  submitTransfer,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const SLASH = MIN_BOND / 10n; // the default slash

async function deployedSystem() {
  return systemFixture(ethers);
}

/** The system before the registry is wired to its verifier (the solver already registered). */
async function unwiredSystem() {
  return systemFixture(ethers, { wireVerifier: false });
}

/** The system with the stranger wired as the registry's verifier, to call the hooks directly. */
async function strangerAsVerifier() {
  const f = await systemFixture(ethers, { wireVerifier: false });
  await f.registry.setVerifier(f.stranger.address);
  return f;
}

describe("SolverRegistry: verifier hooks", function () {
  describe("access", function () {
    it("rejects recordClaim from anyone but the verifier with NotVerifier", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      for (const caller of [f.stranger, f.solver, f.admin]) {
        await expect(f.registry.connect(caller).recordClaim(f.solver.address))
          .to.be.revertedWithCustomError(f.registry, "NotVerifier")
          .withArgs(caller.address);
      }
    });

    it("rejects recordSuccess from anyone but the verifier with NotVerifier", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      for (const caller of [f.stranger, f.solver, f.admin]) {
        await expect(f.registry.connect(caller).recordSuccess(f.solver.address, BPS, true))
          .to.be.revertedWithCustomError(f.registry, "NotVerifier")
          .withArgs(caller.address);
      }
    });

    it("rejects recordFailure from anyone but the verifier with NotVerifier", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      for (const caller of [f.stranger, f.solver, f.admin]) {
        await expect(f.registry.connect(caller).recordFailure(f.solver.address, caller.address))
          .to.be.revertedWithCustomError(f.registry, "NotVerifier")
          .withArgs(caller.address);
      }
      await expectSystemBacked(f);
    });

    it("rejects recordRelease from anyone but the verifier with NotVerifier", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      for (const caller of [f.stranger, f.solver, f.admin]) {
        await expect(f.registry.connect(caller).recordRelease(f.solver.address))
          .to.be.revertedWithCustomError(f.registry, "NotVerifier")
          .withArgs(caller.address);
      }
    });

    it("records the failure whoever the stake token refuses: the slash is credited, the payee blocked only from withdrawing", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const token = await ethers.deployContract("BlocklistToken");
      const registry = await standaloneRegistry(ethers, f, await token.getAddress(), { unbondingPeriod: 0n });
      await registry.setSlashing(SLASH, 5_000n, f.treasury.address); // no bond yet: at once
      await registry.setVerifier(f.stranger.address);
      await token.mint(f.solver.address, MIN_BOND);
      await token.connect(f.solver).approve(await registry.getAddress(), MIN_BOND);
      await registry.connect(f.solver).register(MIN_BOND);
      await registry.connect(f.stranger).recordClaim(f.solver.address);
      // Both payees refused by the token: a paying slash (before) reverted in the treasury's
      // transfer, so the intent stayed Executing and the solver could never exit.
      await token.setBlocked(f.user.address, true);
      await token.setBlocked(f.treasury.address, true);
      await expect(registry.connect(f.stranger).recordFailure(f.solver.address, f.user.address))
        .to.emit(registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, SLASH / 2n, SLASH / 2n, MIN_BOND - SLASH);
      expect((await registry.creditOf(f.user.address)).amount).to.equal(SLASH / 2n);
      expect((await registry.creditOf(f.treasury.address)).amount).to.equal(SLASH / 2n);
      await expectBondsBacked(token, registry);
      // The unbonding period is 0 here, so the credits are unlocked; a refused payee cannot take them.
      await expect(registry.connect(f.treasury).withdrawCredit())
        .to.be.revertedWithCustomError(token, "Blocked")
        .withArgs(f.treasury.address);
      await token.setBlocked(f.treasury.address, false);
      await expect(registry.connect(f.treasury).withdrawCredit())
        .to.emit(registry, "CreditWithdrawn")
        .withArgs(f.treasury.address, SLASH / 2n);
      expect(await token.balanceOf(f.treasury.address)).to.equal(SLASH / 2n);
      await expectBondsBacked(token, registry);
    });

    it("rejects a verifier the registry is not wired to", async function () {
      const f = await networkHelpers.loadFixture(strangerAsVerifier);
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "NotVerifier")
        .withArgs(f.verifierAddress);
    });
  });

  describe("recordClaim (verifier.claim)", function () {
    it("counts the assignment and the claim in flight", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await submitAndClaim(f);
      await submitAndClaim(f);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.assigned).to.equal(2n);
      expect(info.activeClaims).to.equal(2n);
      expect(info.completed).to.equal(0n);
      expect(info.failed).to.equal(0n);
      expect(info.status).to.equal(SolverStatus.Active);
      // Claiming records nothing but the counters: score and bond are untouched.
      expect(info.performanceScoreBps).to.equal(INITIAL_SCORE);
      expect(info.bond).to.equal(MIN_BOND);
    });

    it("rejects a suspended solver (InvalidSolverStatus) and leaves the intent pending", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.suspend(f.solver.address);
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Suspended);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Pending);
      expect((await f.registry.getSolver(f.solver.address)).assigned).to.equal(0n);
    });

    it("rejects an exiting solver with InvalidSolverStatus(Exiting)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).announceExit();
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Exiting);
    });

    it("rejects an unregistered solver with InvalidSolverStatus(None)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.otherSolver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.otherSolver.address, SolverStatus.None);
    });

    it("rejects an exited solver with InvalidSolverStatus(Exited)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).announceExit();
      await time.increase(UNBONDING_PERIOD);
      await f.registry.connect(f.solver).withdraw();
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Exited);
    });

    it("rejects a claim beyond maxActiveClaims with ConcurrencyLimitReached until one settles", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setMaxActiveClaims(1n);
      const first = await submitAndClaim(f);
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "ConcurrencyLimitReached")
        .withArgs(f.solver.address, 1n);

      await fulfill(f, first.intent);
      await expect(f.verifier.connect(f.solver).claim(id)).to.emit(f.verifier, "IntentClaimed");
      expect((await f.registry.getSolver(f.solver.address)).activeClaims).to.equal(1n);
    });

    it("applies a lowered concurrency cap to a solver already above it", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await submitAndClaim(f);
      await submitAndClaim(f);
      await f.registry.setMaxActiveClaims(1n);
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "ConcurrencyLimitReached")
        .withArgs(f.solver.address, 1n);
    });

    it("rejects claims over the rate limit with RateLimited(bucket, retryAfter) until it refills", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setClaimRateLimit(1n, 1800n);
      const first = await submitTransfer(f);
      const second = await submitTransfer(f);

      const t0 = (await f.latest()) + 10n;
      await time.setNextBlockTimestamp(t0);
      await f.verifier.connect(f.solver).claim(first.id);
      // 10 s later 10 of the 1,800 units used have drained: the next claim fits in 1,790 s.
      await time.setNextBlockTimestamp(t0 + 10n);
      await expect(f.verifier.connect(f.solver).claim(second.id))
        .to.be.revertedWithCustomError(f.registry, "RateLimited")
        .withArgs(bucketOf(f.solver.address), 1790n);
      expect(await f.verifier.statusOf(second.id)).to.equal(IntentStatus.Pending);

      await time.setNextBlockTimestamp(t0 + 1799n);
      await expect(f.verifier.connect(f.solver).claim(second.id))
        .to.be.revertedWithCustomError(f.registry, "RateLimited")
        .withArgs(bucketOf(f.solver.address), 1n);
      await time.setNextBlockTimestamp(t0 + 1800n);
      await expect(f.verifier.connect(f.solver).claim(second.id)).to.emit(f.verifier, "IntentClaimed");
      expect((await f.registry.getSolver(f.solver.address)).assigned).to.equal(2n);
    });

    it("admits `limit` claims at once from a full bucket, then refills at limit/window per second", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setClaimRateLimit(2n, 100n);
      const intents = [await submitTransfer(f), await submitTransfer(f), await submitTransfer(f)];

      const t0 = (await f.latest()) + 10n;
      await time.setNextBlockTimestamp(t0);
      await f.verifier.connect(f.solver).claim(intents[0].id); // used 100 of 200
      await time.setNextBlockTimestamp(t0 + 1n);
      await f.verifier.connect(f.solver).claim(intents[1].id); // 98 + 100 = 198 of 200
      // At t0 + 2: 196 used, a claim needs 100 more, 96 over at 2 units/s: ceil(96 / 2) = 48 s.
      await time.setNextBlockTimestamp(t0 + 2n);
      await expect(f.verifier.connect(f.solver).claim(intents[2].id))
        .to.be.revertedWithCustomError(f.registry, "RateLimited")
        .withArgs(bucketOf(f.solver.address), 48n);
      await time.setNextBlockTimestamp(t0 + 49n);
      await expect(f.verifier.connect(f.solver).claim(intents[2].id))
        .to.be.revertedWithCustomError(f.registry, "RateLimited")
        .withArgs(bucketOf(f.solver.address), 1n);
      await time.setNextBlockTimestamp(t0 + 50n);
      await expect(f.verifier.connect(f.solver).claim(intents[2].id)).to.emit(f.verifier, "IntentClaimed");
    });

    it("keeps each solver's bucket separate", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.otherSolver).register(MIN_BOND);
      await f.registry.setClaimRateLimit(1n, 3600n);
      await submitAndClaim(f, f.solver);
      await submitAndClaim(f, f.otherSolver);
      expect((await f.registry.getSolver(f.otherSolver.address)).assigned).to.equal(1n);
      const { id } = await submitTransfer(f);
      await expect(f.verifier.connect(f.otherSolver).claim(id))
        .to.be.revertedWithCustomError(f.registry, "RateLimited")
        .withArgs(bucketOf(f.otherSolver.address), (retryAfter: bigint) => retryAfter > 0n);
    });

    it("rejects claims with EnforcedPause while the registry is paused", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const { id } = await submitTransfer(f);
      await f.registry.pause();
      expect(await f.verifier.paused()).to.equal(false);
      await expect(f.verifier.connect(f.solver).claim(id)).to.be.revertedWithCustomError(f.registry, "EnforcedPause");
      await f.registry.unpause();
      await expect(f.verifier.connect(f.solver).claim(id)).to.emit(f.verifier, "IntentClaimed");
    });
  });

  describe("recordSuccess (verifier.fulfill)", function () {
    it("counts the completion, frees the slot and folds the latency sample into the score", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      // 150 s into the 600 s window: 450 s left, sample 5,000 + 5,000 * 450 / 600 = 8,750.
      await time.setNextBlockTimestamp(claimed.claimedAt + 150n);
      const expected = nextScore(INITIAL_SCORE, latencySample(450n));
      expect(expected).to.equal(5_468n); // (7 * 5,000 + 8,750) / 8 = 5,468.75
      await expect(fulfill(f, claimed.intent, f.solver, { gasUsed: 120_000n, totalCost: 3n * 10n ** 15n }))
        .to.emit(f.registry, "SolverOutcomeRecorded")
        .withArgs(f.solver.address, true, expected);

      const info = await f.registry.getSolver(f.solver.address);
      expect(info.completed).to.equal(1n);
      expect(info.failed).to.equal(0n);
      expect(info.activeClaims).to.equal(0n);
      expect(info.assigned).to.equal(1n);
      expect(info.performanceScoreBps).to.equal(expected);
      expect(info.successRateBps).to.equal(BPS);
      expect(await f.registry.performanceScore(f.solver.address)).to.equal(expected);
    });

    it("compounds the score over several fulfilments", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      let score = INITIAL_SCORE;
      const fills = [
        { after: 1n, gasUsed: 100_000n, totalCost: 10n ** 15n },
        { after: 300n, gasUsed: 200_000n, totalCost: 2n * 10n ** 15n },
        { after: 599n, gasUsed: 50_000n, totalCost: 0n },
      ];
      for (const fill of fills) {
        const claimed = await submitAndClaim(f);
        await time.setNextBlockTimestamp(claimed.claimedAt + fill.after);
        score = nextScore(score, latencySample(CLAIM_WINDOW - fill.after));
        await expect(fulfill(f, claimed.intent, f.solver, fill))
          .to.emit(f.registry, "SolverOutcomeRecorded")
          .withArgs(f.solver.address, true, score);
      }
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.completed).to.equal(3n);
      expect(info.activeClaims).to.equal(0n);
      expect(info.performanceScoreBps).to.equal(score);
    });

    it("samples 5,000 for a fill at the deadline, leaving a new solver's score unchanged", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await time.setNextBlockTimestamp(claimed.deadline);
      await expect(fulfill(f, claimed.intent))
        .to.emit(f.registry, "SolverOutcomeRecorded")
        .withArgs(f.solver.address, true, INITIAL_SCORE);
    });

    it("moves no stake tokens", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await expect(fulfill(f, claimed.intent)).to.changeTokenBalances(
        ethers,
        f.stakeToken,
        [f.registry, f.solver, f.user],
        [0n, 0n, 0n],
      );
      expect(await f.registry.totalBonded()).to.equal(MIN_BOND);
      await expectSystemBacked(f);
    });

    it("still records a success while the registry is paused", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await f.registry.pause();
      await expect(fulfill(f, claimed.intent)).to.emit(f.registry, "SolverOutcomeRecorded");
      expect(await f.verifier.statusOf(claimed.id)).to.equal(IntentStatus.Completed);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.completed).to.equal(1n);
      expect(info.activeClaims).to.equal(0n);
    });

    it("settles the claim of a solver suspended while it was in flight", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await f.registry.suspend(f.solver.address);
      await expect(fulfill(f, claimed.intent)).to.emit(f.registry, "SolverOutcomeRecorded");
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Suspended);
      expect(info.activeClaims).to.equal(0n);
      expect(info.completed).to.equal(1n);
    });
  });

  describe("recordFailure (verifier.fail)", function () {
    it("slashes minBond / 10 to the user by default and suspends a solver left below minBond", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await passDeadline(f, time, claimed);
      const tx = f.verifier.connect(f.stranger).fail(claimed.intent);
      await expect(tx)
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, SLASH, 0n, MIN_BOND - SLASH);
      await expect(tx).to.emit(f.registry, "SolverStatusChanged").withArgs(f.solver.address, SolverStatus.Suspended);
      await expect(tx)
        .to.emit(f.registry, "SolverOutcomeRecorded")
        .withArgs(f.solver.address, false, nextScore(INITIAL_SCORE, 0n));
      // The default treasury is the admin; with a 100% user share it gets nothing.
      // Credited to the user, locked for the unbonding period: no stake token moves.
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.stakeToken,
        [f.registry, f.user, f.admin, f.stranger],
        [0n, 0n, 0n, 0n],
      );
      expect(await creditOf(f.registry, f.user.address)).to.equal(SLASH);
      expect(await f.registry.totalCredited()).to.equal(SLASH);

      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Suspended);
      expect(info.bond).to.equal(MIN_BOND - SLASH);
      expect(info.failed).to.equal(1n);
      expect(info.completed).to.equal(0n);
      expect(info.activeClaims).to.equal(0n);
      expect(info.successRateBps).to.equal(0n);
      expect(info.performanceScoreBps).to.equal(4_375n); // 7 * 5,000 / 8
      expect(await f.registry.isAuthorized(f.solver.address)).to.equal(false);
      expect(await f.registry.totalBonded()).to.equal(MIN_BOND - SLASH);
      await expectSystemBacked(f);
    });

    it("splits the slash by userShareBps between the harmed user and the treasury", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setSlashing(400n * E18, 2_500n, f.treasury.address);
      await passTermsDelay(time);
      await f.registry.connect(f.solver).topUp(MIN_BOND); // bond 2,000: stays above minBond
      const claimed = await submitAndClaim(f);
      await passDeadline(f, time, claimed);
      const tx = f.verifier.connect(f.stranger).fail(claimed.intent);
      await expect(tx)
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, 100n * E18, 300n * E18, 1_600n * E18);
      await expect(tx).to.not.emit(f.registry, "SolverStatusChanged");
      await expect(tx).to.changeTokenBalances(ethers, f.stakeToken, [f.registry, f.user, f.treasury], [0n, 0n, 0n]);
      expect(await creditOf(f.registry, f.user.address)).to.equal(100n * E18);
      expect(await creditOf(f.registry, f.treasury.address)).to.equal(300n * E18);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Active);
      expect(info.bond).to.equal(1_600n * E18);
      expect(await f.registry.totalBonded()).to.equal(1_600n * E18);
      await expectSystemBacked(f);
    });

    it("rounds the user's share down and gives the remainder to the treasury", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setSlashing(999n, 3_333n, f.treasury.address);
      await passTermsDelay(time);
      const claimed = await submitAndClaim(f);
      // 999 * 3,333 / 10,000 = 332.97 -> 332 to the user, 667 to the treasury.
      await expect(failClaim(f, time, claimed))
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, 332n, 667n, MIN_BOND - 999n);
      await expectSystemBacked(f);
    });

    it("sends the whole slash to the treasury when userShareBps is 0", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setSlashing(SLASH, 0n, f.treasury.address);
      await passTermsDelay(time);
      const claimed = await submitAndClaim(f);
      await passDeadline(f, time, claimed);
      const tx = f.verifier.connect(f.stranger).fail(claimed.intent);
      await expect(tx)
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, 0n, SLASH, MIN_BOND - SLASH);
      expect(await creditOf(f.registry, f.user.address)).to.equal(0n);
      expect(await creditOf(f.registry, f.treasury.address)).to.equal(SLASH);
      await expectSystemBacked(f);
    });

    it("caps the slash at the solver's bond", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setSlashing(5n * MIN_BOND, BPS, f.treasury.address);
      await passTermsDelay(time);
      const claimed = await submitAndClaim(f);
      await passDeadline(f, time, claimed);
      const tx = f.verifier.connect(f.stranger).fail(claimed.intent);
      await expect(tx)
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, MIN_BOND, 0n, 0n);
      await expect(tx).to.changeTokenBalances(ethers, f.stakeToken, [f.registry, f.user], [0n, 0n]);
      expect(await creditOf(f.registry, f.user.address)).to.equal(MIN_BOND);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.bond).to.equal(0n);
      expect(info.status).to.equal(SolverStatus.Suspended);
      expect(await f.registry.totalBonded()).to.equal(0n);
      await expectSystemBacked(f);
    });

    it("records a failure without moving tokens when the slash is zero", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setSlashing(0n, BPS, f.treasury.address);
      await passTermsDelay(time);
      const claimed = await submitAndClaim(f);
      await passDeadline(f, time, claimed);
      const tx = f.verifier.connect(f.stranger).fail(claimed.intent);
      await expect(tx)
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, 0n, 0n, MIN_BOND);
      await expect(tx).to.not.emit(f.stakeToken, "Transfer");
      await expect(tx).to.not.emit(f.registry, "SolverStatusChanged");
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Active);
      expect(info.failed).to.equal(1n);
      expect(info.performanceScoreBps).to.equal(4_375n);
      await expectSystemBacked(f);
    });

    it("suspends on the next failure a solver left below a raised minBond", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setSlashing(0n, BPS, f.treasury.address);
      await passTermsDelay(time);
      await f.registry.setBondParameters(2n * MIN_BOND, UNBONDING_PERIOD);
      await passTermsDelay(time);
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Active);
      const claimed = await submitAndClaim(f);
      await expect(failClaim(f, time, claimed))
        .to.emit(f.registry, "SolverStatusChanged")
        .withArgs(f.solver.address, SolverStatus.Suspended);
    });

    it("keeps an exiting solver exiting while slashing its bond", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await f.registry.connect(f.solver).announceExit();
      const ends = (await f.registry.getSolver(f.solver.address)).unbondingEnds;
      await passDeadline(f, time, claimed);
      const tx = f.verifier.connect(f.stranger).fail(claimed.intent);
      await expect(tx)
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, SLASH, 0n, MIN_BOND - SLASH);
      await expect(tx).to.not.emit(f.registry, "SolverStatusChanged");
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Exiting);
      expect(info.bond).to.equal(MIN_BOND - SLASH);
      expect(info.unbondingEnds).to.equal(ends);
      await expectSystemBacked(f);
    });

    it("keeps a suspended solver suspended without a second status event", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await f.registry.suspend(f.solver.address);
      await passDeadline(f, time, claimed);
      const tx = f.verifier.connect(f.stranger).fail(claimed.intent);
      await expect(tx).to.emit(f.registry, "SolverSlashed");
      await expect(tx).to.not.emit(f.registry, "SolverStatusChanged");
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Suspended);
      await expectSystemBacked(f);
    });

    it("slashes a claim that fails after the intent expired, and the intent fails for good", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).topUp(MIN_BOND);
      const { intent, id } = await submitTransfer(f, { expiry: (await f.latest()) + 300n });
      await f.verifier.connect(f.solver).claim(id); // deadline capped at the expiry
      await time.increaseTo(intent.expiry + 1n);
      await expect(f.verifier.connect(f.stranger).fail(intent))
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, SLASH, 0n, 2n * MIN_BOND - SLASH);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Failed);
      await expectSystemBacked(f);
    });

    it("derives the success rate and the score from a mix of outcomes", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).topUp(5n * MIN_BOND); // stays active through the slashes
      let score = INITIAL_SCORE;
      for (const succeed of [true, false, true]) {
        const claimed = await submitAndClaim(f);
        if (succeed) {
          await time.setNextBlockTimestamp(claimed.claimedAt + 60n);
          score = nextScore(score, latencySample(540n));
          await fulfill(f, claimed.intent);
        } else {
          score = nextScore(score, 0n);
          await expect(failClaim(f, time, claimed))
            .to.emit(f.registry, "SolverOutcomeRecorded")
            .withArgs(f.solver.address, false, score);
        }
      }
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.completed).to.equal(2n);
      expect(info.failed).to.equal(1n);
      expect(info.assigned).to.equal(3n);
      expect(info.successRateBps).to.equal(6_666n); // 2 * 10,000 / 3, rounded down
      expect(await f.registry.successRate(f.solver.address)).to.equal(6_666n);
      expect(info.performanceScoreBps).to.equal(score);
      expect(await f.registry.performanceScore(f.solver.address)).to.equal(score);
      expect(info.bond).to.equal(6n * MIN_BOND - SLASH);
      await expectSystemBacked(f);
    });

    it("lets a solver leave with its bond before a scheduled slash of the whole bond applies (review finding: High)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      // The attack: the whole bond as the slash, the treasury as the only payee, then a lapse.
      await f.registry.setSlashing(MIN_BOND, 0n, f.treasury.address);
      const { effectiveAt } = await f.registry.pendingTerms();
      await f.registry.connect(f.solver).announceExit();
      await passDeadline(f, time, claimed);
      await expect(f.verifier.connect(f.stranger).fail(claimed.intent))
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, SLASH, 0n, MIN_BOND - SLASH); // the terms it accepted
      await time.increase(UNBONDING_PERIOD);
      expect(await f.latest()).to.be.lessThan(effectiveAt);
      await expect(f.registry.connect(f.solver).withdraw())
        .to.emit(f.registry, "SolverExited")
        .withArgs(f.solver.address, MIN_BOND - SLASH);
      expect(await creditOf(f.registry, f.treasury.address)).to.equal(0n);
      await expectSystemBacked(f);
    });

    it("locks slash credits for the unbonding period, so a throwaway account's slashes leave no faster than the bond", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      // The solver lets an intent of an account it controls (here f.user) lapse.
      const claimed = await submitAndClaim(f);
      await failClaim(f, time, claimed);
      const slashedAt = await f.latest();
      const { amount, unlocksAt } = await f.registry.creditOf(f.user.address);
      expect([amount, unlocksAt]).to.deep.equal([SLASH, slashedAt + UNBONDING_PERIOD]);
      await expect(f.registry.connect(f.user).withdrawCredit())
        .to.be.revertedWithCustomError(f.registry, "CreditLocked")
        .withArgs(f.user.address, unlocksAt);
      await time.increaseTo(unlocksAt - 2n); // the next block is one second before the unlock
      await expect(f.registry.connect(f.user).withdrawCredit()).to.be.revertedWithCustomError(
        f.registry,
        "CreditLocked",
      );
      await time.setNextBlockTimestamp(unlocksAt);
      await expect(f.registry.connect(f.user).withdrawCredit()).to.changeTokenBalances(
        ethers,
        f.stakeToken,
        [f.registry, f.user],
        [-SLASH, SLASH],
      );
      expect(await f.registry.totalCredited()).to.equal(0n);
      await expect(f.registry.connect(f.user).withdrawCredit())
        .to.be.revertedWithCustomError(f.registry, "NoCredit")
        .withArgs(f.user.address);
      await expectSystemBacked(f);
    });

    it("records failures while the registry is paused, so a paused registry never holds a lapsed claim open", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await passDeadline(f, time, claimed);
      await f.registry.pause();
      await expect(f.verifier.connect(f.stranger).fail(claimed.intent)).to.emit(f.registry, "SolverSlashed");
      expect(await f.verifier.statusOf(claimed.id)).to.equal(IntentStatus.Pending);
      expect((await f.registry.getSolver(f.solver.address)).activeClaims).to.equal(0n);
      // With its claim settled, the solver can leave while the registry stays paused.
      await f.registry.connect(f.solver).announceExit();
      await time.increase(UNBONDING_PERIOD);
      await expect(f.registry.connect(f.solver).withdraw()).to.emit(f.registry, "SolverExited");
      await expectSystemBacked(f);
    });
  });

  describe("with a stand-in verifier", function () {
    it("returns the amount slashed from recordFailure", async function () {
      const f = await networkHelpers.loadFixture(strangerAsVerifier);
      await f.registry.connect(f.stranger).recordClaim(f.solver.address);
      expect(await f.registry.connect(f.stranger).recordFailure.staticCall(f.solver.address, f.user.address)).to.equal(
        SLASH,
      );
      await f.registry.setSlashing(3n * MIN_BOND, BPS, f.treasury.address);
      await passTermsDelay(time);
      expect(await f.registry.connect(f.stranger).recordFailure.staticCall(f.solver.address, f.user.address)).to.equal(
        MIN_BOND,
      );
    });

    it("clamps a latency sample above 10,000 bps", async function () {
      const f = await networkHelpers.loadFixture(strangerAsVerifier);
      await f.registry.connect(f.stranger).recordClaim(f.solver.address);
      await expect(f.registry.connect(f.stranger).recordSuccess(f.solver.address, 3n * BPS, true))
        .to.emit(f.registry, "SolverOutcomeRecorded")
        .withArgs(f.solver.address, true, nextScore(INITIAL_SCORE, BPS)); // 5,625, not 7,500
    });

    it("frees the slot of a self-dealt claim (scored = false) without counting it or moving the score", async function () {
      const f = await networkHelpers.loadFixture(strangerAsVerifier);
      await f.registry.connect(f.stranger).recordClaim(f.solver.address);
      await expect(f.registry.connect(f.stranger).recordSuccess(f.solver.address, BPS, false))
        .to.emit(f.registry, "SolverOutcomeRecorded")
        .withArgs(f.solver.address, true, INITIAL_SCORE);
      const info = await f.registry.getSolver(f.solver.address);
      expect([info.activeClaims, info.assigned, info.completed, info.performanceScoreBps]).to.deep.equal([
        0n,
        1n,
        0n,
        INITIAL_SCORE,
      ]);
    });

    it("rejects recordClaim while paused but records a failure, and still checks the caller", async function () {
      const f = await networkHelpers.loadFixture(strangerAsVerifier);
      await f.registry.connect(f.stranger).recordClaim(f.solver.address);
      await f.registry.pause();
      await expect(f.registry.connect(f.stranger).recordClaim(f.solver.address)).to.be.revertedWithCustomError(
        f.registry,
        "EnforcedPause",
      );
      await expect(f.registry.connect(f.stranger).recordFailure(f.solver.address, f.user.address)).to.emit(
        f.registry,
        "SolverSlashed",
      );
      await expect(f.registry.connect(f.admin).recordFailure(f.solver.address, f.user.address))
        .to.be.revertedWithCustomError(f.registry, "NotVerifier")
        .withArgs(f.admin.address);
      // recordClaim checks the caller first.
      await expect(f.registry.connect(f.admin).recordClaim(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "NotVerifier")
        .withArgs(f.admin.address);
    });
  });
  describe("the fill eligibility copied to the verifier", function () {
    it("follows the solver's status in and out of Active: register, suspend, reinstate, a suspending slash, exit", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const eligible = () => f.verifier.isFillEligible(f.solver.address);
      expect(await eligible(), "registered").to.equal(true);
      expect(await f.verifier.isFillEligible(f.otherSolver.address), "never registered").to.equal(false);
      await expect(f.registry.suspend(f.solver.address))
        .to.emit(f.verifier, "FillEligibilitySet")
        .withArgs(f.solver.address, false);
      expect(await eligible(), "suspended").to.equal(false);
      await expect(f.registry.reinstate(f.solver.address))
        .to.emit(f.verifier, "FillEligibilitySet")
        .withArgs(f.solver.address, true);
      expect(await eligible(), "reinstated").to.equal(true);
      // The default slash takes the bond below the minimum, which suspends the solver.
      await failClaim(f, time, await submitAndClaim(f));
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Suspended);
      expect(await eligible(), "suspended by a slash").to.equal(false);
      await f.registry.connect(f.solver).topUp(MIN_BOND);
      await f.registry.reinstate(f.solver.address);
      await expect(f.registry.connect(f.solver).announceExit())
        .to.emit(f.verifier, "FillEligibilitySet")
        .withArgs(f.solver.address, false);
      expect(await eligible(), "exiting").to.equal(false);
    });

    it("is written by the registry alone", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      for (const caller of [f.admin, f.stranger, f.solver]) {
        await expect(f.verifier.connect(caller).setFillEligibility(f.otherSolver.address, true))
          .to.be.revertedWithCustomError(f.verifier, "NotRegistry")
          .withArgs(caller.address);
      }
      expect(await f.verifier.isFillEligible(f.otherSolver.address)).to.equal(false);
    });

    it("is copied by syncFillEligibility for a solver registered before the wiring, by anyone", async function () {
      const f = await networkHelpers.loadFixture(unwiredSystem);
      await expect(f.registry.syncFillEligibility(f.solver.address)).to.be.revertedWithCustomError(
        f.registry,
        "VerifierNotSet",
      );
      await f.registry.setVerifier(f.verifierAddress);
      expect(await f.verifier.isFillEligible(f.solver.address), "registered before the wiring").to.equal(false);
      const intent = await f.swapIntent();
      await expect(f.verifier.connect(f.solver).fill(intent, await f.sign(f.user, intent), 3_000n * E18))
        .to.be.revertedWithCustomError(f.verifier, "FillEligibilityNotSynced")
        .withArgs(f.solver.address);
      await expect(f.registry.connect(f.stranger).syncFillEligibility(f.solver.address))
        .to.emit(f.verifier, "FillEligibilitySet")
        .withArgs(f.solver.address, true);
      expect(await f.verifier.isFillEligible(f.solver.address)).to.equal(true);
      // It writes only what the registry says: an unregistered account stays ineligible.
      await f.registry.connect(f.stranger).syncFillEligibility(f.otherSolver.address);
      expect(await f.verifier.isFillEligible(f.otherSolver.address)).to.equal(false);
    });
  });
});
