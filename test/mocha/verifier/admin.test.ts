// Administration of IntentVerifier: construction, role checks, every setter's validation and
// event, and pausing.
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { network } from "hardhat";

import { IntentStatus } from "../../../scripts/lib/intents.js";
import {
  DEFAULTS,
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  MIN_BOND,
  ROLES,
  type System,
  atTime,
  fulfillment,
  loadSystem,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const MAX_24 = 2n ** 24n - 1n;
const MAX_32 = 2n ** 32n - 1n;
const MAX_120 = 2n ** 120n - 1n;
const MAX_128 = 2n ** 128n - 1n;

describe("IntentVerifier administration", function () {
  let f: System;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
  });

  describe("construction", function () {
    it("rejects a zero registry with ZeroAddress", async function () {
      const factory = await ethers.getContractFactory("IntentVerifier");
      await expect(factory.deploy(ZeroAddress, f.admin.address, 0n)).to.be.revertedWithCustomError(
        f.verifier,
        "ZeroAddress",
      );
    });

    it("grants the admin every role and announces the default configuration", async function () {
      const factory = await ethers.getContractFactory("IntentVerifier");
      const verifier = await factory.deploy(f.registryAddress, f.stranger.address, 3600n);
      const tx = verifier.deploymentTransaction()!;
      await expect(tx).to.emit(verifier, "UserRateLimitSet").withArgs(DEFAULTS.userLimit, DEFAULTS.userWindow);
      await expect(tx).to.emit(verifier, "GlobalRateLimitSet").withArgs(DEFAULTS.globalLimit, DEFAULTS.globalWindow);
      await expect(tx).to.emit(verifier, "TimingsSet").withArgs(DEFAULTS.maxTtl, DEFAULTS.claimTtl);
      await expect(tx).to.emit(verifier, "IntentTypeEnabled").withArgs(INTENT_TYPE_TRANSFER, true);
      await expect(tx).to.emit(verifier, "IntentTypeEnabled").withArgs(INTENT_TYPE_SWAP, true);
      for (const role of Object.values(ROLES)) {
        expect(await verifier.hasRole(role, f.stranger.address)).to.equal(true);
        expect(await verifier.hasRole(role, f.admin.address)).to.equal(false);
      }
      expect(await verifier.defaultAdmin()).to.equal(f.stranger.address);
      expect(await verifier.defaultAdminDelay()).to.equal(3600n);
      expect(await verifier.registry()).to.equal(f.registryAddress);
      expect(await verifier.paused()).to.equal(false);
    });
  });

  describe("role checks", function () {
    const cases: [string, string, (v: System["verifier"]) => Promise<unknown>][] = [
      ["setIntentTypeEnabled", ROLES.VALIDATOR_ADMIN, (v) => v.setIntentTypeEnabled(INTENT_TYPE_TRANSFER, false)],
      ["setValidator", ROLES.VALIDATOR_ADMIN, (v) => v.setValidator(INTENT_TYPE_TRANSFER, ZeroAddress)],
      ["setTokenPolicy", ROLES.POLICY_ADMIN, (v) => v.setTokenPolicy(INTENT_TYPE_TRANSFER, v.target, true, 1n, 2n)],
      ["setGlobalRateLimit", ROLES.RATE_LIMIT_ADMIN, (v) => v.setGlobalRateLimit(1n, 1n)],
      ["setUserRateLimit", ROLES.RATE_LIMIT_ADMIN, (v) => v.setUserRateLimit(1n, 1n)],
      ["setRateLimitExempt", ROLES.RATE_LIMIT_ADMIN, (v) => v.setRateLimitExempt(v.target, true)],
      ["setUserBlocked", ROLES.GUARDIAN, (v) => v.setUserBlocked(v.target, true)],
      ["pause", ROLES.GUARDIAN, (v) => v.pause()],
      ["unpause", ROLES.GUARDIAN, (v) => v.unpause()],
      ["setTimings", ROLES.DEFAULT_ADMIN, (v) => v.setTimings(100n, 10n)],
    ];

    for (const [name, role, send] of cases) {
      it(`${name} reverts with AccessControlUnauthorizedAccount for a caller without its role`, async function () {
        await expect(send(f.verifier.connect(f.stranger)))
          .to.be.revertedWithCustomError(f.verifier, "AccessControlUnauthorizedAccount")
          .withArgs(f.stranger.address, role);
      });
    }

    it("lets a holder of one role call its setters and no other role's", async function () {
      await f.verifier.grantRole(ROLES.POLICY_ADMIN, f.stranger.address);
      const policyAdmin = f.verifier.connect(f.stranger);
      await expect(policyAdmin.setTokenPolicy(INTENT_TYPE_SWAP, f.usdcAddress, false, 0n, 0n)).to.emit(
        f.verifier,
        "TokenPolicySet",
      );
      await expect(policyAdmin.setUserBlocked(f.user.address, true))
        .to.be.revertedWithCustomError(f.verifier, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ROLES.GUARDIAN);
    });

    it("does not let the guardian change timings (default admin only)", async function () {
      await f.verifier.grantRole(ROLES.GUARDIAN, f.stranger.address);
      await expect(f.verifier.connect(f.stranger).setTimings(100n, 10n))
        .to.be.revertedWithCustomError(f.verifier, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ROLES.DEFAULT_ADMIN);
    });
  });

  describe("rate-limit setters", function () {
    for (const setter of ["setGlobalRateLimit", "setUserRateLimit"] as const) {
      const event = setter === "setGlobalRateLimit" ? "GlobalRateLimitSet" : "UserRateLimitSet";

      it(`${setter} rejects zero and over-24-bit values with InvalidRateLimit`, async function () {
        for (const [limit, window] of [
          [0n, 60n],
          [1n, 0n],
          [MAX_24 + 1n, 60n],
          [1n, MAX_24 + 1n],
        ]) {
          await expect(f.verifier[setter](limit, window))
            .to.be.revertedWithCustomError(f.verifier, "InvalidRateLimit")
            .withArgs(limit, window);
        }
      });

      it(`${setter} stores the limit and emits ${event}`, async function () {
        await expect(f.verifier[setter](MAX_24, MAX_24)).to.emit(f.verifier, event).withArgs(MAX_24, MAX_24);
        await expect(f.verifier[setter](7n, 70n)).to.emit(f.verifier, event).withArgs(7n, 70n);
        const [globalLimit, globalWindow, userLimit, userWindow] = await f.verifier.rateLimits();
        if (setter === "setGlobalRateLimit") {
          expect([globalLimit, globalWindow, userLimit, userWindow]).to.deep.equal([
            7n,
            70n,
            DEFAULTS.userLimit,
            DEFAULTS.userWindow,
          ]);
        } else {
          expect([globalLimit, globalWindow, userLimit, userWindow]).to.deep.equal([
            DEFAULTS.globalLimit,
            DEFAULTS.globalWindow,
            7n,
            70n,
          ]);
        }
      });
    }

    it("setRateLimitExempt sets and clears the exemption and emits RateLimitExemptionSet", async function () {
      await expect(f.verifier.setRateLimitExempt(f.relayer.address, true))
        .to.emit(f.verifier, "RateLimitExemptionSet")
        .withArgs(f.relayer.address, true);
      expect(await f.verifier.isRateLimitExempt(f.relayer.address)).to.equal(true);
      await expect(f.verifier.setRateLimitExempt(f.relayer.address, false))
        .to.emit(f.verifier, "RateLimitExemptionSet")
        .withArgs(f.relayer.address, false);
      expect(await f.verifier.isRateLimitExempt(f.relayer.address)).to.equal(false);
    });

    it("setRateLimitExempt rejects the zero address", async function () {
      await expect(f.verifier.setRateLimitExempt(ZeroAddress, true)).to.be.revertedWithCustomError(
        f.verifier,
        "ZeroAddress",
      );
    });

    it("setRateLimitExempt keeps the account's nonce and block flag", async function () {
      await f.submitted(await f.transferIntent());
      await f.verifier.setUserBlocked(f.user.address, true);
      await f.verifier.setRateLimitExempt(f.user.address, true);
      await f.verifier.setRateLimitExempt(f.user.address, false);
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(1n);
      expect(await f.verifier.isBlocked(f.user.address)).to.equal(true);
    });
  });

  describe("setUserBlocked", function () {
    it("blocks and unblocks and emits UserBlockedSet", async function () {
      await expect(f.verifier.setUserBlocked(f.user.address, true))
        .to.emit(f.verifier, "UserBlockedSet")
        .withArgs(f.user.address, true);
      expect(await f.verifier.isBlocked(f.user.address)).to.equal(true);
      await expect(f.verifier.setUserBlocked(f.user.address, false))
        .to.emit(f.verifier, "UserBlockedSet")
        .withArgs(f.user.address, false);
      expect(await f.verifier.isBlocked(f.user.address)).to.equal(false);
    });

    it("rejects the zero address", async function () {
      await expect(f.verifier.setUserBlocked(ZeroAddress, true)).to.be.revertedWithCustomError(
        f.verifier,
        "ZeroAddress",
      );
    });

    it("does not stop a blocked user's intents already submitted", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await f.verifier.setUserBlocked(f.user.address, true);
      await f.verifier.connect(f.solver).claim(id);
      await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Completed);
    });
  });

  describe("setTimings", function () {
    it("rejects out-of-range values with InvalidTiming", async function () {
      for (const [maxTtl, claimTtl] of [
        [0n, 0n],
        [0n, 1n],
        [MAX_32 + 1n, 600n],
        [3600n, 0n],
        [100n, 101n],
        [100_000n, 65_536n],
      ]) {
        await expect(f.verifier.setTimings(maxTtl, claimTtl))
          .to.be.revertedWithCustomError(f.verifier, "InvalidTiming")
          .withArgs(maxTtl, claimTtl);
      }
    });

    it("accepts the largest values and claimTtl equal to maxTtl, emitting TimingsSet", async function () {
      await expect(f.verifier.setTimings(MAX_32, 65_535n)).to.emit(f.verifier, "TimingsSet").withArgs(MAX_32, 65_535n);
      expect(await f.verifier.timings()).to.deep.equal([MAX_32, 65_535n]);
      await expect(f.verifier.setTimings(1n, 1n)).to.emit(f.verifier, "TimingsSet").withArgs(1n, 1n);
      expect(await f.verifier.timings()).to.deep.equal([1n, 1n]);
    });

    it("applies the new maxTtl at intake and the new claimTtl at claim", async function () {
      await f.verifier.setTimings(1_000n, 50n);
      const now = (await f.latest()) + 10n;
      const tooFar = await f.transferIntent({
        nonce: 0n,
        expiry: now + 1_001n,
      });
      await atTime(networkHelpers, now);
      await expect(f.verifier.connect(f.user).submit(tooFar))
        .to.be.revertedWithCustomError(f.verifier, "ExpiryTooFar")
        .withArgs(now + 1_001n, now + 1_000n);
      const intent = await f.transferIntent({
        nonce: 0n,
        expiry: now + 1_000n,
      });
      const id = await f.submitted(intent);
      await atTime(networkHelpers, now + 5n);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.emit(f.verifier, "IntentClaimed")
        .withArgs(id, f.solver.address, now + 55n);
    });
  });

  describe("setValidator", function () {
    it("plugs a validator of the right type and emits ValidatorSet", async function () {
      const validator = await ethers.deployContract("MockIntentValidator", [INTENT_TYPE_SWAP]);
      const address = await validator.getAddress();
      await expect(f.verifier.setValidator(INTENT_TYPE_SWAP, address))
        .to.emit(f.verifier, "ValidatorSet")
        .withArgs(INTENT_TYPE_SWAP, address);
      expect(await f.verifier.validatorOf(INTENT_TYPE_SWAP)).to.equal(address);
      expect(await f.verifier.validatorOf(INTENT_TYPE_TRANSFER)).to.equal(ZeroAddress);
    });

    it("removes a validator with the zero address and emits ValidatorSet(type, 0)", async function () {
      const validator = await ethers.deployContract("MockIntentValidator", [INTENT_TYPE_SWAP]);
      await f.verifier.setValidator(INTENT_TYPE_SWAP, await validator.getAddress());
      await expect(f.verifier.setValidator(INTENT_TYPE_SWAP, ZeroAddress))
        .to.emit(f.verifier, "ValidatorSet")
        .withArgs(INTENT_TYPE_SWAP, ZeroAddress);
      expect(await f.verifier.validatorOf(INTENT_TYPE_SWAP)).to.equal(ZeroAddress);
      expect(await f.verifier.isIntentTypeEnabled(INTENT_TYPE_SWAP)).to.equal(true);
    });

    it("rejects a validator speaking for another type with ValidatorTypeMismatch", async function () {
      const validator = await ethers.deployContract("MockIntentValidator", [INTENT_TYPE_SWAP]);
      await expect(f.verifier.setValidator(INTENT_TYPE_TRANSFER, await validator.getAddress()))
        .to.be.revertedWithCustomError(f.verifier, "ValidatorTypeMismatch")
        .withArgs(INTENT_TYPE_TRANSFER, INTENT_TYPE_SWAP);
    });

    it("rejects a type that is not shipped with UnknownIntentType", async function () {
      const validator = await ethers.deployContract("MockIntentValidator", [3]);
      for (const intentType of [0, 3]) {
        await expect(f.verifier.setValidator(intentType, await validator.getAddress()))
          .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
          .withArgs(intentType);
      }
    });
  });

  describe("setIntentTypeEnabled", function () {
    it("disables and enables a type and emits IntentTypeEnabled", async function () {
      await expect(f.verifier.setIntentTypeEnabled(INTENT_TYPE_SWAP, false))
        .to.emit(f.verifier, "IntentTypeEnabled")
        .withArgs(INTENT_TYPE_SWAP, false);
      expect(await f.verifier.isIntentTypeEnabled(INTENT_TYPE_SWAP)).to.equal(false);
      expect(await f.verifier.isIntentTypeEnabled(INTENT_TYPE_TRANSFER)).to.equal(true);
      await expect(f.verifier.setIntentTypeEnabled(INTENT_TYPE_SWAP, true))
        .to.emit(f.verifier, "IntentTypeEnabled")
        .withArgs(INTENT_TYPE_SWAP, true);
      expect(await f.verifier.isIntentTypeEnabled(INTENT_TYPE_SWAP)).to.equal(true);
    });

    it("keeps a plugged validator while its type is disabled", async function () {
      const validator = await ethers.deployContract("MockIntentValidator", [INTENT_TYPE_SWAP]);
      await validator.setRejections(f.user.address, f.user.address);
      await f.verifier.setValidator(INTENT_TYPE_SWAP, await validator.getAddress());
      await f.verifier.setIntentTypeEnabled(INTENT_TYPE_SWAP, false);
      await f.verifier.setIntentTypeEnabled(INTENT_TYPE_SWAP, true);
      await expect(f.verifier.connect(f.user).submit(await f.swapIntent())).to.be.revertedWithCustomError(
        validator,
        "ParamsRejected",
      );
    });

    it("rejects a type that is not shipped with UnknownIntentType", async function () {
      for (const intentType of [0, 3, 8]) {
        await expect(f.verifier.setIntentTypeEnabled(intentType, true))
          .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
          .withArgs(intentType);
      }
      expect(await f.verifier.isIntentTypeEnabled(3)).to.equal(false);
    });
  });

  describe("setTokenPolicy", function () {
    it("stores the policy, reads it back and emits TokenPolicySet", async function () {
      await expect(f.verifier.setTokenPolicy(INTENT_TYPE_SWAP, f.usdcAddress, true, MAX_120, MAX_128))
        .to.emit(f.verifier, "TokenPolicySet")
        .withArgs(INTENT_TYPE_SWAP, f.usdcAddress, true, MAX_120, MAX_128);
      expect(await f.verifier.tokenPolicy(INTENT_TYPE_SWAP, f.usdcAddress)).to.deep.equal([true, MAX_120, MAX_128]);
      await f.verifier.setTokenPolicy(INTENT_TYPE_SWAP, f.usdcAddress, false, 0n, 0n);
      expect(await f.verifier.tokenPolicy(INTENT_TYPE_SWAP, f.usdcAddress)).to.deep.equal([false, 0n, 0n]);
      // The transfer policy of the same token is untouched.
      expect(await f.verifier.tokenPolicy(INTENT_TYPE_TRANSFER, f.usdcAddress)).to.deep.equal([
        true,
        1n,
        1_000_000n * 10n ** 18n,
      ]);
    });

    it("rejects a zero token, min above max and over-wide bounds with InvalidTokenPolicy", async function () {
      for (const [token, min, max] of [
        [ZeroAddress, 1n, 2n],
        [f.usdcAddress, 3n, 2n],
        [f.usdcAddress, MAX_120 + 1n, MAX_128],
        [f.usdcAddress, 0n, MAX_128 + 1n],
      ] as const) {
        await expect(f.verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, token, true, min, max))
          .to.be.revertedWithCustomError(f.verifier, "InvalidTokenPolicy")
          .withArgs(token, min, max);
      }
    });

    it("rejects a type that is not shipped with UnknownIntentType", async function () {
      await expect(f.verifier.setTokenPolicy(3, f.usdcAddress, true, 1n, 2n))
        .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
        .withArgs(3);
    });
  });

  describe("pause", function () {
    it("pauses and unpauses with Paused and Unpaused", async function () {
      await expect(f.verifier.pause()).to.emit(f.verifier, "Paused").withArgs(f.admin.address);
      expect(await f.verifier.paused()).to.equal(true);
      await expect(f.verifier.unpause()).to.emit(f.verifier, "Unpaused").withArgs(f.admin.address);
      expect(await f.verifier.paused()).to.equal(false);
    });

    it("keeps the configuration packed beside the pause flag intact", async function () {
      await f.verifier.setGlobalRateLimit(1n, 3600n);
      await f.submitted(await f.transferIntent());
      await f.verifier.pause();
      await f.verifier.unpause();
      expect(await f.verifier.rateLimits()).to.deep.equal([1n, 3600n, DEFAULTS.userLimit, DEFAULTS.userWindow]);
      expect(await f.verifier.timings()).to.deep.equal([DEFAULTS.maxTtl, DEFAULTS.claimTtl]);
      const [, , , globalRemaining] = await f.verifier.rateLimitStatus(f.user.address);
      expect(globalRemaining).to.equal(0n); // the global bucket is still spent
      expect(await f.verifier.isIntentTypeEnabled(INTENT_TYPE_TRANSFER)).to.equal(true);
      expect(await f.verifier.isIntentTypeEnabled(INTENT_TYPE_SWAP)).to.equal(true);
    });

    it("blocks submit, submitWithSignature, claim, fulfill and fail with EnforcedPause", async function () {
      const claimed = await f.transferIntent();
      const claimedId = await f.claimed(claimed);
      const overdue = await f.transferIntent();
      const overdueId = await f.claimed(overdue);
      const pending = await f.transferIntent();
      const pendingId = await f.submitted(pending);
      const fresh = await f.transferIntent();
      const signature = await f.sign(f.user, fresh);
      await f.verifier.pause();

      await expect(f.verifier.connect(f.user).submit(fresh)).to.be.revertedWithCustomError(f.verifier, "EnforcedPause");
      await expect(f.verifier.connect(f.relayer).submitWithSignature(fresh, signature)).to.be.revertedWithCustomError(
        f.verifier,
        "EnforcedPause",
      );
      await expect(f.verifier.connect(f.solver).claim(pendingId)).to.be.revertedWithCustomError(
        f.verifier,
        "EnforcedPause",
      );
      await expect(f.verifier.connect(f.solver).fulfill(claimed, fulfillment())).to.be.revertedWithCustomError(
        f.verifier,
        "EnforcedPause",
      );
      const { claimDeadline } = await f.verifier.getIntent(overdueId);
      await networkHelpers.time.increaseTo(claimDeadline + 1n);
      await expect(f.verifier.fail(overdue)).to.be.revertedWithCustomError(f.verifier, "EnforcedPause");

      await f.verifier.unpause();
      // The pause overlapped the overdue claim's window: released, not slashed.
      await expect(f.verifier.fail(overdue))
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(overdueId, f.user.address, f.solver.address, IntentStatus.Pending);
      expect((await f.registry.getSolver(f.solver.address)).bond).to.equal(MIN_BOND);
      expect(await f.verifier.statusOf(claimedId)).to.equal(IntentStatus.Executing);
    });

    it("records the last pause, which excuses only the claims whose window it overlapped", async function () {
      expect(await f.verifier.lastPause()).to.deep.equal([0n, 0n]);
      // A claim that lapses before the pause is the solver's failure.
      const early = await f.transferIntent();
      const earlyId = await f.claimed(early);
      const { claimDeadline: earlyDeadline } = await f.verifier.getIntent(earlyId);
      await atTime(networkHelpers, earlyDeadline + 10n);
      await f.verifier.pause();
      const pausedAt = await f.latest();
      await networkHelpers.time.increase(100);
      await f.verifier.unpause();
      const unpausedAt = await f.latest();
      expect(await f.verifier.lastPause()).to.deep.equal([pausedAt, unpausedAt]);
      await expect(f.verifier.fail(early)).to.emit(f.verifier, "ClaimFailed");
      expect((await f.registry.getSolver(f.solver.address)).bond).to.equal(MIN_BOND - MIN_BOND / 10n);

      // A claim made after the pause ended is not excused either.
      await f.registry.connect(f.otherSolver).register(MIN_BOND);
      const late = await f.transferIntent();
      const lateId = await f.claimed(late, f.otherSolver);
      const { claimDeadline: lateDeadline } = await f.verifier.getIntent(lateId);
      await atTime(networkHelpers, lateDeadline + 1n);
      await expect(f.verifier.fail(late)).to.emit(f.verifier, "ClaimFailed");
    });

    it("releases an overlapped claim whose intent expired as Expired, counting no failure", async function () {
      const intent = await f.transferIntent({ expiry: (await f.latest()) + 300n });
      const id = await f.claimed(intent);
      await f.verifier.pause();
      await atTime(networkHelpers, intent.expiry + 1n);
      await f.verifier.unpause();
      await expect(f.verifier.fail(intent))
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(id, f.user.address, f.solver.address, IntentStatus.Expired);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Expired);
      const info = await f.registry.getSolver(f.solver.address);
      expect([info.bond, info.failed, info.activeClaims]).to.deep.equal([MIN_BOND, 0n, 0n]);
    });

    describe("pause accounting with what was fixed at claim time (review finding: Low)", function () {
      it("keeps every pause in its history: pauseCount, pauseAt and lastPause", async function () {
        expect(await f.verifier.pauseCount()).to.equal(0n);
        const spans: [bigint, bigint][] = [];
        for (let i = 0; i < 3; i++) {
          await f.verifier.pause();
          const pausedAt = await f.latest();
          await networkHelpers.time.increase(10 * (i + 1));
          await f.verifier.unpause();
          spans.push([pausedAt, await f.latest()]);
        }
        expect(await f.verifier.pauseCount()).to.equal(3n);
        for (const [i, span] of spans.entries()) expect(await f.verifier.pauseAt(i)).to.deep.equal(span);
        expect(await f.verifier.lastPause()).to.deep.equal(spans[2]);
        // A pause in progress has no end yet.
        await f.verifier.pause();
        expect(await f.verifier.pauseAt(3)).to.deep.equal([await f.latest(), 0n]);
      });

      it("excuses a paused claim after setTimings shortened the claim window", async function () {
        const intent = await f.transferIntent();
        const id = await f.claimed(intent); // a 600 s window
        await f.verifier.pause();
        await networkHelpers.time.increase(100);
        await f.verifier.unpause();
        await f.verifier.setTimings(DEFAULTS.maxTtl, 60n);
        const { claimDeadline } = await f.verifier.getIntent(id);
        await atTime(networkHelpers, claimDeadline + 1n);
        await expect(f.verifier.fail(intent))
          .to.emit(f.verifier, "ClaimReleased")
          .withArgs(id, f.user.address, f.solver.address, IntentStatus.Pending);
        expect((await f.registry.getSolver(f.solver.address)).bond).to.equal(MIN_BOND);
      });

      it("excuses a claim that an earlier pause covered, whatever pauses came later", async function () {
        const intent = await f.transferIntent();
        const id = await f.claimed(intent);
        const { claimDeadline } = await f.verifier.getIntent(id);
        await f.verifier.pause();
        await atTime(networkHelpers, claimDeadline + 10n);
        await f.verifier.unpause();
        await f.verifier.pause();
        await networkHelpers.time.increase(5);
        await f.verifier.unpause();
        await expect(f.verifier.fail(intent)).to.emit(f.verifier, "ClaimReleased");
        const info = await f.registry.getSolver(f.solver.address);
        expect([info.bond, info.failed]).to.deep.equal([MIN_BOND, 0n]);
      });

      it("does not excuse a claim by a pause that ended before it, when expiry cut its deadline", async function () {
        const intent = await f.transferIntent({ expiry: (await f.latest()) + 400n });
        const id = await f.submitted(intent);
        await f.verifier.pause();
        await networkHelpers.time.increase(50);
        await f.verifier.unpause();
        await networkHelpers.time.increase(100);
        await f.verifier.connect(f.solver).claim(id);
        const { claimDeadline, claimedAt } = await f.verifier.getIntent(id);
        expect(claimDeadline).to.equal(intent.expiry); // shorter than claimedAt + 600
        expect(claimDeadline - claimedAt).to.be.lessThan(DEFAULTS.claimTtl);
        await atTime(networkHelpers, claimDeadline + 1n);
        await expect(f.verifier.fail(intent))
          .to.emit(f.verifier, "ClaimFailed")
          .withArgs(id, f.user.address, f.solver.address, false);
        expect((await f.registry.getSolver(f.solver.address)).bond).to.equal(MIN_BOND - MIN_BOND / 10n);
      });

      it("excuses a claim whose deadline falls on the first second of a pause", async function () {
        const intent = await f.transferIntent();
        const id = await f.claimed(intent);
        const { claimDeadline } = await f.verifier.getIntent(id);
        await atTime(networkHelpers, claimDeadline);
        await f.verifier.pause();
        await networkHelpers.time.increase(10);
        await f.verifier.unpause();
        await expect(f.verifier.fail(intent)).to.emit(f.verifier, "ClaimReleased");
      });

      it("does not excuse a claim made in the second its pause ended", async function () {
        const intent = await f.transferIntent();
        const id = await f.submitted(intent);
        await f.verifier.pause();
        await networkHelpers.time.increase(10);
        await f.verifier.unpause();
        const unpausedAt = await f.latest();
        // Claimed in the next block; any pause it could overlap ended before it.
        await f.verifier.connect(f.solver).claim(id);
        expect((await f.verifier.getIntent(id)).claimedAt).to.be.greaterThan(unpausedAt);
        const { claimDeadline } = await f.verifier.getIntent(id);
        await atTime(networkHelpers, claimDeadline + 1n);
        await expect(f.verifier.fail(intent)).to.emit(f.verifier, "ClaimFailed");
      });
    });

    it("still lets users cancel, anyone expire and users invalidate nonces while paused", async function () {
      const cancelled = await f.transferIntent();
      const cancelledId = await f.submitted(cancelled);
      const expiring = await f.transferIntent();
      const expiringId = await f.submitted(expiring);
      await f.verifier.pause();
      await expect(f.verifier.connect(f.user).cancel(cancelled))
        .to.emit(f.verifier, "IntentCancelled")
        .withArgs(cancelledId, f.user.address);
      await networkHelpers.time.increaseTo(expiring.expiry);
      await expect(f.verifier.expire(expiring))
        .to.emit(f.verifier, "IntentExpired")
        .withArgs(expiringId, f.user.address);
      await expect(f.verifier.connect(f.user).invalidateNonces(10n))
        .to.emit(f.verifier, "NoncesInvalidated")
        .withArgs(f.user.address, 10n);
    });
  });
});
