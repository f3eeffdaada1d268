// The review findings of 3a6ea4e, replayed through functions that exist both there and now (no
// pendingTerms, creditOf, pauseCount, claimedAt, settleFor), so that each test runs unchanged on
// 3a6ea4e's contracts. Each asserts the safe behaviour: on 3a6ea4e every one fails with the
// exploit's observable effect (checked by swapping those contracts in; see docs/testing.md).
// The suites named in docs/contracts.md test each fix through today's API in more detail.
import { expect } from "chai";
import { network } from "hardhat";

import { IntentStatus, encodeSwap } from "../../scripts/lib/intents.js";
import { MAX_UINT256, MIN_BOND, systemFixture } from "./fixtures.js";
import { SolverStatus, UNBONDING_PERIOD, failClaim, standaloneRegistry, submitAndClaim } from "./registry/helpers.js";
import { INTENT_TYPE_SWAP, SWAP_AMOUNT_IN, SWAP_MIN_OUT, atTime, fulfillment, loadSystem } from "./verifier/helpers.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;
const SLASH = MIN_BOND / 10n;

async function deployedSystem() {
  return systemFixture(ethers);
}

describe("review findings of 3a6ea4e, replayed through the API both versions share", function () {
  describe("H: immediate bond terms + pause games", function () {
    it("H-a: a slash raised to the whole bond while a claim is in flight does not take the whole bond", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await f.registry.setSlashing(MIN_BOND, 0n, f.treasury.address); // the whole bond, all to the treasury
      await f.registry.connect(f.solver).announceExit(); // the solver reacts at once
      const treasuryBefore = await f.stakeToken.balanceOf(f.treasury.address);
      await failClaim(f, time, claimed);
      const taken = MIN_BOND - (await f.registry.getSolver(f.solver.address)).bond;
      expect(taken, "stake taken from the solver by one lapse").to.equal(SLASH);
      expect((await f.stakeToken.balanceOf(f.treasury.address)) - treasuryBefore, "paid to the treasury").to.equal(0n);
    });

    it("H-b: an honest solver kept from fulfilling by a verifier pause is not slashed after a second short pause", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await f.verifier.pause(); // the honest solver cannot fulfil inside its window
      await expect(f.verifier.connect(f.solver).fulfill(claimed.intent, fulfillment())).to.be.revert(ethers);
      await f.registry.setSlashing(MIN_BOND, 0n, f.treasury.address);
      await time.increaseTo(claimed.deadline + 60n);
      await f.verifier.unpause();
      await f.verifier.pause(); // a second, short pause after the deadline becomes "the last pause"
      await time.increase(5);
      await f.verifier.unpause();
      const treasuryBefore = await f.stakeToken.balanceOf(f.treasury.address);
      await f.verifier.connect(f.stranger).fail(claimed.intent);
      expect((await f.registry.getSolver(f.solver.address)).bond, "solver's bond after fail").to.equal(MIN_BOND);
      expect((await f.stakeToken.balanceOf(f.treasury.address)) - treasuryBefore, "paid to the treasury").to.equal(0n);
    });
  });

  describe("L: announceExit re-entered during topUp", function () {
    it("L-reentry: the re-entered exit cannot be withdrawn at once", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const token = await ethers.deployContract("ReentrantToken");
      const registry = await standaloneRegistry(ethers, f, await token.getAddress());
      const registryAddress = await registry.getAddress();
      const solver = await ethers.deployContract("MaliciousSolver");
      const solverAddress = await solver.getAddress();
      await token.mint(solverAddress, 2n * MIN_BOND);
      await solver.approveToken(await token.getAddress(), registryAddress, MAX_UINT256);
      await solver.execute(registryAddress, registry.interface.encodeFunctionData("register", [MIN_BOND]));
      await solver.armReentry(registryAddress, registry.interface.encodeFunctionData("announceExit"));
      await token.arm(solverAddress, solver.interface.encodeFunctionData("onTokenReceived"));
      await solver.execute(registryAddress, registry.interface.encodeFunctionData("topUp", [MIN_BOND]));
      const info = await registry.getSolver(solverAddress);
      expect(
        info.unbondingEnds === 0n && info.status === SolverStatus.Exiting,
        "an exit with no unbonding end",
      ).to.equal(false);
      // Safe: no exit can be withdrawn in the same block as the top-up.
      await expect(
        solver.execute(registryAddress, registry.interface.encodeFunctionData("withdraw")),
        "withdraw right after the top-up",
      ).to.be.revert(ethers);
    });
  });

  describe("L: slashes paid to a throwaway account at once", function () {
    it("L-credit: the harmed user's share is not paid out within the unbonding period", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      const before = await f.stakeToken.balanceOf(f.user.address);
      await failClaim(f, time, claimed);
      expect(
        (await f.stakeToken.balanceOf(f.user.address)) - before,
        "stake tokens the user got at the slash",
      ).to.equal(0n);
    });
  });

  describe("M/L: user-side failures at fulfil", function () {
    it("M-user: a recipient refusing the output token never gets the solver slashed (two rounds)", async function () {
      const f = await loadSystem(networkHelpers, ethers);
      const token = await ethers.deployContract("BlocklistToken");
      await f.verifier.setTokenPolicy(INTENT_TYPE_SWAP, await token.getAddress(), true, 1n, 10n ** 30n);
      for (const s of [f.solver, f.otherSolver]) {
        await token.mint(s.address, 10n * SWAP_MIN_OUT);
        await token.connect(s).approve(f.verifierAddress, MAX_UINT256);
      }
      const params = encodeSwap(
        f.wethAddress,
        SWAP_AMOUNT_IN,
        await token.getAddress(),
        SWAP_MIN_OUT,
        f.recipient.address,
      );
      const intent = await f.swapIntent({ params });
      const id = await f.submitted(intent);
      await token.setBlocked(f.recipient.address, true);
      await f.registerSolver(f.otherSolver);
      const solvers = [f.solver, f.otherSolver];
      for (let round = 0; round < 2; round++) {
        const solver = solvers[round];
        if ((await f.verifier.statusOf(id)) !== IntentStatus.Pending) break;
        await f.verifier
          .connect(solver)
          .claim(id)
          .catch(() => undefined);
        if ((await f.verifier.statusOf(id)) !== IntentStatus.Executing) break;
        // 3a6ea4e reverts here (the recipient is blocked); today the claim is released.
        await f.verifier
          .connect(solver)
          .fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT }))
          .catch(() => undefined);
        const { claimDeadline } = await f.verifier.getIntent(id);
        if ((await f.verifier.statusOf(id)) === IntentStatus.Executing) {
          await atTime(networkHelpers, claimDeadline + 1n);
          await f.verifier.connect(f.stranger).fail(intent);
        } else if (claimDeadline > 0n) {
          await atTime(networkHelpers, claimDeadline + 1n); // main's cool-down
        }
      }
      const infos = await Promise.all(solvers.map((s) => f.registry.getSolver(s.address)));
      expect(
        infos.map((i) => [i.bond, i.failed]),
        "[bond, failed] of the two solvers after two rounds",
      ).to.deep.equal([
        [MIN_BOND, 0n],
        [MIN_BOND, 0n],
      ]);
    });
  });

  describe("L: pause accounting, expiry-cut deadline", function () {
    it("L-pause-expiry: a pause that ended before the claim does not excuse a claim whose deadline expiry cut", async function () {
      const f = await loadSystem(networkHelpers, ethers);
      const intent = await f.transferIntent({ expiry: (await f.latest()) + 400n });
      const id = await f.submitted(intent);
      await f.verifier.pause();
      await time.increase(50);
      await f.verifier.unpause();
      const unpausedAt = await f.latest();
      await time.increase(100);
      await f.verifier.connect(f.solver).claim(id);
      expect((await f.latest()) > unpausedAt).to.equal(true); // the pause ended before the claim
      const { claimDeadline } = await f.verifier.getIntent(id);
      expect(claimDeadline).to.equal(intent.expiry);
      await atTime(networkHelpers, claimDeadline + 1n);
      await expect(f.verifier.fail(intent)).to.emit(f.verifier, "ClaimFailed");
      expect((await f.registry.getSolver(f.solver.address)).bond).to.equal(MIN_BOND - SLASH);
    });
  });

  describe("M-1: paused registry", function () {
    it("M-1: a solver whose exit was announced before a pause is not held in by it", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).announceExit();
      await time.increase(UNBONDING_PERIOD);
      await f.registry.pause();
      await f.registry
        .connect(f.solver)
        .withdraw()
        .catch(() => undefined);
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Exited);
    });
  });
});
