// The one-transaction mode: an active bonded solver settles a user's signed intent with `fill`.
// Same validation and outcome check as intake and fulfil, the nonce shared with the claim mode,
// no rate limits and no stored record; the solver's record counts the fill.
import { expect } from "chai";
import { network } from "hardhat";

import { IntentStatus, type Intent, encodeSwap, encodeTransfer } from "../../../scripts/lib/intents.js";
import {
  E18,
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  MAX_UINT256,
  REENTRANT_CALL_SELECTOR,
  SWAP_AMOUNT_IN,
  SWAP_MIN_OUT,
  type System,
  TRANSFER_AMOUNT,
  fulfillment,
  loadSystem,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const SOLVER_STATUS_EXITING = 2n;
const SOLVER_STATUS_SUSPENDED = 3n;
const SOLVER_STATUS_NONE = 0n;

describe("IntentVerifier fill (one-transaction signed mode)", function () {
  let f: System;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
  });

  async function signed(intent: Intent) {
    return { intent, signature: await f.sign(f.user, intent) };
  }

  describe("settles in one transaction", function () {
    it("moves the swap's tokens, checks the delta, spends the nonce and emits IntentFilled", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      const id = f.idOf(intent);
      const amountOut = SWAP_MIN_OUT + 5n * E18;
      const [returnedId, received] = await f.verifier.connect(f.solver).fill.staticCall(intent, signature, amountOut);
      expect(returnedId).to.equal(id);
      expect(received).to.equal(amountOut);

      const tx = f.verifier.connect(f.solver).fill(intent, signature, amountOut);
      await expect(tx)
        .to.emit(f.verifier, "IntentFilled")
        .withArgs(id, f.user.address, f.solver.address, INTENT_TYPE_SWAP, intent.nonce, intent.params, amountOut);
      await expect(tx).to.changeTokenBalances(ethers, f.weth, [f.user, f.solver], [-SWAP_AMOUNT_IN, SWAP_AMOUNT_IN]);
      await expect(tx).to.changeTokenBalances(ethers, f.usdc, [f.solver, f.recipient], [-amountOut, amountOut]);
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(intent.nonce + 1n);
    });

    it("settles a transfer from the user to the recipient", async function () {
      const { intent, signature } = await signed(await f.transferIntent());
      await expect(f.verifier.connect(f.solver).fill(intent, signature, 0n)).to.changeTokenBalances(
        ethers,
        f.usdc,
        [f.user, f.recipient, f.solver],
        [-TRANSFER_AMOUNT, TRANSFER_AMOUNT, 0n],
      );
    });

    it("stores no intent record and counts the fill on the solver's record alone", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      const before = await f.registry.getSolver(f.solver.address);
      await f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT);
      expect(await f.verifier.statusOf(f.idOf(intent))).to.equal(IntentStatus.None);
      const after = await f.registry.getSolver(f.solver.address);
      expect(after.filled).to.equal(before.filled + 1n);
      // A fill cannot lapse, so it leaves the claim-mode track record and the score alone.
      expect(after.completed).to.equal(before.completed);
      expect(after.performanceScoreBps).to.equal(before.performanceScoreBps);
      expect(after.activeClaims).to.equal(0n);
    });

    it("takes no submission quota: fills beyond the user's rate limit settle", async function () {
      await f.verifier.connect(f.admin).setUserRateLimit(1n, 900n);
      for (let i = 0; i < 3; i++) {
        const { intent, signature } = await signed(await f.transferIntent());
        await expect(f.verifier.connect(f.solver).fill(intent, signature, 0n)).to.emit(f.verifier, "IntentFilled");
      }
      // The bucket is untouched: a submission still fits.
      await expect(f.verifier.connect(f.user).submit(await f.transferIntent())).to.emit(f.verifier, "IntentSubmitted");
    });

    it("lets the user fill its own intent without a signature", async function () {
      await f.registerSolver(f.otherSolver);
      const intent = await f.transferIntent({ user: f.otherSolver.address });
      await expect(f.verifier.connect(f.otherSolver).fill(intent, "0x", 0n)).to.emit(f.verifier, "IntentFilled");
    });
  });

  describe("validates as intake does", function () {
    it("rejects a signature by someone else and a tampered intent with InvalidSignature", async function () {
      const intent = await f.swapIntent();
      const bySomeoneElse = await f.sign(f.stranger, intent);
      await expect(f.verifier.connect(f.solver).fill(intent, bySomeoneElse, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(f.user.address);
      const signature = await f.sign(f.user, intent);
      const raisedMinimum = encodeSwap(f.wethAddress, SWAP_AMOUNT_IN, f.usdcAddress, 1n, f.recipient.address);
      await expect(f.verifier.connect(f.solver).fill({ ...intent, params: raisedMinimum }, signature, 1n))
        .to.be.revertedWithCustomError(f.verifier, "InvalidSignature")
        .withArgs(f.user.address);
    });

    it("rejects a missing signature with NotIntentUser", async function () {
      const intent = await f.swapIntent();
      await expect(f.verifier.connect(f.solver).fill(intent, "0x", SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "NotIntentUser")
        .withArgs(f.solver.address, f.user.address);
    });

    it("rejects an expired intent with ExpiryInPast", async function () {
      const intent = await f.swapIntent();
      const signature = await f.sign(f.user, intent);
      await networkHelpers.time.increaseTo(intent.expiry);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "ExpiryInPast")
        .withArgs(intent.expiry);
    });

    it("rejects a blocked user with UserBlocked", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.verifier.connect(f.admin).setUserBlocked(f.user.address, true);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "UserBlocked")
        .withArgs(f.user.address);
    });

    it("applies the token policies: a token not allowed, an amount out of bounds", async function () {
      const other = await ethers.deployContract("MockERC20", ["Other", "OTH"]);
      const params = encodeSwap(f.wethAddress, SWAP_AMOUNT_IN, await other.getAddress(), 1n, f.recipient.address);
      const notAllowed = await signed(await f.swapIntent({ params }));
      await expect(f.verifier.connect(f.solver).fill(notAllowed.intent, notAllowed.signature, 1n))
        .to.be.revertedWithCustomError(f.verifier, "TokenNotAllowed")
        .withArgs(INTENT_TYPE_SWAP, await other.getAddress());

      const tooMuch = 1_001n * E18;
      const big = encodeTransfer(f.wethAddress, tooMuch, f.recipient.address);
      const outOfBounds = await signed(await f.transferIntent({ params: big, nonce: notAllowed.intent.nonce }));
      await expect(f.verifier.connect(f.solver).fill(outOfBounds.intent, outOfBounds.signature, 0n))
        .to.be.revertedWithCustomError(f.verifier, "AmountOutOfBounds")
        .withArgs(f.wethAddress, tooMuch, 1n, 1_000n * E18);
    });

    it("rejects a disabled intent type with UnknownIntentType", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.verifier.connect(f.admin).setIntentTypeEnabled(INTENT_TYPE_SWAP, false);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "UnknownIntentType")
        .withArgs(INTENT_TYPE_SWAP);
    });

    it("is closed while the verifier is paused", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.verifier.connect(f.admin).pause();
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT)).to.be.revertedWithCustomError(
        f.verifier,
        "EnforcedPause",
      );
    });
  });

  describe("who may fill", function () {
    it("rejects a caller that is not a registered solver with InvalidSolverStatus", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await expect(f.verifier.connect(f.stranger).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.stranger.address, SOLVER_STATUS_NONE);
    });

    it("rejects a solver that announced its exit", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.registry.connect(f.solver).announceExit();
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SOLVER_STATUS_EXITING);
    });

    it("rejects a suspended solver, and fills for it again once it is reinstated", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.registry.connect(f.admin).suspend(f.solver.address);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
        .withArgs(f.solver.address, SOLVER_STATUS_SUSPENDED);
      await f.registry.connect(f.admin).reinstate(f.solver.address);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT)).to.emit(
        f.verifier,
        "IntentFilled",
      );
    });

    it("is not stopped by a paused registry: the verifier's own pause stops fills", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.registry.connect(f.admin).pause();
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT)).to.emit(
        f.verifier,
        "IntentFilled",
      );
      expect(await f.verifier.fillsOf(f.solver.address)).to.equal(1n);
    });

    it("lets a solver fill its own intent: one nonce spent and one fill counted in the same account word", async function () {
      const own = await f.swapIntent({ user: f.solver.address, nonce: await f.verifier.nextNonce(f.solver.address) });
      await expect(f.verifier.connect(f.solver).fill(own, "0x", SWAP_MIN_OUT)).to.emit(f.verifier, "IntentFilled");
      expect(await f.verifier.nextNonce(f.solver.address)).to.equal(own.nonce + 1n);
      expect(await f.verifier.fillsOf(f.solver.address)).to.equal(1n);
      expect(await f.verifier.isFillEligible(f.solver.address)).to.equal(true);
      expect((await f.registry.getSolver(f.solver.address)).filled).to.equal(1n);
    });
  });

  describe("checks the outcome and leaves nothing half-done", function () {
    it("reverts with OutcomeNotMet below the minimum and spends nothing", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT - 1n))
        .to.be.revertedWithCustomError(f.verifier, "OutcomeNotMet")
        .withArgs(SWAP_MIN_OUT - 1n, SWAP_MIN_OUT);
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(intent.nonce);
      expect((await f.registry.getSolver(f.solver.address)).filled).to.equal(0n);
      // The same signed intent still settles once the solver delivers enough.
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT)).to.emit(
        f.verifier,
        "IntentFilled",
      );
    });

    it("counts what the recipient received, not what was sent (a fee-on-transfer output)", async function () {
      const fee = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1 %
      const feeAddress = await fee.getAddress();
      await f.verifier.connect(f.admin).setTokenPolicy(INTENT_TYPE_SWAP, feeAddress, true, 1n, 1_000_000n * E18);
      await fee.mint(f.solver.address, 10_000n * E18);
      await fee.connect(f.solver).approve(f.verifierAddress, MAX_UINT256);
      const params = encodeSwap(f.wethAddress, SWAP_AMOUNT_IN, feeAddress, SWAP_MIN_OUT, f.recipient.address);
      const { intent, signature } = await signed(await f.swapIntent({ params }));
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "OutcomeNotMet")
        .withArgs((SWAP_MIN_OUT * 99n) / 100n, SWAP_MIN_OUT);
      const gross = (SWAP_MIN_OUT * 100n) / 99n + 1n;
      await expect(f.verifier.connect(f.solver).fill(intent, signature, gross)).to.emit(f.verifier, "IntentFilled");
    });

    it("reverts as a whole when the user can no longer pay (UserSideFailure), the nonce unspent", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.weth.connect(f.user).approve(f.verifierAddress, 0n);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT)).to.be.revertedWithCustomError(
        f.verifier,
        "UserSideFailure",
      );
      expect(await f.verifier.nextNonce(f.user.address)).to.equal(intent.nonce);
    });

    it("blocks re-entry from a token hook with ReentrancyGuardReentrantCall", async function () {
      const token = await ethers.deployContract("ReentrantToken");
      const tokenAddress = await token.getAddress();
      await f.verifier.connect(f.admin).setTokenPolicy(INTENT_TYPE_TRANSFER, tokenAddress, true, 1n, 1_000_000n * E18);
      await token.mint(f.user.address, 10n * TRANSFER_AMOUNT);
      await token.connect(f.user).approve(f.verifierAddress, MAX_UINT256);
      const params = encodeTransfer(tokenAddress, TRANSFER_AMOUNT, f.recipient.address);
      const { intent, signature } = await signed(await f.transferIntent({ params }));
      const second = await signed(await f.transferIntent({ params }));
      await token.arm(
        f.verifierAddress,
        f.verifier.interface.encodeFunctionData("fill", [second.intent, second.signature, 0n]),
      );
      await expect(f.verifier.connect(f.solver).fill(intent, signature, 0n)).to.emit(f.verifier, "IntentFilled");
      expect(await token.attempted()).to.equal(true);
      expect(await token.reentered()).to.equal(false);
      expect(await token.revertData()).to.equal(REENTRANT_CALL_SELECTOR);
      expect(await token.balanceOf(f.recipient.address)).to.equal(TRANSFER_AMOUNT);
    });
  });

  describe("a nonce settles at most once across both modes", function () {
    it("cannot fill the same signed intent twice", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, intent.nonce + 1n, intent.nonce);
    });

    it("cannot fill an intent already submitted for the claim mode", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.verifier.connect(f.relayer).submitWithSignature(intent, signature);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, intent.nonce + 1n, intent.nonce);
    });

    it("cannot submit for the claim mode an intent already filled", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT);
      await expect(f.verifier.connect(f.relayer).submitWithSignature(intent, signature))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, intent.nonce + 1n, intent.nonce);
      // And a filled intent cannot be claimed or fulfilled: it has no record.
      const id = f.idOf(intent);
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.None);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT })))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.None);
    });

    it("is refused for a nonce the user invalidated", async function () {
      const { intent, signature } = await signed(await f.swapIntent());
      await f.verifier.connect(f.user).invalidateNonces(intent.nonce + 1n);
      await expect(f.verifier.connect(f.solver).fill(intent, signature, SWAP_MIN_OUT))
        .to.be.revertedWithCustomError(f.verifier, "InvalidNonce")
        .withArgs(f.user.address, intent.nonce + 1n, intent.nonce);
    });
  });
});
