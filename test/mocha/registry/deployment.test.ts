// SolverRegistry: constructor validation, defaults and roles.
import { expect } from "chai";
import { ZeroAddress, id as keccakText } from "ethers";
import { network } from "hardhat";

import { MIN_BOND, systemFixture } from "../fixtures.js";
import { BPS, UINT128_MAX, UNBONDING_PERIOD } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const ADMIN_DELAY = 3n * 24n * 3600n;

async function deployedSystem() {
  return systemFixture(ethers);
}

describe("SolverRegistry: deployment", function () {
  async function deployArgs() {
    const { stakeToken, admin, treasury, stranger } = await networkHelpers.loadFixture(deployedSystem);
    return {
      stakeToken: await stakeToken.getAddress(),
      admin: admin.address,
      treasury: treasury.address,
      stranger: stranger.address,
    };
  }

  describe("constructor validation", function () {
    it("rejects a zero stake token with ZeroAddress", async function () {
      const a = await deployArgs();
      const factory = await ethers.getContractFactory("SolverRegistry");
      await expect(
        factory.deploy(ZeroAddress, a.admin, ADMIN_DELAY, MIN_BOND, UNBONDING_PERIOD, a.treasury),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });

    it("rejects a zero treasury with ZeroAddress", async function () {
      const a = await deployArgs();
      const factory = await ethers.getContractFactory("SolverRegistry");
      await expect(
        factory.deploy(a.stakeToken, a.admin, ADMIN_DELAY, MIN_BOND, UNBONDING_PERIOD, ZeroAddress),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });

    it("rejects a zero admin through AccessControlDefaultAdminRules", async function () {
      const a = await deployArgs();
      const factory = await ethers.getContractFactory("SolverRegistry");
      await expect(factory.deploy(a.stakeToken, ZeroAddress, ADMIN_DELAY, MIN_BOND, UNBONDING_PERIOD, a.treasury))
        .to.be.revertedWithCustomError(factory, "AccessControlInvalidDefaultAdmin")
        .withArgs(ZeroAddress);
    });

    it("rejects a zero minimum bond with InvalidBondParameters", async function () {
      const a = await deployArgs();
      const factory = await ethers.getContractFactory("SolverRegistry");
      await expect(factory.deploy(a.stakeToken, a.admin, ADMIN_DELAY, 0n, UNBONDING_PERIOD, a.treasury))
        .to.be.revertedWithCustomError(factory, "InvalidBondParameters")
        .withArgs(0n, UNBONDING_PERIOD);
    });

    it("rejects a minimum bond above 2^128 - 1 with InvalidBondParameters", async function () {
      const a = await deployArgs();
      const factory = await ethers.getContractFactory("SolverRegistry");
      await expect(factory.deploy(a.stakeToken, a.admin, ADMIN_DELAY, UINT128_MAX + 1n, UNBONDING_PERIOD, a.treasury))
        .to.be.revertedWithCustomError(factory, "InvalidBondParameters")
        .withArgs(UINT128_MAX + 1n, UNBONDING_PERIOD);
    });

    it("rejects an unbonding period above 2^32 - 1 with InvalidBondParameters", async function () {
      const a = await deployArgs();
      const factory = await ethers.getContractFactory("SolverRegistry");
      await expect(factory.deploy(a.stakeToken, a.admin, ADMIN_DELAY, MIN_BOND, 2n ** 32n, a.treasury))
        .to.be.revertedWithCustomError(factory, "InvalidBondParameters")
        .withArgs(MIN_BOND, 2n ** 32n);
    });

    it("accepts the largest minimum bond and unbonding period", async function () {
      const a = await deployArgs();
      const registry = await ethers.deployContract("SolverRegistry", [
        a.stakeToken,
        a.admin,
        ADMIN_DELAY,
        UINT128_MAX,
        2n ** 32n - 1n,
        a.treasury,
      ]);
      expect(await registry.bondParameters()).to.deep.equal([UINT128_MAX, 2n ** 32n - 1n]);
      // The default slash is a tenth of the minimum bond, rounded down.
      expect((await registry.slashing())[0]).to.equal(UINT128_MAX / 10n);
    });
  });

  describe("defaults", function () {
    async function freshRegistry() {
      const a = await deployArgs();
      const registry = await ethers.deployContract("SolverRegistry", [
        a.stakeToken,
        a.admin,
        ADMIN_DELAY,
        MIN_BOND,
        UNBONDING_PERIOD,
        a.treasury,
      ]);
      return { ...a, registry };
    }

    it("emits the default configuration on deployment", async function () {
      const { registry, treasury } = await freshRegistry();
      const deployment = registry.deploymentTransaction()!;
      await expect(deployment).to.emit(registry, "ClaimRateLimitSet").withArgs(30n, 60n);
      await expect(deployment).to.emit(registry, "MaxActiveClaimsSet").withArgs(16n);
      // No bond is at stake yet, so the terms apply at once: effectiveAt is the deployment's time.
      const block = await deployment.getBlock();
      await expect(deployment)
        .to.emit(registry, "BondTermsScheduled")
        .withArgs([MIN_BOND, MIN_BOND / 10n, treasury, UNBONDING_PERIOD, BPS, BigInt(block!.timestamp)]);
    });

    it("stores the stake token and the configured bond parameters", async function () {
      const { registry, stakeToken } = await freshRegistry();
      expect(await registry.stakeToken()).to.equal(stakeToken);
      expect(await registry.bondParameters()).to.deep.equal([MIN_BOND, UNBONDING_PERIOD]);
    });

    it("defaults to 30 claims per 60 s and 16 claims in flight", async function () {
      const { registry } = await freshRegistry();
      expect(await registry.claimRateLimit()).to.deep.equal([30n, 60n]);
      expect(await registry.maxActiveClaims()).to.equal(16n);
    });

    it("defaults to slashing minBond / 10, all of it to the harmed user", async function () {
      const { registry, treasury } = await freshRegistry();
      expect(await registry.slashing()).to.deep.equal([MIN_BOND / 10n, BPS, treasury]);
    });

    it("starts unwired, unpaused and with nothing bonded", async function () {
      const { registry } = await freshRegistry();
      expect(await registry.verifier()).to.equal(ZeroAddress);
      expect(await registry.paused()).to.equal(false);
      expect(await registry.totalBonded()).to.equal(0n);
    });

    it("grants the admin the default admin, guardian and rate-limit admin roles", async function () {
      const { registry, admin } = await freshRegistry();
      expect(await registry.GUARDIAN_ROLE()).to.equal(keccakText("GUARDIAN_ROLE"));
      expect(await registry.RATE_LIMIT_ADMIN_ROLE()).to.equal(keccakText("RATE_LIMIT_ADMIN_ROLE"));
      expect(await registry.defaultAdmin()).to.equal(admin);
      expect(await registry.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), admin)).to.equal(true);
      expect(await registry.hasRole(await registry.GUARDIAN_ROLE(), admin)).to.equal(true);
      expect(await registry.hasRole(await registry.RATE_LIMIT_ADMIN_ROLE(), admin)).to.equal(true);
    });

    it("grants no role to anyone else", async function () {
      const { registry, treasury, stranger } = await freshRegistry();
      for (const account of [stranger, treasury]) {
        expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), account)).to.equal(false);
        expect(await registry.hasRole(await registry.GUARDIAN_ROLE(), account)).to.equal(false);
        expect(await registry.hasRole(await registry.RATE_LIMIT_ADMIN_ROLE(), account)).to.equal(false);
      }
    });
  });

  describe("wired by deploySystem", function () {
    it("points at the verifier and bonds the fixture's solver", async function () {
      const f = await networkHelpers.loadFixture(deployedSystem);
      expect(await f.registry.verifier()).to.equal(f.verifierAddress);
      expect(await f.verifier.registry()).to.equal(f.registryAddress);
      expect(await f.registry.totalBonded()).to.equal(MIN_BOND);
      expect(await f.stakeToken.balanceOf(f.registryAddress)).to.equal(MIN_BOND);
    });
  });
});
