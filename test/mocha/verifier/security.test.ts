// Stage 3 of intake: who may submit, signatures (EIP-712 and ERC-1271) and their binding to this
// chain and this verifier, nonces and their invalidation, blocked users.
import { expect } from "chai";
import { network } from "hardhat";

import { IntentStatus, type Intent, signIntent } from "../../../scripts/lib/intents.js";
import { INTENT_TYPE_TRANSFER, type System, TRANSFER_AMOUNT, loadSystem } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const MAX_UINT64 = 2n ** 64n - 1n;

describe("IntentVerifier intake security", function () {
  let f: System;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
  });

  describe("who submits", function () {
    it("rejects a direct submission by anyone but the user with NotIntentUser", async function () {
      const intent = await f.transferIntent();
      await expect(f.verifier.connect(f.stranger).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "NotIntentUser")
        .withArgs(f.stranger.address, f.user.address);
    });

    it("rejects a relayed submission without a signature with NotIntentUser", async function () {
      const intent = await f.transferIntent();
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, "0x"))
        .to.be.revertedWithCustomError(f.verifier, "NotIntentUser")
        .withArgs(f.relayer.address, f.user.address);
    });

    it("accepts a relayed submission signed by the user and records the user", async function () {
      const intent = await f.transferIntent();
      const signature = await f.sign(f.user, intent);
      const id = f.idOf(intent);
      expect(await f.verifier.connect(f.relayer).submitWithSignature.staticCall(intent, signature)).to.equal(id);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.emit(f.verifier, "IntentSubmitted")
        .withArgs(id, f.user.address, INTENT_TYPE_TRANSFER, intent.nonce, intent.expiry, intent.params);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Pending);
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(1n);
    });

    it("does not check the signature when the user submits through submitWithSignature", async function () {
      const intent = await f.transferIntent();
      await expect(f.verifier.connect(f.user).submitWithSignature(intent, "0xdeadbeef")).to.emit(
        f.verifier,
        "IntentSubmitted",
      );
    });
  });

  describe("EIP-712 signatures", function () {
    it("rejects a signature by someone other than the user with InvalidSignature", async function () {
      const intent = await f.transferIntent();
      const signature = await f.sign(f.stranger, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(f.user.address);
    });

    it("rejects a signature over different params (tampered after signing)", async function () {
      const intent = await f.transferIntent();
      const signature = await f.sign(f.user, intent);
      const tampered: Intent = { ...intent, expiry: intent.expiry + 1n };
      await expect(f.verifier.connect(f.relayer).submitWithSignature(tampered, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(f.user.address);
    });

    it("rejects malformed signatures with InvalidSignature", async function () {
      const intent = await f.transferIntent();
      const signature = await f.sign(f.user, intent);
      for (const bad of ["0x1234", signature.slice(0, -2), "0x" + "00".repeat(65)]) {
        await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, bad))
          .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
          .withArgs(f.user.address);
      }
    });

    it("rejects a signature made for another chain id (cross-chain replay)", async function () {
      const intent = await f.transferIntent();
      const signature = await signIntent(f.user, f.verifierAddress, f.chainId + 1n, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(f.user.address);
    });

    it("rejects a signature made for another verifier, and a signature for this one elsewhere", async function () {
      const other = await ethers.deployContract("IntentVerifier", [f.registryAddress, f.admin.address, 0n]);
      const otherAddress = await other.getAddress();
      await other.setTokenPolicy(INTENT_TYPE_TRANSFER, f.usdcAddress, true, 1n, TRANSFER_AMOUNT);
      const intent = await f.transferIntent();

      const forOther = await signIntent(f.user, otherAddress, f.chainId, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, forOther))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(f.user.address);

      // Replaying the signature accepted here on the other verifier fails too: the ids differ.
      const forThis = await f.sign(f.user, intent);
      await f.verifier.connect(f.relayer).submitWithSignature(intent, forThis);
      expect(await other.hashIntent(intent)).to.not.equal(f.idOf(intent));
      await expect(other.connect(f.relayer).submitWithSignature(intent, forThis))
        .to.be.revertedWithCustomError(other, "InvalidSignature")
        .withArgs(f.user.address);
      await expect(other.connect(f.relayer).submitWithSignature(intent, forOther)).to.emit(other, "IntentSubmitted");
    });
  });

  describe("ERC-1271 contract wallets", function () {
    async function walletIntent() {
      const wallet = await ethers.deployContract("ERC1271Wallet", [f.user.address]);
      const walletAddress = await wallet.getAddress();
      return {
        walletAddress,
        intent: await f.transferIntent({ user: walletAddress, nonce: 0n }),
      };
    }

    it("accepts an intent of a wallet signed by the wallet's owner", async function () {
      const { walletAddress, intent } = await walletIntent();
      const signature = await f.sign(f.user, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.emit(f.verifier, "IntentSubmitted")
        .withArgs(f.idOf(intent), walletAddress, INTENT_TYPE_TRANSFER, 0n, intent.expiry, intent.params);
      expect(await f.verifier.nextNonce(walletAddress)).to.equal(1n);
    });

    it("rejects an intent of a wallet signed by someone else with InvalidSignature", async function () {
      const { walletAddress, intent } = await walletIntent();
      const signature = await f.sign(f.stranger, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(walletAddress);
    });

    it("does not let the wallet's owner submit the wallet's intent directly", async function () {
      const { walletAddress, intent } = await walletIntent();
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "NotIntentUser")
        .withArgs(f.user.address, walletAddress);
    });
  });

  describe("nonces", function () {
    it("rejects a nonce other than the next one with InvalidNonce", async function () {
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 1n })))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, 0n, 1n);
    });

    it("rejects a replay of a submitted signed intent with InvalidNonce", async function () {
      const intent = await f.transferIntent();
      const signature = await f.sign(f.user, intent);
      await f.verifier.connect(f.relayer).submitWithSignature(intent, signature);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, 1n, 0n);
    });

    it("invalidateNonces skips nonces, emits NoncesInvalidated and kills intents signed with them", async function () {
      const skipped = await f.transferIntent({ nonce: 2n });
      const signature = await f.sign(f.user, skipped);
      await expect(f.verifier.connect(f.user).invalidateNonces(5n))
        .to.emit(f.verifier, "NoncesInvalidated")
        .withArgs(f.user.address, 5n);
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(5n);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(skipped, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, 5n, 2n);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 5n }))).to.emit(
        f.verifier,
        "IntentSubmitted",
      );
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(6n);
    });

    it("invalidateNonces only moves forward (NonceNotIncreasing)", async function () {
      await expect(f.verifier.connect(f.user).invalidateNonces(0n))
        .to.be.revertedWithCustomError(f.verifier, "NonceNotIncreasing")
        .withArgs(0n, 0n);
      await f.verifier.connect(f.user).invalidateNonces(5n);
      for (const given of [5n, 4n]) {
        await expect(f.verifier.connect(f.user).invalidateNonces(given))
          .to.be.revertedWithCustomError(f.verifier, "NonceNotIncreasing")
          .withArgs(5n, given);
      }
    });

    it("invalidateNonces touches only the caller's nonce, not its other account fields", async function () {
      await f.verifier.setRateLimitExempt(f.user.address, true);
      await f.submitted(await f.transferIntent());
      await f.verifier.connect(f.user).invalidateNonces(10n);
      expect(await f.verifier.nextNonce(f.stranger.address)).to.equal(0n);
      expect(await f.verifier.isRateLimitExempt(f.user.address)).to.equal(true);
      expect(await f.verifier.isBlocked(f.user.address)).to.equal(false);
    });

    // Regression: an unchecked increment of nonce 2^64 - 1 used to carry into the blocked flag
    // and restart the nonce at 0, reviving invalidated signatures.
    it("never wraps the nonce counter into the blocked flag or revives invalidated nonces", async function () {
      const invalidated = await f.transferIntent({ nonce: 0n });
      const signature = await f.sign(f.user, invalidated);
      await f.verifier.connect(f.user).invalidateNonces(5n);
      // 2^64 - 1 retires the account's nonces: accepted as a next nonce, never as an intent's.
      await f.verifier.connect(f.user).invalidateNonces(MAX_UINT64);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: MAX_UINT64 })))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, MAX_UINT64, MAX_UINT64);
      expect(await f.verifier.isBlocked(f.user.address)).to.equal(false);
      await expect(
        f.verifier.connect(f.relayer).submitWithSignature(invalidated, signature),
      ).to.be.revertedWithCustomError(f.verifier, "InvalidNonce");
    });
  });

  describe("blocked users", function () {
    it("rejects a blocked user's submissions, direct and relayed, with UserBlocked", async function () {
      await f.verifier.setUserBlocked(f.user.address, true);
      const intent = await f.transferIntent();
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "UserBlocked")
        .withArgs(f.user.address);
      const signature = await f.sign(f.user, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.be.revertedWithCustomError(f.verifier, "UserBlocked")
        .withArgs(f.user.address);
    });

    it("accepts the user again once unblocked", async function () {
      await f.verifier.setUserBlocked(f.user.address, true);
      await f.verifier.setUserBlocked(f.user.address, false);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent())).to.emit(f.verifier, "IntentSubmitted");
    });

    it("checks the signature before the block list", async function () {
      await f.verifier.setUserBlocked(f.user.address, true);
      const intent = await f.transferIntent();
      const signature = await f.sign(f.stranger, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(f.user.address);
    });

    it("checks the block list before the nonce", async function () {
      await f.verifier.setUserBlocked(f.user.address, true);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 9n })))
        .to.be.revertedWithCustomError(f.verifier, "UserBlocked")
        .withArgs(f.user.address);
    });

    it("blocks intents of a blocked user, not relaying by a blocked address", async function () {
      await f.verifier.setUserBlocked(f.relayer.address, true);
      const intent = await f.transferIntent();
      const signature = await f.sign(f.user, intent);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature)).to.emit(
        f.verifier,
        "IntentSubmitted",
      );
      expect(await f.verifier.isBlocked(f.relayer.address)).to.equal(true);
      expect(await f.verifier.isBlocked(f.user.address)).to.equal(false);
    });
  });
});
