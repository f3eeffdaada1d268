// SolverRegistry: the solver lifecycle (register, topUp, announceExit, withdraw) and the bond accounting.
import { expect } from "chai";
import { network } from "hardhat";

import { E18, MAX_UINT256, MIN_BOND, systemFixture } from "../fixtures.js";
import {
  INITIAL_SCORE,
  SolverStatus,
  UINT128_MAX,
  UNBONDING_PERIOD,
  passTermsDelay,
  standaloneRegistry,
  expectBondsBacked,
  expectSystemBacked,
  failClaim,
  fulfill,
  submitAndClaim,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

async function deployedSystem() {
  return systemFixture(ethers);
}

/** A second registry whose stake token burns 1% of every transfer. */
async function feeTokenRegistry() {
  const f = await systemFixture(ethers);
  const feeToken = await ethers.deployContract("FeeOnTransferToken", [100n]);
  const registry = await standaloneRegistry(ethers, f, await feeToken.getAddress(), { adminDelay: 3n * 24n * 3600n });
  await feeToken.mint(f.otherSolver.address, 10n * MIN_BOND);
  await feeToken.connect(f.otherSolver).approve(await registry.getAddress(), MAX_UINT256);
  return { ...f, feeToken, feeRegistry: registry };
}

/** A registry whose stake token calls back on every transfer (ReentrantToken, armed per test). */
async function reentrantTokenRegistry(f: Awaited<ReturnType<typeof deployedSystem>>) {
  const token = await ethers.deployContract("ReentrantToken");
  const registry = await standaloneRegistry(ethers, f, await token.getAddress());
  return { token, registry };
}

describe("SolverRegistry: lifecycle", function () {
  describe("register", function () {
    it("bonds the caller, makes it active and emits SolverRegistered", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const bond = 2n * MIN_BOND;
      const tx = f.registry.connect(f.otherSolver).register(bond);
      await expect(tx).to.emit(f.registry, "SolverRegistered").withArgs(f.otherSolver.address, bond);
      await expect(tx).to.changeTokenBalances(ethers, f.stakeToken, [f.otherSolver, f.registry], [-bond, bond]);

      const info = await f.registry.getSolver(f.otherSolver.address);
      expect(info.status).to.equal(SolverStatus.Active);
      expect(info.bond).to.equal(bond);
      expect(info.unbondingEnds).to.equal(0n);
      expect(info.performanceScoreBps).to.equal(INITIAL_SCORE);
      expect(info.assigned).to.equal(0n);
      expect(await f.registry.isAuthorized(f.otherSolver.address)).to.equal(true);
      expect(await f.registry.totalBonded()).to.equal(MIN_BOND + bond);
      await expectSystemBacked(f);
    });

    it("accepts a bond of exactly minBond", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.connect(f.otherSolver).register(MIN_BOND))
        .to.emit(f.registry, "SolverRegistered")
        .withArgs(f.otherSolver.address, MIN_BOND);
      await expectSystemBacked(f);
    });

    it("rejects an amount below minBond with BondTooLow before pulling tokens", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.connect(f.otherSolver).register(MIN_BOND - 1n))
        .to.be.revertedWithCustomError(f.registry, "BondTooLow")
        .withArgs(MIN_BOND - 1n, MIN_BOND);
      expect((await f.registry.getSolver(f.otherSolver.address)).status).to.equal(SolverStatus.None);
      await expectSystemBacked(f);
    });

    it("lets an exited solver register again, keeping its track record", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const won = await submitAndClaim(f);
      await fulfill(f, won.intent);
      const lost = await submitAndClaim(f);
      await failClaim(f, time, lost); // slashes 100 tokens: suspended below minBond
      const before = await f.registry.getSolver(f.solver.address);
      expect(before.status).to.equal(SolverStatus.Suspended);

      await f.registry.connect(f.solver).announceExit();
      await time.increase(UNBONDING_PERIOD);
      await f.registry.connect(f.solver).withdraw();
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Exited);

      await expect(f.registry.connect(f.solver).register(MIN_BOND))
        .to.emit(f.registry, "SolverRegistered")
        .withArgs(f.solver.address, MIN_BOND);
      const after = await f.registry.getSolver(f.solver.address);
      expect(after.status).to.equal(SolverStatus.Active);
      expect(after.bond).to.equal(MIN_BOND);
      expect(after.unbondingEnds).to.equal(0n);
      expect(after.activeClaims).to.equal(0n);
      expect(after.assigned).to.equal(2n);
      expect(after.completed).to.equal(1n);
      expect(after.failed).to.equal(1n);
      expect(after.successRateBps).to.equal(5_000n);
      expect(after.performanceScoreBps).to.equal(before.performanceScoreBps);
      expect(after.performanceScoreBps).to.not.equal(INITIAL_SCORE);
      expect(await f.registry.totalBonded()).to.equal(MIN_BOND);
      await expectSystemBacked(f);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.pause();
      await expect(f.registry.connect(f.otherSolver).register(MIN_BOND)).to.be.revertedWithCustomError(
        f.registry,
        "EnforcedPause",
      );
    });

    it("reverts when the stake-token pull fails (SafeERC20FailedOperation)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const falseToken = await ethers.deployContract("FalseReturnToken");
      const registry = await standaloneRegistry(ethers, f, await falseToken.getAddress());
      await expect(registry.connect(f.otherSolver).register(MIN_BOND))
        .to.be.revertedWithCustomError(registry, "SafeERC20FailedOperation")
        .withArgs(await falseToken.getAddress());
    });

    it("blocks re-entry from the stake token during the pull", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const { token, registry } = await reentrantTokenRegistry(f);
      const registryAddress = await registry.getAddress();
      await token.mint(f.otherSolver.address, MIN_BOND);
      await token.connect(f.otherSolver).approve(registryAddress, MAX_UINT256);
      await token.arm(registryAddress, registry.interface.encodeFunctionData("register", [MIN_BOND]));

      await expect(registry.connect(f.otherSolver).register(MIN_BOND))
        .to.emit(registry, "SolverRegistered")
        .withArgs(f.otherSolver.address, MIN_BOND);
      expect(await token.attempted()).to.equal(true);
      expect(await token.reentered()).to.equal(false);
      expect(await token.revertData()).to.equal(registry.interface.getError("ReentrancyGuardReentrantCall")!.selector);
      expect((await registry.getSolver(await token.getAddress())).status).to.equal(SolverStatus.None);
      await expectBondsBacked(token, registry);
    });

    describe("with a fee-on-transfer stake token", function () {
      it("rejects a bond that falls below minBond once the fee is taken (BondTooLow)", async function () {
        const f = await networkHelpers.loadFixture(feeTokenRegistry);
        // The amount asked for passes the first check; 1% is burnt on the way in.
        await expect(f.feeRegistry.connect(f.otherSolver).register(MIN_BOND))
          .to.be.revertedWithCustomError(f.feeRegistry, "BondTooLow")
          .withArgs((MIN_BOND * 99n) / 100n, MIN_BOND);
        expect(await f.feeToken.balanceOf(f.otherSolver.address)).to.equal(10n * MIN_BOND);
        await expectBondsBacked(f.feeToken, f.feeRegistry);
      });

      it("credits only what arrived, on register and on top-up", async function () {
        const f = await networkHelpers.loadFixture(feeTokenRegistry);
        const registered = (2n * MIN_BOND * 99n) / 100n;
        await expect(f.feeRegistry.connect(f.otherSolver).register(2n * MIN_BOND))
          .to.emit(f.feeRegistry, "SolverRegistered")
          .withArgs(f.otherSolver.address, registered);
        expect((await f.feeRegistry.getSolver(f.otherSolver.address)).bond).to.equal(registered);
        expect(await f.feeRegistry.totalBonded()).to.equal(registered);
        await expectBondsBacked(f.feeToken, f.feeRegistry);

        const added = (100n * E18 * 99n) / 100n;
        await expect(f.feeRegistry.connect(f.otherSolver).topUp(100n * E18))
          .to.emit(f.feeRegistry, "BondToppedUp")
          .withArgs(f.otherSolver.address, added, registered + added);
        expect(await f.feeRegistry.totalBonded()).to.equal(registered + added);
        await expectBondsBacked(f.feeToken, f.feeRegistry);
      });

      it("pays the whole credited bond out on withdraw (the fee is the receiver's loss)", async function () {
        const f = await networkHelpers.loadFixture(feeTokenRegistry);
        await f.feeRegistry.connect(f.otherSolver).register(2n * MIN_BOND);
        const bond = (await f.feeRegistry.getSolver(f.otherSolver.address)).bond;
        await f.feeRegistry.connect(f.otherSolver).announceExit();
        await time.increase(UNBONDING_PERIOD);
        const before = await f.feeToken.balanceOf(f.otherSolver.address);
        await expect(f.feeRegistry.connect(f.otherSolver).withdraw())
          .to.emit(f.feeRegistry, "SolverExited")
          .withArgs(f.otherSolver.address, bond);
        expect(await f.feeToken.balanceOf(f.otherSolver.address)).to.equal(before + (bond * 99n) / 100n);
        expect(await f.feeRegistry.totalBonded()).to.equal(0n);
        await expectBondsBacked(f.feeToken, f.feeRegistry);
      });
    });

    // Regression: the bond word is `bond (128) | unbondingEnds`; an unbounded bond would spill
    // into unbondingEnds and strand the excess in the registry.
    it("rejects a bond that does not fit 128 bits, like topUp does", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const amount = UINT128_MAX + 1n + MIN_BOND;
      await f.stakeToken.mint(f.otherSolver.address, amount);
      await expect(f.registry.connect(f.otherSolver).register(amount))
        .to.be.revertedWithCustomError(f.registry, "InvalidAmount")
        .withArgs(amount);
      // Whatever the fix, the bond the registry reports must be what it accounts for.
      const info = await f.registry.getSolver(f.otherSolver.address);
      expect(info.bond + MIN_BOND).to.equal(await f.registry.totalBonded());
      expect(info.unbondingEnds).to.equal(0n);
    });
  });

  describe("topUp", function () {
    it("adds to the bond, emits BondToppedUp and raises totalBonded", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const amount = 250n * E18;
      const tx = f.registry.connect(f.solver).topUp(amount);
      await expect(tx)
        .to.emit(f.registry, "BondToppedUp")
        .withArgs(f.solver.address, amount, MIN_BOND + amount);
      await expect(tx).to.changeTokenBalances(ethers, f.stakeToken, [f.solver, f.registry], [-amount, amount]);
      expect((await f.registry.getSolver(f.solver.address)).bond).to.equal(MIN_BOND + amount);
      expect(await f.registry.totalBonded()).to.equal(MIN_BOND + amount);
      await expectSystemBacked(f);
    });

    it("rejects a zero amount with InvalidAmount", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.connect(f.solver).topUp(0n))
        .to.be.revertedWithCustomError(f.registry, "InvalidAmount")
        .withArgs(0n);
    });

    it("lets a suspended solver top up without lifting the suspension", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.suspend(f.solver.address);
      await expect(f.registry.connect(f.solver).topUp(E18))
        .to.emit(f.registry, "BondToppedUp")
        .withArgs(f.solver.address, E18, MIN_BOND + E18);
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Suspended);
      await expectSystemBacked(f);
    });

    it("rejects a top-up that would push the bond past 2^128 - 1", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const amount = UINT128_MAX - MIN_BOND + 1n;
      await f.stakeToken.mint(f.solver.address, amount);
      await expect(f.registry.connect(f.solver).topUp(amount))
        .to.be.revertedWithCustomError(f.registry, "InvalidAmount")
        .withArgs(amount);
      // One token less fits exactly.
      await expect(f.registry.connect(f.solver).topUp(amount - 1n))
        .to.emit(f.registry, "BondToppedUp")
        .withArgs(f.solver.address, amount - 1n, UINT128_MAX);
      await expectSystemBacked(f);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.pause();
      await expect(f.registry.connect(f.solver).topUp(E18)).to.be.revertedWithCustomError(f.registry, "EnforcedPause");
    });
  });

  describe("announceExit", function () {
    it("moves an active solver to Exiting with unbondingEnds = now + unbondingPeriod", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const at = (await f.latest()) + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(f.registry.connect(f.solver).announceExit())
        .to.emit(f.registry, "ExitAnnounced")
        .withArgs(f.solver.address, at + UNBONDING_PERIOD);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Exiting);
      expect(info.unbondingEnds).to.equal(at + UNBONDING_PERIOD);
      expect(info.bond).to.equal(MIN_BOND);
      expect(await f.registry.isAuthorized(f.solver.address)).to.equal(false);
      // The bond stays in the registry until withdrawn.
      expect(await f.registry.totalBonded()).to.equal(MIN_BOND);
      await expectSystemBacked(f);
    });

    it("uses the unbonding period in force when the exit is announced, not a scheduled one", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setBondParameters(MIN_BOND, 60n);
      // Scheduled (a bond is at stake): an exit announced now keeps the period in force.
      await expect(f.registry.connect(f.otherSolver).register(MIN_BOND)).to.emit(f.registry, "SolverRegistered");
      const early = (await f.latest()) + 5n;
      await time.setNextBlockTimestamp(early);
      await expect(f.registry.connect(f.otherSolver).announceExit())
        .to.emit(f.registry, "ExitAnnounced")
        .withArgs(f.otherSolver.address, early + UNBONDING_PERIOD);
      await passTermsDelay(time);
      const at = (await f.latest()) + 5n;
      await time.setNextBlockTimestamp(at);
      await expect(f.registry.connect(f.solver).announceExit())
        .to.emit(f.registry, "ExitAnnounced")
        .withArgs(f.solver.address, at + 60n);
    });

    it("lets a suspended solver announce its exit", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.suspend(f.solver.address);
      await expect(f.registry.connect(f.solver).announceExit()).to.emit(f.registry, "ExitAnnounced");
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Exiting);
    });

    it("is open while the registry is paused: a pause never holds a solver in (review finding M-1)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.pause();
      await expect(f.registry.connect(f.solver).announceExit()).to.emit(f.registry, "ExitAnnounced");
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Exiting);
    });

    it("cannot be entered from the stake token during a top-up, so the top-up cannot erase the unbonding end (review finding)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const { token, registry } = await reentrantTokenRegistry(f);
      const registryAddress = await registry.getAddress();
      // The solver is a contract whose token hook calls back into the registry as the solver.
      const solver = await ethers.deployContract("MaliciousSolver");
      const solverAddress = await solver.getAddress();
      await token.mint(solverAddress, 2n * MIN_BOND);
      await solver.approveToken(await token.getAddress(), registryAddress, MAX_UINT256);
      await solver.execute(registryAddress, registry.interface.encodeFunctionData("register", [MIN_BOND]));
      await solver.armReentry(registryAddress, registry.interface.encodeFunctionData("announceExit"));
      await token.arm(solverAddress, solver.interface.encodeFunctionData("onTokenReceived"));

      await solver.execute(registryAddress, registry.interface.encodeFunctionData("topUp", [MIN_BOND]));
      expect(await solver.reentryAttempted()).to.equal(true);
      expect(await solver.reentrySucceeded()).to.equal(false);
      expect(await solver.reentryRevertData()).to.equal(
        registry.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      const info = await registry.getSolver(solverAddress);
      expect(info.status).to.equal(SolverStatus.Active);
      expect(info.bond).to.equal(2n * MIN_BOND);
      // An exit announced the ordinary way still waits out the whole unbonding period.
      await solver.execute(registryAddress, registry.interface.encodeFunctionData("announceExit"));
      await expect(
        solver.execute(registryAddress, registry.interface.encodeFunctionData("withdraw")),
      ).to.be.revertedWithCustomError(registry, "StillUnbonding");
      await expectBondsBacked(token, registry);
    });
  });

  describe("withdraw", function () {
    it("pays the bond back after unbonding, marks the solver Exited and emits SolverExited", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).topUp(500n * E18);
      const bond = MIN_BOND + 500n * E18;
      await f.registry.connect(f.solver).announceExit();
      const ends = (await f.registry.getSolver(f.solver.address)).unbondingEnds;
      await time.setNextBlockTimestamp(ends); // the first second withdrawing is allowed

      const tx = f.registry.connect(f.solver).withdraw();
      await expect(tx).to.emit(f.registry, "SolverExited").withArgs(f.solver.address, bond);
      await expect(tx).to.changeTokenBalances(ethers, f.stakeToken, [f.solver, f.registry], [bond, -bond]);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Exited);
      expect(info.bond).to.equal(0n);
      expect(info.unbondingEnds).to.equal(0n);
      expect(await f.registry.totalBonded()).to.equal(0n);
      expect(await f.registry.isAuthorized(f.solver.address)).to.equal(false);
      await expectSystemBacked(f);
    });

    it("rejects a withdrawal before unbondingEnds with StillUnbonding", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).announceExit();
      const ends = (await f.registry.getSolver(f.solver.address)).unbondingEnds;
      await expect(f.registry.connect(f.solver).withdraw())
        .to.be.revertedWithCustomError(f.registry, "StillUnbonding")
        .withArgs(f.solver.address, ends);
      await time.setNextBlockTimestamp(ends - 1n);
      await expect(f.registry.connect(f.solver).withdraw())
        .to.be.revertedWithCustomError(f.registry, "StillUnbonding")
        .withArgs(f.solver.address, ends);
    });

    it("rejects a withdrawal while claims are in flight with ClaimsInFlight", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await f.registry.connect(f.solver).announceExit();
      await time.increase(UNBONDING_PERIOD);
      await expect(f.registry.connect(f.solver).withdraw())
        .to.be.revertedWithCustomError(f.registry, "ClaimsInFlight")
        .withArgs(f.solver.address, 1n);

      // Once the claim is settled (here failed and slashed) the rest of the bond comes out.
      await failClaim(f, time, claimed);
      const slash = MIN_BOND / 10n;
      await expect(f.registry.connect(f.solver).withdraw())
        .to.emit(f.registry, "SolverExited")
        .withArgs(f.solver.address, MIN_BOND - slash);
      expect(await f.registry.totalBonded()).to.equal(0n);
      await expectSystemBacked(f);
    });

    it("pays out while the registry is paused: a guardian cannot freeze a bond (review finding M-1)", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).announceExit();
      await time.increase(UNBONDING_PERIOD);
      await f.registry.pause();
      await expect(f.registry.connect(f.solver).withdraw())
        .to.emit(f.registry, "SolverExited")
        .withArgs(f.solver.address, MIN_BOND);
      expect(await f.registry.paused()).to.equal(true);
      await expectSystemBacked(f);
    });
  });
});
