// Lifecycle of an intent: claim, fulfil, fail (requeue or fail for good), cancel, expire, and the
// terminal states that never change again.
import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { network } from "hardhat";

import { IntentStatus, type Intent } from "../../../scripts/lib/intents.js";
import {
  DEFAULTS,
  INTENT_TYPE_TRANSFER,
  MIN_BOND,
  type System,
  TRANSFER_AMOUNT,
  atTime,
  crossChainRefs,
  fulfillment,
  loadSystem,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("IntentVerifier lifecycle", function () {
  let f: System;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
  });

  /** Submits `intent`, claims it as the solver at `claimAt` and returns its id and deadline. */
  async function claimedAt(intent: Intent, claimAt: bigint) {
    const id = await f.submitted(intent);
    await atTime(networkHelpers, claimAt);
    await f.verifier.connect(f.solver).claim(id);
    return { id, deadline: (await f.verifier.getIntent(id)).claimDeadline };
  }

  describe("claim", function () {
    it("moves the intent to Executing with deadline now + claimTtl and emits IntentClaimed", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      const now = (await f.latest()) + 10n;
      await atTime(networkHelpers, now);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.emit(f.verifier, "IntentClaimed")
        .withArgs(id, f.solver.address, now + DEFAULTS.claimTtl);
      const record = await f.verifier.getIntent(id);
      expect(record.status).to.equal(IntentStatus.Executing);
      expect(record.solver).to.equal(f.solver.address);
      expect(record.claimDeadline).to.equal(now + DEFAULTS.claimTtl);
      expect(record.intentType).to.equal(BigInt(INTENT_TYPE_TRANSFER));
      expect(record.expiry).to.equal(intent.expiry);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Executing);
    });

    it("caps the deadline at the intent's expiry and returns it", async function () {
      const expiry = (await f.latest()) + 300n;
      const id = await f.submitted(await f.transferIntent({ expiry }));
      expect(await f.verifier.connect(f.solver).claim.staticCall(id)).to.equal(expiry);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.emit(f.verifier, "IntentClaimed")
        .withArgs(id, f.solver.address, expiry);
      expect((await f.verifier.getIntent(id)).claimDeadline).to.equal(expiry);
    });

    it("records the claim on the registry", async function () {
      await f.claimed(await f.transferIntent());
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.activeClaims).to.equal(1n);
      expect(info.assigned).to.equal(1n);
    });

    it("rejects an unknown id with InvalidStatus(None)", async function () {
      const id = ethers.id("unknown");
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.None);
    });

    it("rejects a second claim with InvalidStatus(Executing)", async function () {
      await f.registerSolver(f.otherSolver);
      const id = await f.claimed(await f.transferIntent());
      await expect(f.verifier.connect(f.otherSolver).claim(id))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.Executing);
    });

    it("rejects a claim at the expiry with IntentHasExpired", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await atTime(networkHelpers, intent.expiry);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.verifier, "IntentHasExpired")
        .withArgs(id, intent.expiry);
    });

    it("accepts a claim one second before the expiry", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await atTime(networkHelpers, intent.expiry - 1n);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.emit(f.verifier, "IntentClaimed")
        .withArgs(id, f.solver.address, intent.expiry);
    });

    it("rejects a caller that is not a registered solver through the registry", async function () {
      const id = await f.submitted(await f.transferIntent());
      await expect(f.verifier.connect(f.stranger).claim(id))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.stranger.address, 0n);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Pending);
    });

    it("lets intents submitted before their type was disabled run their course", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await f.verifier.setIntentTypeEnabled(INTENT_TYPE_TRANSFER, false);
      await f.verifier.connect(f.solver).claim(id);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment())).to.emit(f.verifier, "IntentCompleted");
    });
  });

  describe("fulfill", function () {
    it("rejects an intent that is not claimed with InvalidStatus", async function () {
      const unknown = await f.transferIntent();
      await expect(f.verifier.connect(f.solver).fulfill(unknown, fulfillment()))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(f.idOf(unknown), IntentStatus.None);
      const pending = await f.transferIntent({ nonce: 0n });
      const id = await f.submitted(pending);
      await expect(f.verifier.connect(f.solver).fulfill(pending, fulfillment()))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.Pending);
    });

    it("rejects a solver other than the claimant with NotAssignedSolver", async function () {
      await f.registerSolver(f.otherSolver);
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      await expect(f.verifier.connect(f.otherSolver).fulfill(intent, fulfillment()))
        .to.be.revertedWithCustomError(f.verifier, "NotAssignedSolver")
        .withArgs(id, f.otherSolver.address, f.solver.address);
    });

    it("rejects a fulfilment after the claim deadline with ClaimDeadlinePassed", async function () {
      const intent = await f.transferIntent();
      const { id, deadline } = await claimedAt(intent, (await f.latest()) + 10n);
      await atTime(networkHelpers, deadline + 1n);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
        .to.be.revertedWithCustomError(f.verifier, "ClaimDeadlinePassed")
        .withArgs(id, deadline);
    });

    it("accepts a fulfilment at the claim deadline itself", async function () {
      const intent = await f.transferIntent();
      const { deadline } = await claimedAt(intent, (await f.latest()) + 10n);
      await atTime(networkHelpers, deadline);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment())).to.emit(f.verifier, "IntentCompleted");
    });

    it("rejects five cross-chain references with TooManyCrossChainRefs and accepts four", async function () {
      const intent = await f.transferIntent();
      await f.claimed(intent);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ refs: crossChainRefs(5) })))
        .to.be.revertedWithCustomError(f.verifier, "TooManyCrossChainRefs")
        .withArgs(5n);
      const refs = crossChainRefs(4);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ refs })))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(
          f.idOf(intent),
          f.user.address,
          f.solver.address,
          TRANSFER_AMOUNT,
          0n,
          0n,
          refs.map((r) => [r.chainId, r.txHash]),
        );
    });

    it("emits IntentCompleted with the execution record", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      const refs = crossChainRefs(2);
      const report = fulfillment({
        gasUsed: 123_456n,
        totalCost: 7n * 10n ** 15n,
        refs,
      });
      await expect(f.verifier.connect(f.solver).fulfill(intent, report))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(
          id,
          f.user.address,
          f.solver.address,
          TRANSFER_AMOUNT,
          123_456n,
          7n * 10n ** 15n,
          refs.map((r) => [r.chainId, r.txHash]),
        );
    });

    it("stores Completed keeping the claim's solver and times; the reported gas is in the event only", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      const claim = await f.verifier.getIntent(id);
      const maxGas = 2n ** 40n - 1n;
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ gasUsed: maxGas })))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, f.solver.address, anyValue, maxGas, anyValue, []);
      const record = await f.verifier.getIntent(id);
      expect(record.status).to.equal(IntentStatus.Completed);
      expect(record.claimDeadline).to.equal(claim.claimDeadline);
      expect(record.claimedAt).to.equal(claim.claimedAt);
      expect(record.solver).to.equal(f.solver.address);
      expect(record.intentType).to.equal(BigInt(INTENT_TYPE_TRANSFER));
      expect(record.expiry).to.equal(intent.expiry);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Completed);
    });

    it("reports the success to the registry", async function () {
      const intent = await f.transferIntent();
      await f.claimed(intent);
      await f.verifier.connect(f.solver).fulfill(intent, fulfillment({ gasUsed: 90_000n, totalCost: 12_345n }));
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.activeClaims).to.equal(0n);
      expect(info.completed).to.equal(1n);
    });

    describe("latency score", function () {
      // Sample = 5,000 + 5,000 * secondsLeft / claimTtl; score' = (7 * 5,000 + sample) >> 3.
      it("samples 7,500 for a fill halfway through the claim window", async function () {
        const intent = await f.transferIntent();
        const claimAt = (await f.latest()) + 10n;
        await claimedAt(intent, claimAt);
        await atTime(networkHelpers, claimAt + 300n);
        await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
        expect(await f.registry.performanceScore(f.solver.address)).to.equal((35_000n + 7_500n) >> 3n);
      });

      it("samples 5,000 for a fill at the deadline", async function () {
        const intent = await f.transferIntent();
        const { deadline } = await claimedAt(intent, (await f.latest()) + 10n);
        await atTime(networkHelpers, deadline);
        await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
        expect(await f.registry.performanceScore(f.solver.address)).to.equal(5_000n);
      });

      it("measures the sample over the claim's own window, whatever the claim window became later", async function () {
        const intent = await f.transferIntent();
        const claimAt = (await f.latest()) + 10n;
        await claimedAt(intent, claimAt);
        await f.verifier.setTimings(DEFAULTS.maxTtl, 60n);
        await atTime(networkHelpers, claimAt + 300n);
        // 300 s left of the claim's 600 s window: 7,500, not a capped 10,000.
        await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
        expect(await f.registry.performanceScore(f.solver.address)).to.equal((35_000n + 7_500n) >> 3n);
      });
    });
  });

  describe("fail", function () {
    it("rejects an intent that is not executing with InvalidStatus", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await expect(f.verifier.fail(intent))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.Pending);
    });

    it("rejects a failure at or before the claim deadline with ClaimStillValid", async function () {
      const intent = await f.transferIntent();
      const { id, deadline } = await claimedAt(intent, (await f.latest()) + 10n);
      await expect(f.verifier.connect(f.stranger).fail(intent))
        .to.be.revertedWithCustomError(f.verifier, "ClaimStillValid")
        .withArgs(id, deadline);
      await atTime(networkHelpers, deadline);
      await expect(f.verifier.connect(f.stranger).fail(intent))
        .to.be.revertedWithCustomError(f.verifier, "ClaimStillValid")
        .withArgs(id, deadline);
    });

    it("requeues the intent to Pending before its expiry and slashes the solver for the user", async function () {
      const intent = await f.transferIntent();
      const { id, deadline } = await claimedAt(intent, (await f.latest()) + 10n);
      const slash = MIN_BOND / 10n;
      await atTime(networkHelpers, deadline + 1n);
      const tx = f.verifier.connect(f.stranger).fail(intent);
      await expect(tx).to.emit(f.verifier, "ClaimFailed").withArgs(id, f.user.address, f.solver.address, true);
      await expect(tx)
        .to.emit(f.registry, "SolverSlashed")
        .withArgs(f.solver.address, f.user.address, slash, 0n, MIN_BOND - slash);

      const record = await f.verifier.getIntent(id);
      expect(record.status).to.equal(IntentStatus.Pending);
      // The lapsed claim stays on record (the claim fields always describe the latest claim);
      // its deadline has passed, so it holds nobody back.
      expect(record.solver).to.equal(f.solver.address);
      expect(record.claimDeadline).to.equal(deadline);
      expect(record.requeued).to.equal(false);
      expect(record.intentType).to.equal(BigInt(INTENT_TYPE_TRANSFER));
      expect(record.expiry).to.equal(intent.expiry);
      // Credited to the user, locked for the unbonding period.
      expect((await f.registry.creditOf(f.user.address)).amount).to.equal(slash);
      expect(await f.stakeToken.balanceOf(f.user.address)).to.equal(0n);
      const info = await f.registry.getSolver(f.solver.address);
      expect(info.failed).to.equal(1n);
      expect(info.activeClaims).to.equal(0n);
      expect(info.bond).to.equal(MIN_BOND - slash);
    });

    it("lets another solver claim and fulfil a requeued intent", async function () {
      await f.registerSolver(f.otherSolver);
      const intent = await f.transferIntent();
      const { id, deadline } = await claimedAt(intent, (await f.latest()) + 10n);
      await atTime(networkHelpers, deadline + 1n);
      await f.verifier.fail(intent);
      await atTime(networkHelpers, deadline + 2n);
      await expect(f.verifier.connect(f.otherSolver).claim(id))
        .to.emit(f.verifier, "IntentClaimed")
        .withArgs(id, f.otherSolver.address, deadline + 2n + DEFAULTS.claimTtl);
      await expect(f.verifier.connect(f.otherSolver).fulfill(intent, fulfillment()))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, f.otherSolver.address, TRANSFER_AMOUNT, 0n, 0n, []);
    });

    it("fails the intent for good when the claim ends at or after its expiry", async function () {
      const claimAt = (await f.latest()) + 10n;
      const intent = await f.transferIntent({ expiry: claimAt + 300n });
      const { id, deadline } = await claimedAt(intent, claimAt);
      expect(deadline).to.equal(intent.expiry);
      await atTime(networkHelpers, deadline + 1n);
      await expect(f.verifier.fail(intent))
        .to.emit(f.verifier, "ClaimFailed")
        .withArgs(id, f.user.address, f.solver.address, false);
      const record = await f.verifier.getIntent(id);
      expect(record.status).to.equal(IntentStatus.Failed);
      expect(record.solver).to.equal(f.solver.address);
      expect(record.claimDeadline).to.equal(deadline);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Failed);
      expect((await f.registry.creditOf(f.user.address)).amount).to.equal(MIN_BOND / 10n);
    });

    it("requeues one second before the expiry and fails at the expiry", async function () {
      const claimAt = (await f.latest()) + 10n;
      // Claim deadline claimAt + 600; the expiry 100 s later.
      const early = await f.transferIntent({ expiry: claimAt + 700n });
      const late = await f.swapIntent({ expiry: claimAt + 700n });
      await f.submitted(early);
      await f.submitted(late);
      await atTime(networkHelpers, claimAt);
      await f.verifier.connect(f.solver).claim(f.idOf(early));
      await atTime(networkHelpers, claimAt + 1n);
      await f.verifier.connect(f.solver).claim(f.idOf(late));
      await atTime(networkHelpers, claimAt + 699n);
      await expect(f.verifier.fail(early))
        .to.emit(f.verifier, "ClaimFailed")
        .withArgs(f.idOf(early), f.user.address, f.solver.address, true);
      await atTime(networkHelpers, claimAt + 700n);
      await expect(f.verifier.fail(late))
        .to.emit(f.verifier, "ClaimFailed")
        .withArgs(f.idOf(late), f.user.address, f.solver.address, false);
    });
  });

  describe("cancel", function () {
    it("cancels a pending intent of the caller and emits IntentCancelled", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await expect(f.verifier.connect(f.user).cancel(intent))
        .to.emit(f.verifier, "IntentCancelled")
        .withArgs(id, f.user.address);
      const record = await f.verifier.getIntent(id);
      expect(record.status).to.equal(IntentStatus.Cancelled);
      expect(record.expiry).to.equal(intent.expiry);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Cancelled);
    });

    it("rejects anyone but the user with NotIntentUser", async function () {
      const intent = await f.transferIntent();
      await f.submitted(intent);
      await expect(f.verifier.connect(f.stranger).cancel(intent))
        .to.be.revertedWithCustomError(f.verifier, "NotIntentUser")
        .withArgs(f.stranger.address, f.user.address);
    });

    it("rejects an executing intent with InvalidStatus", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      await expect(f.verifier.connect(f.user).cancel(intent))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.Executing);
    });

    it("rejects an intent never submitted with InvalidStatus(None)", async function () {
      const intent = await f.transferIntent();
      await expect(f.verifier.connect(f.user).cancel(intent))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(f.idOf(intent), IntentStatus.None);
    });

    // Regression: cancel used to turn an intent statusOf already reported as Expired into Cancelled.
    it("does not cancel an intent that statusOf already reports as Expired", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await networkHelpers.time.increaseTo(intent.expiry);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Expired);
      await expect(f.verifier.connect(f.user).cancel(intent))
        .to.be.revertedWithCustomError(f.verifier, "IntentHasExpired")
        .withArgs(id, intent.expiry);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Expired);
    });
  });

  describe("expire", function () {
    it("rejects an intent before its expiry with IntentNotExpired", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await atTime(networkHelpers, intent.expiry - 1n);
      await expect(f.verifier.connect(f.stranger).expire(intent))
        .to.be.revertedWithCustomError(f.verifier, "IntentNotExpired")
        .withArgs(id, intent.expiry);
    });

    it("lets anyone expire a pending intent at its expiry and emits IntentExpired", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await atTime(networkHelpers, intent.expiry);
      await expect(f.verifier.connect(f.stranger).expire(intent))
        .to.emit(f.verifier, "IntentExpired")
        .withArgs(id, f.user.address);
      expect((await f.verifier.getIntent(id)).status).to.equal(IntentStatus.Expired);
    });

    it("rejects an executing intent past its expiry with InvalidStatus (it must be failed)", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      await atTime(networkHelpers, intent.expiry + 1n);
      await expect(f.verifier.expire(intent))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.Executing);
    });

    it("rejects an intent never submitted with InvalidStatus(None)", async function () {
      const intent = await f.transferIntent({ expiry: 1n });
      await expect(f.verifier.expire(intent))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(f.idOf(intent), IntentStatus.None);
    });

    it("statusOf reports a pending intent past its expiry as Expired before expire is called", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      await networkHelpers.time.increaseTo(intent.expiry - 1n);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Pending);
      await networkHelpers.time.increaseTo(intent.expiry);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Expired);
      expect((await f.verifier.getIntent(id)).status).to.equal(IntentStatus.Pending);
    });

    it("statusOf keeps reporting an executing intent past its expiry as Executing", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      await networkHelpers.time.increaseTo(intent.expiry + 1n);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Executing);
    });
  });

  describe("terminal states", function () {
    /** Drives a fresh intent into `status` and returns it with its id. */
    async function intentIn(status: bigint): Promise<{ intent: Intent; id: string }> {
      const now = await f.latest();
      const intent = await f.transferIntent({ expiry: now + 1_000n });
      const id = await f.submitted(intent);
      if (status === IntentStatus.Cancelled) {
        await f.verifier.connect(f.user).cancel(intent);
      } else if (status === IntentStatus.Expired) {
        await atTime(networkHelpers, intent.expiry);
        await f.verifier.expire(intent);
      } else {
        await f.verifier.connect(f.solver).claim(id);
        if (status === IntentStatus.Completed) {
          await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
        } else {
          await atTime(networkHelpers, intent.expiry + 1n);
          await f.verifier.fail(intent);
        }
      }
      expect((await f.verifier.getIntent(id)).status).to.equal(status);
      return { intent, id };
    }

    for (const [name, status] of [
      ["Completed", IntentStatus.Completed],
      ["Failed", IntentStatus.Failed],
      ["Expired", IntentStatus.Expired],
      ["Cancelled", IntentStatus.Cancelled],
    ] as const) {
      it(`rejects claim, fulfill, fail, cancel and expire of a ${name} intent with InvalidStatus`, async function () {
        const { intent, id } = await intentIn(status);
        await expect(f.verifier.connect(f.solver).claim(id))
          .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
          .withArgs(id, status);
        await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
          .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
          .withArgs(id, status);
        await expect(f.verifier.connect(f.stranger).fail(intent))
          .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
          .withArgs(id, status);
        await expect(f.verifier.connect(f.user).cancel(intent))
          .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
          .withArgs(id, status);
        await expect(f.verifier.connect(f.stranger).expire(intent))
          .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
          .withArgs(id, status);
        expect(await f.verifier.statusOf(id)).to.equal(status);
      });
    }

    it("keeps a completed intent's id unusable for a resubmission", async function () {
      const { intent } = await intentIn(IntentStatus.Completed);
      await expect(f.verifier.connect(f.user).submit(intent)).to.be.revertedWithCustomError(f.verifier, "InvalidNonce");
    });
  });
});
