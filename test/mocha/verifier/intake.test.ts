// Intake of IntentVerifier: the structure, type-specific and business stages, the order in which
// the stages run, and what an accepted submission records.
import { expect } from "chai";
import { ZeroAddress, keccak256 } from "ethers";
import { network } from "hardhat";

import { IntentStatus, encodeSwap, encodeTransfer } from "../../../scripts/lib/intents.js";
import {
  DEFAULTS,
  E18,
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  SWAP_AMOUNT_IN,
  type System,
  TRANSFER_AMOUNT,
  atTime,
  loadSystem,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("IntentVerifier intake", function () {
  let f: System;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
  });

  async function plugValidator(intentType: number) {
    const validator = await ethers.deployContract("MockIntentValidator", [intentType]);
    await f.verifier.setValidator(intentType, await validator.getAddress());
    return validator;
  }

  describe("stage 1: structure", function () {
    it("rejects an intent without a user with ZeroUser", async function () {
      const intent = await f.transferIntent({ user: ZeroAddress });
      await expect(f.verifier.connect(f.user).submit(intent)).to.be.revertedWithCustomError(f.verifier, "ZeroUser");
    });

    it("rejects an expiry equal to the block time with ExpiryInPast", async function () {
      const now = (await f.latest()) + 10n;
      const intent = await f.transferIntent({ expiry: now });
      await atTime(networkHelpers, now);
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "ExpiryInPast")
        .withArgs(now);
    });

    it("rejects an expiry before the block time with ExpiryInPast", async function () {
      const expiry = (await f.latest()) - 100n;
      const intent = await f.transferIntent({ expiry });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "ExpiryInPast")
        .withArgs(expiry);
    });

    it("rejects an expiry beyond now + maxTtl with ExpiryTooFar and accepts exactly now + maxTtl", async function () {
      const now = (await f.latest()) + 10n;
      const tooFar = await f.transferIntent({
        nonce: 0n,
        expiry: now + DEFAULTS.maxTtl + 1n,
      });
      await atTime(networkHelpers, now);
      await expect(f.verifier.connect(f.user).submit(tooFar))
        .to.be.revertedWithCustomError(f.verifier, "ExpiryTooFar")
        .withArgs(now + DEFAULTS.maxTtl + 1n, now + DEFAULTS.maxTtl);

      const atLimit = await f.transferIntent({
        nonce: 0n,
        expiry: now + 1n + DEFAULTS.maxTtl,
      });
      await atTime(networkHelpers, now + 1n);
      await expect(f.verifier.connect(f.user).submit(atLimit)).to.emit(f.verifier, "IntentSubmitted");
    });

    for (const intentType of [0, 3, 7, 8, 9, 255]) {
      it(`rejects intent type ${intentType} with UnknownIntentType`, async function () {
        const intent = await f.transferIntent({ intentType });
        await expect(f.verifier.connect(f.user).submit(intent))
          .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
          .withArgs(intentType);
      });
    }

    it("does not take the validator flag of type 1 (bit 9) for an enabled type 9", async function () {
      // Bit 9 of the type flags is the "validator plugged" flag of type 1.
      await plugValidator(INTENT_TYPE_TRANSFER);
      expect(await f.verifier.isIntentTypeEnabled(9)).to.equal(false);
      const intent = await f.transferIntent({ intentType: 9 });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
        .withArgs(9);
    });

    it("rejects a disabled type with UnknownIntentType and keeps the other type open", async function () {
      await f.verifier.setIntentTypeEnabled(INTENT_TYPE_TRANSFER, false);
      const transfer = await f.transferIntent({ nonce: 0n });
      await expect(f.verifier.connect(f.user).submit(transfer))
        .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
        .withArgs(INTENT_TYPE_TRANSFER);
      await expect(f.verifier.connect(f.user).submit(await f.swapIntent({ nonce: 0n }))).to.emit(
        f.verifier,
        "IntentSubmitted",
      );

      await f.verifier.setIntentTypeEnabled(INTENT_TYPE_TRANSFER, true);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 1n }))).to.emit(
        f.verifier,
        "IntentSubmitted",
      );
    });
  });

  describe("stage 2: transfer rules", function () {
    it("rejects params of the wrong length with MalformedParams", async function () {
      const good = encodeTransfer(f.usdcAddress, TRANSFER_AMOUNT, f.recipient.address);
      for (const params of ["0x", good.slice(0, -2), good + "00".repeat(32)]) {
        const intent = await f.transferIntent({ nonce: 0n, params });
        await expect(f.verifier.connect(f.user).submit(intent))
          .to.be.revertedWithCustomError(f.verifier, "MalformedParams")
          .withArgs((params.length - 2) / 2, 96);
      }
    });

    it("rejects a zero token or recipient with ZeroAddressParam", async function () {
      const zeroToken = await f.transferIntent({
        params: encodeTransfer(ZeroAddress, 1n, f.recipient.address),
      });
      await expect(f.verifier.connect(f.user).submit(zeroToken))
        .to.be.revertedWithCustomError(f.verifier, "ZeroAddressParam")
        .withArgs(0);
      const zeroRecipient = await f.transferIntent({
        params: encodeTransfer(f.usdcAddress, 1n, ZeroAddress),
      });
      await expect(f.verifier.connect(f.user).submit(zeroRecipient))
        .to.be.revertedWithCustomError(f.verifier, "ZeroAddressParam")
        .withArgs(2);
    });

    it("rejects a transfer to its own user with RecipientIsUser (it could never be fulfilled)", async function () {
      const intent = await f.transferIntent({
        params: encodeTransfer(f.usdcAddress, 1n, f.user.address),
      });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "RecipientIsUser")
        .withArgs(f.user.address);
    });

    it("rejects a zero amount with ZeroAmountParam", async function () {
      const intent = await f.transferIntent({
        params: encodeTransfer(f.usdcAddress, 0n, f.recipient.address),
      });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "ZeroAmountParam")
        .withArgs(1);
    });
  });

  describe("stage 2: swap rules", function () {
    function swapParams(overrides: Partial<Record<"tokenIn" | "tokenOut" | "recipient", string>>, amounts = [1n, 1n]) {
      return encodeSwap(
        overrides.tokenIn ?? f.wethAddress,
        amounts[0],
        overrides.tokenOut ?? f.usdcAddress,
        amounts[1],
        overrides.recipient ?? f.recipient.address,
      );
    }

    it("rejects transfer-shaped params with MalformedParams(96, 160)", async function () {
      const intent = await f.swapIntent({
        params: encodeTransfer(f.wethAddress, 1n, f.recipient.address),
      });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "MalformedParams")
        .withArgs(96, 160);
    });

    for (const [field, word] of [
      ["tokenIn", 0],
      ["tokenOut", 2],
      ["recipient", 4],
    ] as const) {
      it(`rejects a zero ${field} with ZeroAddressParam(${word})`, async function () {
        const intent = await f.swapIntent({
          params: swapParams({ [field]: ZeroAddress }),
        });
        await expect(f.verifier.connect(f.user).submit(intent))
          .to.be.revertedWithCustomError(f.verifier, "ZeroAddressParam")
          .withArgs(word);
      });
    }

    it("rejects the same token in and out with SameToken", async function () {
      const intent = await f.swapIntent({
        params: swapParams({ tokenOut: f.wethAddress }),
      });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "SameToken")
        .withArgs(f.wethAddress);
    });

    it("rejects a zero amountIn or minAmountOut with ZeroAmountParam", async function () {
      const noIn = await f.swapIntent({ params: swapParams({}, [0n, 1n]) });
      await expect(f.verifier.connect(f.user).submit(noIn))
        .to.be.revertedWithCustomError(f.verifier, "ZeroAmountParam")
        .withArgs(1);
      const noOut = await f.swapIntent({ params: swapParams({}, [1n, 0n]) });
      await expect(f.verifier.connect(f.user).submit(noOut))
        .to.be.revertedWithCustomError(f.verifier, "ZeroAmountParam")
        .withArgs(3);
    });
  });

  describe("stage 2: pluggable validator", function () {
    it("runs the type's validator on the params and surfaces its error", async function () {
      const validator = await plugValidator(INTENT_TYPE_TRANSFER);
      await validator.setRejections(f.user.address, ZeroAddress);
      const intent = await f.transferIntent();
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(validator, "ParamsRejected")
        .withArgs(f.user.address, keccak256(intent.params));
    });

    it("admits users the validator does not reject", async function () {
      const validator = await plugValidator(INTENT_TYPE_TRANSFER);
      await validator.setRejections(f.stranger.address, ZeroAddress);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent())).to.emit(f.verifier, "IntentSubmitted");
    });

    it("applies a validator only to its own type", async function () {
      const validator = await plugValidator(INTENT_TYPE_TRANSFER);
      await validator.setRejections(f.user.address, f.user.address);
      await expect(f.verifier.connect(f.user).submit(await f.swapIntent())).to.emit(f.verifier, "IntentSubmitted");
    });

    it("stops calling a validator once it is removed", async function () {
      const validator = await plugValidator(INTENT_TYPE_TRANSFER);
      await validator.setRejections(f.user.address, f.user.address);
      await f.verifier.setValidator(INTENT_TYPE_TRANSFER, ZeroAddress);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent())).to.emit(f.verifier, "IntentSubmitted");
    });
  });

  describe("stage 4: business rules", function () {
    it("rejects a token without a policy with TokenNotAllowed", async function () {
      const token = await ethers.deployContract("MockERC20", ["Other", "OTH"]);
      const tokenAddress = await token.getAddress();
      const intent = await f.transferIntent({
        params: encodeTransfer(tokenAddress, 1n, f.recipient.address),
      });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "TokenNotAllowed")
        .withArgs(INTENT_TYPE_TRANSFER, tokenAddress);
    });

    it("rejects a token whose policy was switched off, per intent type", async function () {
      await f.verifier.setTokenPolicy(INTENT_TYPE_SWAP, f.wethAddress, false, 1n, 1_000n * E18);
      await expect(f.verifier.connect(f.user).submit(await f.swapIntent({ nonce: 0n })))
        .to.be.revertedWithCustomError(f.verifier, "TokenNotAllowed")
        .withArgs(INTENT_TYPE_SWAP, f.wethAddress);
      // The transfer policy of the same token is separate.
      const transfer = await f.transferIntent({
        nonce: 0n,
        params: encodeTransfer(f.wethAddress, E18, f.recipient.address),
      });
      await expect(f.verifier.connect(f.user).submit(transfer)).to.emit(f.verifier, "IntentSubmitted");
    });

    it("rejects a swap whose output token is not allowed with TokenNotAllowed", async function () {
      const token = await ethers.deployContract("MockERC20", ["Other", "OTH"]);
      const tokenAddress = await token.getAddress();
      const params = encodeSwap(f.wethAddress, E18, tokenAddress, 1n, f.recipient.address);
      await expect(f.verifier.connect(f.user).submit(await f.swapIntent({ params })))
        .to.be.revertedWithCustomError(f.verifier, "TokenNotAllowed")
        .withArgs(INTENT_TYPE_SWAP, tokenAddress);
    });

    it("rejects amounts outside the policy bounds with AmountOutOfBounds and accepts both bounds", async function () {
      const [min, max] = [10n * E18, 50n * E18];
      await f.verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, f.usdcAddress, true, min, max);
      const withAmount = (amount: bigint, nonce: bigint) =>
        f.transferIntent({
          nonce,
          params: encodeTransfer(f.usdcAddress, amount, f.recipient.address),
        });

      await expect(f.verifier.connect(f.user).submit(await withAmount(min - 1n, 0n)))
        .to.be.revertedWithCustomError(f.verifier, "AmountOutOfBounds")
        .withArgs(f.usdcAddress, min - 1n, min, max);
      await expect(f.verifier.connect(f.user).submit(await withAmount(max + 1n, 0n)))
        .to.be.revertedWithCustomError(f.verifier, "AmountOutOfBounds")
        .withArgs(f.usdcAddress, max + 1n, min, max);
      await expect(f.verifier.connect(f.user).submit(await withAmount(min, 0n))).to.emit(f.verifier, "IntentSubmitted");
      await expect(f.verifier.connect(f.user).submit(await withAmount(max, 1n))).to.emit(f.verifier, "IntentSubmitted");
    });

    it("bounds a swap's amountIn but not its minAmountOut", async function () {
      await f.verifier.setTokenPolicy(INTENT_TYPE_SWAP, f.wethAddress, true, 1n, SWAP_AMOUNT_IN);
      const tooMuch = encodeSwap(f.wethAddress, SWAP_AMOUNT_IN + 1n, f.usdcAddress, 1n, f.recipient.address);
      await expect(f.verifier.connect(f.user).submit(await f.swapIntent({ nonce: 0n, params: tooMuch })))
        .to.be.revertedWithCustomError(f.verifier, "AmountOutOfBounds")
        .withArgs(f.wethAddress, SWAP_AMOUNT_IN + 1n, 1n, SWAP_AMOUNT_IN);
      // USDC's swap policy caps amounts at 1,000,000 USDC; as the output token only "allowed" counts.
      const hugeOut = encodeSwap(f.wethAddress, SWAP_AMOUNT_IN, f.usdcAddress, 10n ** 30n, f.recipient.address);
      await expect(f.verifier.connect(f.user).submit(await f.swapIntent({ nonce: 0n, params: hugeOut }))).to.emit(
        f.verifier,
        "IntentSubmitted",
      );
    });

    it("runs the validator's business rules after the token policy and surfaces its error", async function () {
      const validator = await plugValidator(INTENT_TYPE_SWAP);
      await validator.setRejections(ZeroAddress, f.user.address);
      const intent = await f.swapIntent();
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(validator, "BusinessRuleRejected")
        .withArgs(f.user.address, keccak256(intent.params));
    });
  });

  describe("stage order", function () {
    it("checks the user before the expiry", async function () {
      const intent = await f.transferIntent({ user: ZeroAddress, expiry: 1n });
      await expect(f.verifier.connect(f.user).submit(intent)).to.be.revertedWithCustomError(f.verifier, "ZeroUser");
    });

    it("checks the expiry before the type", async function () {
      const intent = await f.transferIntent({ expiry: 1n, intentType: 0 });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "ExpiryInPast")
        .withArgs(1n);
    });

    it("checks the structure before the type rules", async function () {
      const intent = await f.transferIntent({ intentType: 3, params: "0x" });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
        .withArgs(3);
    });

    it("runs the built-in type rules before the pluggable validator", async function () {
      const validator = await plugValidator(INTENT_TYPE_TRANSFER);
      await validator.setRejections(f.user.address, f.user.address);
      const intent = await f.transferIntent({ params: "0x1234" });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "MalformedParams")
        .withArgs(2, 96);
    });

    it("runs the pluggable type checks before the security stage", async function () {
      const validator = await plugValidator(INTENT_TYPE_TRANSFER);
      await validator.setRejections(f.user.address, ZeroAddress);
      const intent = await f.transferIntent();
      // Relayed without a signature: the security stage would say NotIntentUser.
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, "0x")).to.be.revertedWithCustomError(
        validator,
        "ParamsRejected",
      );
    });

    it("runs the security stage before the business rules", async function () {
      const token = await ethers.deployContract("MockERC20", ["Other", "OTH"]);
      const params = encodeTransfer(await token.getAddress(), 1n, f.recipient.address);
      const intent = await f.transferIntent({ nonce: 7n, params });
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, 0n, 7n);
    });

    it("checks the token policy before the validator's business rules", async function () {
      const validator = await plugValidator(INTENT_TYPE_TRANSFER);
      await validator.setRejections(ZeroAddress, f.user.address);
      const params = encodeTransfer(f.usdcAddress, 10n ** 40n, f.recipient.address);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ params }))).to.be.revertedWithCustomError(
        f.verifier,
        "AmountOutOfBounds",
      );
    });

    it("checks rate limits last: an exhausted user still gets the business-rule error", async function () {
      await f.verifier.setUserRateLimit(1, 3600);
      await f.submitted(await f.transferIntent());
      const params = encodeTransfer(f.usdcAddress, 10n ** 40n, f.recipient.address);
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent({ params }))).to.be.revertedWithCustomError(
        f.verifier,
        "AmountOutOfBounds",
      );
      await expect(
        f.verifier.connect(f.user).submit(await f.transferIntent({ nonce: 1n })),
      ).to.be.revertedWithCustomError(f.verifier, "RateLimited");
    });
  });

  describe("accepted submissions", function () {
    it("emits IntentSubmitted with every field and returns the id", async function () {
      const intent = await f.swapIntent();
      const id = f.idOf(intent);
      expect(await f.verifier.connect(f.user).submit.staticCall(intent)).to.equal(id);
      await expect(f.verifier.connect(f.user).submit(intent))
        .to.emit(f.verifier, "IntentSubmitted")
        .withArgs(id, f.user.address, INTENT_TYPE_SWAP, intent.nonce, intent.expiry, intent.params);
    });

    it("stores a Pending record with the type and expiry and nothing else", async function () {
      const intent = await f.transferIntent();
      const id = await f.submitted(intent);
      const record = await f.verifier.getIntent(id);
      expect(record.status).to.equal(IntentStatus.Pending);
      expect(record.intentType).to.equal(BigInt(INTENT_TYPE_TRANSFER));
      expect(record.expiry).to.equal(intent.expiry);
      expect(record.claimDeadline).to.equal(0n);
      expect(record.claimedAt).to.equal(0n);
      expect(record.requeued).to.equal(false);
      expect(record.solver).to.equal(ZeroAddress);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Pending);
    });

    it("increments the user's nonce with every submission and only the user's", async function () {
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(0n);
      await f.submitted(await f.transferIntent());
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(1n);
      await f.submitted(await f.swapIntent());
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(2n);
      expect(await f.verifier.nextNonce(f.stranger.address)).to.equal(0n);
    });

    it("does not check the user's balance or allowance at intake", async function () {
      // stranger holds no tokens and approved nothing.
      const intent = await f.transferIntent({
        user: f.stranger.address,
        nonce: 0n,
      });
      await expect(f.verifier.connect(f.stranger).submit(intent)).to.emit(f.verifier, "IntentSubmitted");
    });
  });
});
