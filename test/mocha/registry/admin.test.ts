// SolverRegistry: administration (verifier wiring, suspension, limits, bond and slashing
// parameters, pause) and the read-only views.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { network } from "hardhat";

import { E18, MIN_BOND, systemFixture } from "../fixtures.js";
import {
  BPS,
  INITIAL_SCORE,
  SolverStatus,
  UINT128_MAX,
  TERMS_DELAY,
  UNBONDING_PERIOD,
  type System,
  expectSystemBacked,
  passTermsDelay,
  failClaim,
  fulfill,
  submitAndClaim,
  submitTransfer,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const MAX_24 = 2n ** 24n - 1n;

async function deployedSystem() {
  return systemFixture(ethers);
}

async function expectUnauthorized(f: System, call: Promise<unknown>, account: HardhatEthersSigner, role: string) {
  await expect(call)
    .to.be.revertedWithCustomError(f.registry, "AccessControlUnauthorizedAccount")
    .withArgs(account.address, role);
}

describe("SolverRegistry: administration", function () {
  describe("setVerifier", function () {
    it("wires the verifier once and emits VerifierSet", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const fresh = await ethers.deployContract("SolverRegistry", [
        await f.stakeToken.getAddress(),
        f.admin.address,
        0n,
        MIN_BOND,
        UNBONDING_PERIOD,
        f.admin.address,
      ]);
      expect(await fresh.verifier()).to.equal(ZeroAddress);
      await expect(fresh.setVerifier(f.relayer.address)).to.emit(fresh, "VerifierSet").withArgs(f.relayer.address);
      expect(await fresh.verifier()).to.equal(f.relayer.address);
    });

    // Re-wiring used to strand the old verifier's claims in flight: they could be neither
    // settled nor failed, and their solvers could never withdraw.
    it("refuses to re-wire with VerifierAlreadySet, keeping the verifier's claims settleable", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const { id } = await submitTransfer(f);
      await f.verifier.connect(f.solver).claim(id);
      await expect(f.registry.setVerifier(f.relayer.address))
        .to.be.revertedWithCustomError(f.registry, "VerifierAlreadySet")
        .withArgs(f.verifierAddress);
      expect(await f.registry.verifier()).to.equal(f.verifierAddress);
      await expect(f.registry.connect(f.relayer).recordClaim(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "NotVerifier")
        .withArgs(f.relayer.address);
    });

    it("rejects the zero address with ZeroAddress", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.setVerifier(ZeroAddress)).to.be.revertedWithCustomError(f.registry, "ZeroAddress");
      expect(await f.registry.verifier()).to.equal(f.verifierAddress);
    });

    it("is restricted to DEFAULT_ADMIN_ROLE", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const role = await f.registry.DEFAULT_ADMIN_ROLE();
      await expectUnauthorized(f, f.registry.connect(f.stranger).setVerifier(f.stranger.address), f.stranger, role);
      // Holding the other admin roles is not enough.
      await f.registry.grantRole(await f.registry.GUARDIAN_ROLE(), f.stranger.address);
      await f.registry.grantRole(await f.registry.RATE_LIMIT_ADMIN_ROLE(), f.stranger.address);
      await expectUnauthorized(f, f.registry.connect(f.stranger).setVerifier(f.stranger.address), f.stranger, role);
    });
  });

  describe("suspend", function () {
    it("suspends an active solver and emits SolverStatusChanged", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.suspend(f.solver.address))
        .to.emit(f.registry, "SolverStatusChanged")
        .withArgs(f.solver.address, SolverStatus.Suspended);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.status).to.equal(SolverStatus.Suspended);
      expect(info.bond).to.equal(MIN_BOND); // suspension does not touch the bond
      expect(await f.registry.isAuthorized(f.solver.address)).to.equal(false);
      await expectSystemBacked(f);
    });

    it("rejects a solver that is not active with InvalidSolverStatus", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.suspend(f.stranger.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.stranger.address, SolverStatus.None);
      await f.registry.suspend(f.solver.address);
      await expect(f.registry.suspend(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Suspended);
      await f.registry.connect(f.solver).announceExit();
      await expect(f.registry.suspend(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Exiting);
      await time.increase(UNBONDING_PERIOD);
      await f.registry.connect(f.solver).withdraw();
      await expect(f.registry.suspend(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Exited);
    });

    it("is restricted to GUARDIAN_ROLE, which can be granted", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const role = await f.registry.GUARDIAN_ROLE();
      await expectUnauthorized(f, f.registry.connect(f.stranger).suspend(f.solver.address), f.stranger, role);
      await f.registry.grantRole(role, f.stranger.address);
      await expect(f.registry.connect(f.stranger).suspend(f.solver.address)).to.emit(f.registry, "SolverStatusChanged");
    });
  });

  describe("reinstate", function () {
    it("reactivates a suspended solver and emits SolverStatusChanged", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.suspend(f.solver.address);
      await expect(f.registry.reinstate(f.solver.address))
        .to.emit(f.registry, "SolverStatusChanged")
        .withArgs(f.solver.address, SolverStatus.Active);
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Active);
      expect(await f.registry.isAuthorized(f.solver.address)).to.equal(true);
      await submitAndClaim(f); // it can claim again
    });

    it("rejects a solver whose bond is below minBond with BondTooLow, until it tops up", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const claimed = await submitAndClaim(f);
      await failClaim(f, time, claimed); // bond 900: suspended
      const bond = MIN_BOND - MIN_BOND / 10n;
      await expect(f.registry.reinstate(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "BondTooLow")
        .withArgs(bond, MIN_BOND);
      await f.registry.connect(f.solver).topUp(MIN_BOND - bond);
      await expect(f.registry.reinstate(f.solver.address))
        .to.emit(f.registry, "SolverStatusChanged")
        .withArgs(f.solver.address, SolverStatus.Active);
      await expectSystemBacked(f);
    });

    it("measures the bond against the minBond in force", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.suspend(f.solver.address);
      await f.registry.setBondParameters(MIN_BOND + 1n, UNBONDING_PERIOD);
      // Scheduled, not yet in force: the old minimum still applies.
      await expect(f.registry.reinstate(f.solver.address)).to.emit(f.registry, "SolverStatusChanged");
      await f.registry.suspend(f.solver.address);
      await passTermsDelay(time);
      await expect(f.registry.reinstate(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "BondTooLow")
        .withArgs(MIN_BOND, MIN_BOND + 1n);
    });

    it("rejects a solver that is not suspended with InvalidSolverStatus", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.reinstate(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Active);
      await expect(f.registry.reinstate(f.stranger.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.stranger.address, SolverStatus.None);
      await f.registry.connect(f.solver).announceExit();
      await expect(f.registry.reinstate(f.solver.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SolverStatus.Exiting);
    });

    it("is restricted to GUARDIAN_ROLE", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.suspend(f.solver.address);
      await expectUnauthorized(
        f,
        f.registry.connect(f.solver).reinstate(f.solver.address),
        f.solver,
        await f.registry.GUARDIAN_ROLE(),
      );
    });
  });

  describe("setClaimRateLimit", function () {
    it("sets the limit and emits ClaimRateLimitSet", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.setClaimRateLimit(5n, 120n)).to.emit(f.registry, "ClaimRateLimitSet").withArgs(5n, 120n);
      expect(await f.registry.claimRateLimit()).to.deep.equal([5n, 120n]);
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([5n, 0n, 0n]);
    });

    it("accepts the largest values, 2^24 - 1", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.setClaimRateLimit(MAX_24, MAX_24))
        .to.emit(f.registry, "ClaimRateLimitSet")
        .withArgs(MAX_24, MAX_24);
      expect(await f.registry.claimRateLimit()).to.deep.equal([MAX_24, MAX_24]);
    });

    for (const [limit, window] of [
      [0n, 60n],
      [30n, 0n],
      [MAX_24 + 1n, 60n],
      [30n, MAX_24 + 1n],
    ]) {
      it(`rejects (${limit}, ${window}) with InvalidRateLimit`, async function () {
        const f = await networkHelpers.loadFixture(deployedSystem);
        await expect(f.registry.setClaimRateLimit(limit, window))
          .to.be.revertedWithCustomError(f.registry, "InvalidRateLimit")
          .withArgs(limit, window);
        expect(await f.registry.claimRateLimit()).to.deep.equal([30n, 60n]);
      });
    }

    it("is restricted to RATE_LIMIT_ADMIN_ROLE", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const role = await f.registry.RATE_LIMIT_ADMIN_ROLE();
      await expectUnauthorized(f, f.registry.connect(f.stranger).setClaimRateLimit(1n, 1n), f.stranger, role);
      await f.registry.grantRole(role, f.stranger.address);
      await expect(f.registry.connect(f.stranger).setClaimRateLimit(1n, 1n)).to.emit(f.registry, "ClaimRateLimitSet");
    });
  });

  describe("setMaxActiveClaims", function () {
    it("sets the cap and emits MaxActiveClaimsSet", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.setMaxActiveClaims(3n)).to.emit(f.registry, "MaxActiveClaimsSet").withArgs(3n);
      expect(await f.registry.maxActiveClaims()).to.equal(3n);
      await expect(f.registry.setMaxActiveClaims(65_535n)).to.emit(f.registry, "MaxActiveClaimsSet").withArgs(65_535n);
      expect(await f.registry.maxActiveClaims()).to.equal(65_535n);
    });

    for (const value of [0n, 65_536n]) {
      it(`rejects ${value} with InvalidMaxActiveClaims`, async function () {
        const f = await networkHelpers.loadFixture(deployedSystem);
        await expect(f.registry.setMaxActiveClaims(value))
          .to.be.revertedWithCustomError(f.registry, "InvalidMaxActiveClaims")
          .withArgs(value);
        expect(await f.registry.maxActiveClaims()).to.equal(16n);
      });
    }

    it("is restricted to RATE_LIMIT_ADMIN_ROLE", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expectUnauthorized(
        f,
        f.registry.connect(f.stranger).setMaxActiveClaims(1n),
        f.stranger,
        await f.registry.RATE_LIMIT_ADMIN_ROLE(),
      );
    });
  });

  describe("setBondParameters", function () {
    it("schedules minBond and the unbonding period while bonds are at stake, in force after the delay", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const scheduledAt = (await f.latest()) + 1n;
      await time.setNextBlockTimestamp(scheduledAt); // the block's time, not the wall clock's second
      await expect(f.registry.setBondParameters(2n * MIN_BOND, 3_600n))
        .to.emit(f.registry, "BondTermsScheduled")
        .withArgs([2n * MIN_BOND, MIN_BOND / 10n, f.admin.address, 3_600n, BPS, scheduledAt + TERMS_DELAY]);
      expect(await f.registry.bondParameters()).to.deep.equal([MIN_BOND, UNBONDING_PERIOD]);
      expect((await f.registry.pendingTerms()).effectiveAt).to.equal(scheduledAt + TERMS_DELAY);
      await time.increaseTo(scheduledAt + TERMS_DELAY - 1n);
      expect(await f.registry.bondParameters(), "one second before").to.deep.equal([MIN_BOND, UNBONDING_PERIOD]);
      await time.increase(1n);
      expect(await f.registry.bondParameters()).to.deep.equal([2n * MIN_BOND, 3_600n]);
      expect((await f.registry.pendingTerms()).effectiveAt, "nothing pending once due").to.equal(0n);
      // The new minimum applies to registrations; the existing solver keeps its status.
      await expect(f.registry.connect(f.otherSolver).register(MIN_BOND))
        .to.be.revertedWithCustomError(f.registry, "BondTooLow")
        .withArgs(MIN_BOND, 2n * MIN_BOND);
      expect((await f.registry.getSolver(f.solver.address)).status).to.equal(SolverStatus.Active);
    });

    it("accepts a zero unbonding period: withdraw right after announcing", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setBondParameters(MIN_BOND, 0n);
      await passTermsDelay(time);
      await f.registry.connect(f.solver).announceExit();
      await expect(f.registry.connect(f.solver).withdraw())
        .to.emit(f.registry, "SolverExited")
        .withArgs(f.solver.address, MIN_BOND);
      await expectSystemBacked(f);
    });

    for (const [name, minBond, period, value] of [
      ["minBond", 0n, UNBONDING_PERIOD, 0n],
      ["minBond", UINT128_MAX + 1n, UNBONDING_PERIOD, UINT128_MAX + 1n],
      ["unbondingPeriod", MIN_BOND, 2n ** 32n, 2n ** 32n],
    ] as const) {
      void value;
      it(`rejects ${name} = ${value} with InvalidBondParameters`, async function () {
        const f = await networkHelpers.loadFixture(deployedSystem);
        await expect(f.registry.setBondParameters(minBond, period))
          .to.be.revertedWithCustomError(f.registry, "InvalidBondParameters")
          .withArgs(minBond, period);
        expect(await f.registry.bondParameters()).to.deep.equal([MIN_BOND, UNBONDING_PERIOD]);
      });
    }

    it("is restricted to DEFAULT_ADMIN_ROLE", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expectUnauthorized(
        f,
        f.registry.connect(f.stranger).setBondParameters(1n, 0n),
        f.stranger,
        await f.registry.DEFAULT_ADMIN_ROLE(),
      );
    });
  });

  describe("setSlashing", function () {
    it("schedules amount, user share and treasury while bonds are at stake, in force after the delay", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const scheduledAt = (await f.latest()) + 1n;
      await time.setNextBlockTimestamp(scheduledAt); // the block's time, not the wall clock's second
      await expect(f.registry.setSlashing(250n * E18, 4_000n, f.treasury.address))
        .to.emit(f.registry, "BondTermsScheduled")
        .withArgs([MIN_BOND, 250n * E18, f.treasury.address, UNBONDING_PERIOD, 4_000n, scheduledAt + TERMS_DELAY]);
      expect(await f.registry.slashing()).to.deep.equal([MIN_BOND / 10n, BPS, f.admin.address]);
      await passTermsDelay(time);
      expect(await f.registry.slashing()).to.deep.equal([250n * E18, 4_000n, f.treasury.address]);
    });

    it("applies at once while no bond is at stake", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.connect(f.solver).announceExit();
      await time.increase(UNBONDING_PERIOD);
      await f.registry.connect(f.solver).withdraw();
      expect(await f.registry.totalBonded()).to.equal(0n);
      const now = (await f.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(f.registry.setSlashing(250n * E18, 4_000n, f.treasury.address))
        .to.emit(f.registry, "BondTermsScheduled")
        .withArgs([MIN_BOND, 250n * E18, f.treasury.address, UNBONDING_PERIOD, 4_000n, now]);
      expect(await f.registry.slashing()).to.deep.equal([250n * E18, 4_000n, f.treasury.address]);
      expect((await f.registry.pendingTerms()).effectiveAt).to.equal(0n);
    });

    it("starts a new schedule from the pending one and restarts its delay; cancelPendingTerms drops it", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setBondParameters(2n * MIN_BOND, 3_600n);
      await time.increase(1_000n);
      await f.registry.setSlashing(250n * E18, 4_000n, f.treasury.address);
      const pending = await f.registry.pendingTerms();
      expect([pending.minBond, pending.unbondingPeriod, pending.slashAmount]).to.deep.equal([
        2n * MIN_BOND,
        3_600n,
        250n * E18,
      ]);
      expect(pending.effectiveAt).to.equal((await f.latest()) + TERMS_DELAY);
      await expect(f.registry.cancelPendingTerms()).to.emit(f.registry, "PendingTermsCancelled");
      await expect(f.registry.cancelPendingTerms()).to.be.revertedWithCustomError(f.registry, "NoPendingTerms");
      await passTermsDelay(time);
      expect(await f.registry.slashing()).to.deep.equal([MIN_BOND / 10n, BPS, f.admin.address]);
      expect(await f.registry.bondParameters()).to.deep.equal([MIN_BOND, UNBONDING_PERIOD]);
      await expectUnauthorized(
        f,
        f.registry.connect(f.stranger).cancelPendingTerms(),
        f.stranger,
        await f.registry.DEFAULT_ADMIN_ROLE(),
      );
    });

    it("accepts the boundaries: zero amount, 2^128 - 1 amount, 0 and 10,000 bps", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setSlashing(0n, 0n, f.treasury.address);
      await passTermsDelay(time);
      expect(await f.registry.slashing()).to.deep.equal([0n, 0n, f.treasury.address]);
      await f.registry.setSlashing(UINT128_MAX, BPS, f.treasury.address);
      await passTermsDelay(time);
      expect(await f.registry.slashing()).to.deep.equal([UINT128_MAX, BPS, f.treasury.address]);
    });

    it("rejects a user share above 10,000 bps with InvalidSlashing", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.setSlashing(E18, BPS + 1n, f.treasury.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSlashing")
        .withArgs(E18, BPS + 1n);
    });

    it("rejects an amount above 2^128 - 1 with InvalidSlashing", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.setSlashing(UINT128_MAX + 1n, BPS, f.treasury.address))
        .to.be.revertedWithCustomError(f.registry, "InvalidSlashing")
        .withArgs(UINT128_MAX + 1n, BPS);
    });

    it("rejects a zero treasury with ZeroAddress", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.setSlashing(E18, BPS, ZeroAddress)).to.be.revertedWithCustomError(
        f.registry,
        "ZeroAddress",
      );
      expect(await f.registry.slashing()).to.deep.equal([MIN_BOND / 10n, BPS, f.admin.address]);
    });

    it("is restricted to DEFAULT_ADMIN_ROLE", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expectUnauthorized(
        f,
        f.registry.connect(f.stranger).setSlashing(0n, 0n, f.stranger.address),
        f.stranger,
        await f.registry.DEFAULT_ADMIN_ROLE(),
      );
    });
  });

  describe("pause and unpause", function () {
    it("pause emits Paused and unpause emits Unpaused", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await expect(f.registry.pause()).to.emit(f.registry, "Paused").withArgs(f.admin.address);
      expect(await f.registry.paused()).to.equal(true);
      await expect(f.registry.pause()).to.be.revertedWithCustomError(f.registry, "EnforcedPause");
      await expect(f.registry.unpause()).to.emit(f.registry, "Unpaused").withArgs(f.admin.address);
      expect(await f.registry.paused()).to.equal(false);
      await expect(f.registry.unpause()).to.be.revertedWithCustomError(f.registry, "ExpectedPause");
    });

    it("are restricted to GUARDIAN_ROLE", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      const role = await f.registry.GUARDIAN_ROLE();
      await expectUnauthorized(f, f.registry.connect(f.stranger).pause(), f.stranger, role);
      await f.registry.pause();
      await expectUnauthorized(f, f.registry.connect(f.stranger).unpause(), f.stranger, role);
    });

    it("leave admin actions and views available while paused", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.pause();
      await expect(f.registry.suspend(f.solver.address)).to.emit(f.registry, "SolverStatusChanged");
      await expect(f.registry.reinstate(f.solver.address)).to.emit(f.registry, "SolverStatusChanged");
      await expect(f.registry.setMaxActiveClaims(4n)).to.emit(f.registry, "MaxActiveClaimsSet");
      expect(await f.registry.isAuthorized(f.solver.address)).to.equal(true);
    });
  });
});

describe("SolverRegistry: views", function () {
  it("getSolver reports zeros for an unknown address", async function () {
    const f = await networkHelpers.loadFixture(deployedSystem);
    const info = await f.registry.getSolver(f.stranger.address);
    expect(info.status).to.equal(SolverStatus.None);
    for (const value of [
      info.bond,
      info.unbondingEnds,
      info.activeClaims,
      info.assigned,
      info.completed,
      info.failed,
      info.successRateBps,
      info.performanceScoreBps,
      info.filled,
    ]) {
      expect(value).to.equal(0n);
    }
    expect(await f.registry.isAuthorized(f.stranger.address)).to.equal(false);
    expect(await f.registry.successRate(f.stranger.address)).to.equal(0n);
    expect(await f.registry.performanceScore(f.stranger.address)).to.equal(0n);
  });

  it("getSolver reports every field of a solver with history", async function () {
    const f = await networkHelpers.loadFixture(deployedSystem);
    await f.registry.connect(f.solver).topUp(MIN_BOND);
    const won = await submitAndClaim(f);
    await time.setNextBlockTimestamp(won.claimedAt + 300n);
    await fulfill(f, won.intent, f.solver, { gasUsed: 90_000n, totalCost: 7n });
    const lost = await submitAndClaim(f);
    await failClaim(f, time, lost);
    await submitAndClaim(f); // still in flight
    await f.registry.connect(f.solver).announceExit();
    const announcedAt = await f.latest();

    const info = await f.registry.getSolver(f.solver.address);
    const afterWin = (7n * INITIAL_SCORE + 7_500n) / 8n; // 300 s left of 600: sample 7,500
    expect(info.status).to.equal(SolverStatus.Exiting);
    expect(info.bond).to.equal(2n * MIN_BOND - MIN_BOND / 10n);
    expect(info.unbondingEnds).to.equal(announcedAt + UNBONDING_PERIOD);
    expect(info.activeClaims).to.equal(1n);
    expect(info.assigned).to.equal(3n);
    expect(info.completed).to.equal(1n);
    expect(info.failed).to.equal(1n);
    expect(info.successRateBps).to.equal(5_000n);
    expect(info.performanceScoreBps).to.equal((7n * afterWin) / 8n);
    expect(info.filled, "no one-transaction fills").to.equal(0n);
  });

  it("successRate is 0 before any outcome and completed / settled in bps after", async function () {
    const f = await networkHelpers.loadFixture(deployedSystem);
    expect(await f.registry.successRate(f.solver.address)).to.equal(0n);
    const claimed = await submitAndClaim(f);
    expect(await f.registry.successRate(f.solver.address)).to.equal(0n); // in flight is not settled
    await fulfill(f, claimed.intent);
    expect(await f.registry.successRate(f.solver.address)).to.equal(BPS);
  });

  it("performanceScore starts at 5,000 for a new solver", async function () {
    const f = await networkHelpers.loadFixture(deployedSystem);
    expect(await f.registry.performanceScore(f.solver.address)).to.equal(INITIAL_SCORE);
    await f.registry.connect(f.otherSolver).register(MIN_BOND);
    expect(await f.registry.performanceScore(f.otherSolver.address)).to.equal(INITIAL_SCORE);
  });

  it("isAuthorized is true only for active solvers", async function () {
    const f = await networkHelpers.loadFixture(deployedSystem);
    expect(await f.registry.isAuthorized(f.solver.address)).to.equal(true);
    expect(await f.registry.isAuthorized(f.otherSolver.address)).to.equal(false);
    await f.registry.suspend(f.solver.address);
    expect(await f.registry.isAuthorized(f.solver.address)).to.equal(false);
    await f.registry.reinstate(f.solver.address);
    expect(await f.registry.isAuthorized(f.solver.address)).to.equal(true);
    await f.registry.connect(f.solver).announceExit();
    expect(await f.registry.isAuthorized(f.solver.address)).to.equal(false);
  });

  describe("claimRateLimitStatus", function () {
    it("reports a full bucket for a solver that never claimed", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      // 30 per 60 s: 30 claims admitted now, nothing to wait for.
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([30n, 0n, 0n]);
      expect(await f.registry.claimRateLimitStatus(f.stranger.address)).to.deep.equal([30n, 0n, 0n]);
    });

    it("reports what one claim used and when the bucket is full again", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await submitAndClaim(f);
      // Views run at the latest block, the claim's: 60 of 1,800 units used, draining 30 per second.
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([29n, 0n, 2n]);
      await time.increase(1n);
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([29n, 0n, 1n]);
      await time.increase(1n);
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([30n, 0n, 0n]);
    });

    it("reports retryAfter once the bucket is empty, counting down as it drains", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setClaimRateLimit(1n, 3_600n);
      await submitAndClaim(f);
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([0n, 3_600n, 3_600n]);
      await time.increase(100n);
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([0n, 3_500n, 3_500n]);
      await time.increase(3_500n);
      expect(await f.registry.claimRateLimitStatus(f.solver.address)).to.deep.equal([1n, 0n, 0n]);
    });

    it("clamps a bucket stored under a larger configuration to one window", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      await f.registry.setClaimRateLimit(2n, 3_600n);
      await submitAndClaim(f);
      const { claimedAt } = await submitAndClaim(f);
      // ~7,200 units used; the smaller bucket holds 100. The stored value is clamped to the new
      // capacity first and then drains 1 unit per second, so the solver waits at most one window.
      await f.registry.setClaimRateLimit(1n, 100n);
      const elapsed = (await f.latest()) - claimedAt;
      const [remaining, retryAfter, fullIn] = await f.registry.claimRateLimitStatus(f.solver.address);
      expect(remaining).to.equal(0n);
      expect(retryAfter).to.equal(100n - elapsed);
      expect(fullIn).to.equal(100n - elapsed);
      expect(elapsed).to.be.greaterThan(0n);
    });
  });

  it("the configuration getters report the wired verifier and the current parameters", async function () {
    const f = await networkHelpers.loadFixture(deployedSystem);
    expect(await f.registry.verifier()).to.equal(f.verifierAddress);
    expect(await f.registry.claimRateLimit()).to.deep.equal([30n, 60n]);
    expect(await f.registry.maxActiveClaims()).to.equal(16n);
    expect(await f.registry.bondParameters()).to.deep.equal([MIN_BOND, UNBONDING_PERIOD]);
    expect(await f.registry.slashing()).to.deep.equal([MIN_BOND / 10n, BPS, f.admin.address]);
    expect(await f.registry.stakeToken()).to.equal(await f.stakeToken.getAddress());
    expect(await f.registry.totalBonded()).to.equal(MIN_BOND);
  });
});
