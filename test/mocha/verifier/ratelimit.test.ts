// Submission rate limits: the per-user and the global bucket, exempt relayers, and the
// rateLimitStatus view. Blocks may share a timestamp here, so bursts happen "at once".
import { expect } from "chai";
import { network } from "hardhat";

import { DEFAULTS, type System, atTime, loadSystem } from "./helpers.js";

const { ethers, networkHelpers } = await network.create({
  override: { allowBlocksWithSameTimestamp: true },
});

/** Bucket arithmetic of RateLimit: each action adds `window` units, `limit` units drain per second. */
function retryAfter(usedUnits: bigint, limit: bigint, window: bigint): bigint {
  const excess = usedUnits + window - limit * window;
  return (excess + limit - 1n) / limit;
}

describe("IntentVerifier rate limits", function () {
  let f: System;
  let t0: bigint;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
    t0 = (await f.latest()) + 100n;
  });

  /** Submits `count` intents of the user, all at `timestamp`. */
  async function burst(count: number, timestamp: bigint) {
    for (let i = 0; i < count; i++) {
      await atTime(networkHelpers, timestamp);
      await f.verifier.connect(f.user).submit(await f.transferIntent());
    }
  }

  describe("user bucket", function () {
    it("admits 50 intents at once and rejects the 51st with retryAfter 18 s", async function () {
      await burst(50, t0);
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(50n);
      // 50 * 900 units used of 45,000; the next 900 units drain at 50 per second: 18 s.
      const expected = retryAfter(DEFAULTS.userLimit * DEFAULTS.userWindow, DEFAULTS.userLimit, DEFAULTS.userWindow);
      expect(expected).to.equal(18n);
      await atTime(networkHelpers, t0);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 50n })))
        .to.be.revertedWithCustomError(f.verifier, "RateLimited")
        .withArgs(await f.verifier.userBucketId(f.user.address), 18n);
    });

    it("admits the 51st intent exactly retryAfter seconds later, not one second earlier", async function () {
      await burst(50, t0);
      await atTime(networkHelpers, t0 + 17n);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 50n })))
        .to.be.revertedWithCustomError(f.verifier, "RateLimited")
        .withArgs(await f.verifier.userBucketId(f.user.address), 1n);
      await atTime(networkHelpers, t0 + 18n);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 50n }))).to.emit(
        f.verifier,
        "IntentSubmitted",
      );
    });

    it("keeps one bucket per user", async function () {
      await burst(50, t0);
      await atTime(networkHelpers, t0);
      const strangers = await f.transferIntent({
        user: f.stranger.address,
        nonce: 0n,
      });
      await expect(f.verifier.connect(f.stranger).submit(strangers)).to.emit(f.verifier, "IntentSubmitted");
    });

    it("charges relayed intents to the user's bucket, not the relayer's", async function () {
      const intent = await f.transferIntent();
      await atTime(networkHelpers, t0);
      await f.verifier.connect(f.relayer).submitWithSignature(intent, await f.sign(f.user, intent));
      const [userRemaining] = await f.verifier.rateLimitStatus(f.user.address);
      const [relayerRemaining] = await f.verifier.rateLimitStatus(f.relayer.address);
      expect(userRemaining).to.equal(DEFAULTS.userLimit - 1n);
      expect(relayerRemaining).to.equal(DEFAULTS.userLimit);
    });

    it("reads a bucket stored under a larger limit as full, not over-full", async function () {
      await burst(50, t0);
      await atTime(networkHelpers, t0);
      await f.verifier.setUserRateLimit(1, 900);
      // Stored: 45,000 units; the new capacity is 900, so the bucket reads as exactly full.
      const [remaining, retry, fullIn] = await f.verifier.rateLimitStatus(f.user.address);
      expect([remaining, retry, fullIn]).to.deep.equal([0n, 900n, 900n]);
    });

    // Regression: draining before clamping to the new capacity locked this user out for 12.25 h.
    it("refills within one window after the user limit was lowered", async function () {
      await burst(50, t0);
      await atTime(networkHelpers, t0);
      await f.verifier.setUserRateLimit(1, 900);
      await atTime(networkHelpers, t0 + 899n);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 50n })))
        .to.be.revertedWithCustomError(f.verifier, "RateLimited")
        .withArgs(await f.verifier.userBucketId(f.user.address), 1n);
      await atTime(networkHelpers, t0 + 900n);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 50n }))).to.emit(
        f.verifier,
        "IntentSubmitted",
      );
    });
  });

  describe("global bucket", function () {
    it("caps all users together and reports the global bucket id", async function () {
      await f.verifier.setGlobalRateLimit(3, 60);
      await burst(3, t0);
      // 3 * 60 units of 180 used; one more needs 60 units, drained at 3 per second: 20 s.
      await atTime(networkHelpers, t0);
      const strangers = await f.transferIntent({
        user: f.stranger.address,
        nonce: 0n,
      });
      await expect(f.verifier.connect(f.stranger).submit(strangers))
        .to.be.revertedWithCustomError(f.verifier, "RateLimited")
        .withArgs(await f.verifier.globalBucketId(), retryAfter(180n, 3n, 60n));
      expect(retryAfter(180n, 3n, 60n)).to.equal(20n);
      await atTime(networkHelpers, t0 + 20n);
      await expect(f.verifier.connect(f.stranger).submit(strangers)).to.emit(f.verifier, "IntentSubmitted");
    });

    it("checks the global bucket before the user bucket", async function () {
      await f.verifier.setGlobalRateLimit(1, 3600);
      await f.verifier.setUserRateLimit(1, 3600);
      await burst(1, t0);
      await atTime(networkHelpers, t0);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent()))
        .to.be.revertedWithCustomError(f.verifier, "RateLimited")
        .withArgs(await f.verifier.globalBucketId(), 3600n);
    });

    it("reports the user bucket when only the user's is empty", async function () {
      await f.verifier.setUserRateLimit(1, 3600);
      await burst(1, t0);
      await atTime(networkHelpers, t0 + 600n);
      // 3,600 units used, 600 drained: 3,000 + 3,600 exceeds 3,600 by 3,000 units, 1 per second.
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent()))
        .to.be.revertedWithCustomError(f.verifier, "RateLimited")
        .withArgs(await f.verifier.userBucketId(f.user.address), 3000n);
    });
  });

  describe("exempt relayers", function () {
    beforeEach(async function () {
      await f.verifier.setGlobalRateLimit(1, 3600);
      await f.verifier.setUserRateLimit(1, 3600);
      await burst(1, t0);
    });

    // The tests below act in the second of the last block: t0 may already lie behind it (a slow
    // machine mines the exemption a second after the burst), and the drained bucket takes an
    // hour to admit again either way.

    it("lets an exempt relayer bypass both buckets without spending them", async function () {
      await f.verifier.setRateLimitExempt(f.relayer.address, true);
      const before = await f.verifier.rateLimitStatus(f.user.address);
      for (let i = 0; i < 3; i++) {
        const intent = await f.transferIntent();
        await atTime(networkHelpers, await f.latest());
        await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, await f.sign(f.user, intent))).to.emit(
          f.verifier,
          "IntentSubmitted",
        );
      }
      expect(await f.verifier.rateLimitStatus(f.user.address)).to.deep.equal(before);
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(4n);
    });

    it("does not exempt a relayer whose exemption was revoked, nor the user submitting itself", async function () {
      await f.verifier.setRateLimitExempt(f.relayer.address, true);
      await f.verifier.setRateLimitExempt(f.relayer.address, false);
      const intent = await f.transferIntent();
      await atTime(networkHelpers, await f.latest());
      await expect(
        f.verifier.connect(f.relayer).submitWithSignature(intent, await f.sign(f.user, intent)),
      ).to.be.revertedWithCustomError(f.verifier, "RateLimited");
      await expect(f.verifier.connect(f.user).submit(intent)).to.be.revertedWithCustomError(f.verifier, "RateLimited");
    });

    it("exempts an exempt user submitting its own intents", async function () {
      await f.verifier.setRateLimitExempt(f.user.address, true);
      await atTime(networkHelpers, await f.latest());
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent())).to.emit(f.verifier, "IntentSubmitted");
    });

    it("does not extend a user's exemption to a relayer that is not exempt", async function () {
      await f.verifier.setRateLimitExempt(f.user.address, true);
      const intent = await f.transferIntent();
      await atTime(networkHelpers, await f.latest());
      await expect(
        f.verifier.connect(f.relayer).submitWithSignature(intent, await f.sign(f.user, intent)),
      ).to.be.revertedWithCustomError(f.verifier, "RateLimited");
    });
  });

  describe("rateLimitStatus", function () {
    it("reports full buckets before any submission", async function () {
      expect(await f.verifier.rateLimitStatus(f.user.address)).to.deep.equal([
        DEFAULTS.userLimit,
        0n,
        0n,
        DEFAULTS.globalLimit,
        0n,
        0n,
      ]);
    });

    it("reports remaining intents and refill times after a submission and as time passes", async function () {
      await burst(1, t0);
      // User: 900 units used of 45,000, draining 50/s. Global: 60 of 30,000, draining 500/s.
      expect(await f.verifier.rateLimitStatus(f.user.address)).to.deep.equal([49n, 0n, 18n, 499n, 0n, 1n]);
      await networkHelpers.time.increaseTo(t0 + 9n);
      // 450 user units left: (45,000 - 450) / 900 = 49 whole intents, full in 9 s; global drained.
      expect(await f.verifier.rateLimitStatus(f.user.address)).to.deep.equal([49n, 0n, 9n, 500n, 0n, 0n]);
      await networkHelpers.time.increaseTo(t0 + 18n);
      expect(await f.verifier.rateLimitStatus(f.user.address)).to.deep.equal([50n, 0n, 0n, 500n, 0n, 0n]);
    });

    it("reports retryAfter and fullIn of an empty user bucket", async function () {
      await burst(50, t0);
      const [remaining, retry, fullIn] = await f.verifier.rateLimitStatus(f.user.address);
      expect([remaining, retry, fullIn]).to.deep.equal([0n, 18n, 900n]);
    });

    it("reports retryAfter and fullIn of an empty global bucket", async function () {
      await f.verifier.setGlobalRateLimit(3, 60);
      await burst(3, t0);
      const status = await f.verifier.rateLimitStatus(f.stranger.address);
      expect(status).to.deep.equal([DEFAULTS.userLimit, 0n, 0n, 0n, 20n, 60n]);
    });
  });
});
