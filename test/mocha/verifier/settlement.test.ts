// Settlement on fulfil: token movements, the outcome check by balance deltas, hostile tokens,
// re-entrancy and a solver that is a contract.
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { IntentStatus, type Intent, encodeSwap, encodeTransfer } from "../../../scripts/lib/intents.js";
import {
  E18,
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  MAX_UINT256,
  MIN_BOND,
  REENTRANT_CALL_SELECTOR,
  SWAP_AMOUNT_IN,
  SWAP_MIN_OUT,
  type System,
  TRANSFER_AMOUNT,
  atTime,
  fulfillment,
  loadSystem,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** The test tokens' shared surface: mint, and approve from a given signer. */
interface MintableToken {
  getAddress(): Promise<string>;
  mint(to: string, amount: bigint): Promise<unknown>;
  connect(signer: HardhatEthersSigner): { approve(spender: string, amount: bigint): Promise<unknown> };
}

interface BalanceOf {
  balanceOf(account: string): Promise<bigint>;
}

/** Balances of `accounts` in `token`, in order. */
async function balances(token: BalanceOf, accounts: string[]): Promise<bigint[]> {
  return Promise.all(accounts.map((a) => token.balanceOf(a)));
}

describe("IntentVerifier settlement", function () {
  let f: System;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
  });

  /** Allows `token` for `intentType` with wide bounds. */
  async function allow(intentType: number, token: { getAddress(): Promise<string> }) {
    await f.verifier.setTokenPolicy(intentType, await token.getAddress(), true, 1n, 1_000_000n * E18);
  }

  /** A swap of 1 WETH into `token` (allowed, `funded` minted to the solver and approved). */
  async function swapInto(token: MintableToken, minAmountOut: bigint, funded: bigint): Promise<Intent> {
    await allow(INTENT_TYPE_SWAP, token);
    await token.mint(f.solver.address, funded);
    await token.connect(f.solver).approve(f.verifierAddress, MAX_UINT256);
    const params = encodeSwap(
      f.wethAddress,
      SWAP_AMOUNT_IN,
      await token.getAddress(),
      minAmountOut,
      f.recipient.address,
    );
    return f.swapIntent({ params });
  }

  describe("transfers", function () {
    it("moves exactly the amount from the user to the recipient", async function () {
      const intent = await f.transferIntent();
      await f.claimed(intent);
      const accounts = [f.user.address, f.recipient.address, f.solver.address, f.verifierAddress];
      const before = await balances(f.usdc, accounts);
      await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
      const after = await balances(f.usdc, accounts);
      expect(after.map((b, i) => b - before[i])).to.deep.equal([-TRANSFER_AMOUNT, TRANSFER_AMOUNT, 0n, 0n]);
    });

    it("adds the solver's amountOut of the same token on top, as a top-up", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      const topUp = 5n * E18;
      const before = await balances(f.usdc, [f.solver.address, f.recipient.address]);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: topUp })))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, f.solver.address, TRANSFER_AMOUNT + topUp, 0n, 0n, []);
      const after = await balances(f.usdc, [f.solver.address, f.recipient.address]);
      expect([after[0] - before[0], after[1] - before[1]]).to.deep.equal([-topUp, TRANSFER_AMOUNT + topUp]);
    });

    it("lets the solver cover a fee-on-transfer token with a top-up", async function () {
      const fee = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1 %
      await allow(INTENT_TYPE_TRANSFER, fee);
      await fee.mint(f.user.address, TRANSFER_AMOUNT);
      await fee.connect(f.user).approve(f.verifierAddress, MAX_UINT256);
      await fee.mint(f.solver.address, TRANSFER_AMOUNT);
      await fee.connect(f.solver).approve(f.verifierAddress, MAX_UINT256);
      const params = encodeTransfer(await fee.getAddress(), TRANSFER_AMOUNT, f.recipient.address);
      const intent = await f.transferIntent({ params });
      const id = await f.claimed(intent);
      // The user's leg delivers 99 %; 1.02 % of the amount from the solver nets just over 1 %.
      const topUp = (TRANSFER_AMOUNT * 102n) / 10_000n;
      const netTopUp = topUp - (topUp * 100n) / 10_000n;
      const expected = TRANSFER_AMOUNT - TRANSFER_AMOUNT / 100n + netTopUp;
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: topUp })))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, f.solver.address, expected, 0n, 0n, []);
      expect(await fee.balanceOf(f.recipient.address)).to.equal(expected);
      expect(expected >= TRANSFER_AMOUNT).to.equal(true);
    });

    it("rejects a fee-on-transfer token with OutcomeNotMet (the recipient gets less)", async function () {
      const fee = await ethers.deployContract("FeeOnTransferToken", [100n]);
      await allow(INTENT_TYPE_TRANSFER, fee);
      await fee.mint(f.user.address, TRANSFER_AMOUNT);
      await fee.connect(f.user).approve(f.verifierAddress, MAX_UINT256);
      const params = encodeTransfer(await fee.getAddress(), TRANSFER_AMOUNT, f.recipient.address);
      const intent = await f.transferIntent({ params });
      await f.claimed(intent);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
        .to.be.revertedWithCustomError(f.verifier, "OutcomeNotMet")
        .withArgs((TRANSFER_AMOUNT * 99n) / 100n, TRANSFER_AMOUNT);
    });
  });

  describe("swaps", function () {
    it("moves amountIn from the user to the solver and amountOut from the solver to the recipient", async function () {
      const intent = await f.swapIntent();
      const id = await f.claimed(intent);
      const amountOut = SWAP_MIN_OUT + 100n * E18;
      const people = [f.user.address, f.solver.address, f.recipient.address, f.verifierAddress];
      const [wethBefore, usdcBefore] = [await balances(f.weth, people), await balances(f.usdc, people)];
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut })))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, f.solver.address, amountOut, 0n, 0n, []);
      const [wethAfter, usdcAfter] = [await balances(f.weth, people), await balances(f.usdc, people)];
      expect(wethAfter.map((b, i) => b - wethBefore[i])).to.deep.equal([-SWAP_AMOUNT_IN, SWAP_AMOUNT_IN, 0n, 0n]);
      expect(usdcAfter.map((b, i) => b - usdcBefore[i])).to.deep.equal([0n, -amountOut, amountOut, 0n]);
    });

    it("accepts exactly minAmountOut", async function () {
      const intent = await f.swapIntent();
      const id = await f.claimed(intent);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT })))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, f.solver.address, SWAP_MIN_OUT, 0n, 0n, []);
    });

    it("reverts with OutcomeNotMet when amountOut is below minAmountOut and changes nothing", async function () {
      const intent = await f.swapIntent();
      const id = await f.claimed(intent);
      const before = await balances(f.usdc, [f.solver.address, f.recipient.address]);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT - 1n })))
        .to.be.revertedWithCustomError(f.verifier, "OutcomeNotMet")
        .withArgs(SWAP_MIN_OUT - 1n, SWAP_MIN_OUT);
      expect(await balances(f.usdc, [f.solver.address, f.recipient.address])).to.deep.equal(before);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Executing);
    });

    it("reverts with SolverCannotDeliver when the solver has not approved tokenOut, keeping the claim", async function () {
      const intent = await f.swapIntent();
      const id = await f.claimed(intent);
      await f.usdc.connect(f.solver).approve(f.verifierAddress, 0n);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT })))
        .to.be.revertedWithCustomError(f.verifier, "SolverCannotDeliver")
        .withArgs(f.usdcAddress, SWAP_MIN_OUT);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Executing);
    });

    describe("fee-on-transfer tokenOut (1% fee)", function () {
      const minOut = 2_970n * E18;

      async function feeSwap() {
        const fee = await ethers.deployContract("FeeOnTransferToken", [100n]);
        await allow(INTENT_TYPE_SWAP, fee);
        await fee.mint(f.solver.address, 10_000n * E18);
        await fee.connect(f.solver).approve(f.verifierAddress, MAX_UINT256);
        const params = encodeSwap(f.wethAddress, SWAP_AMOUNT_IN, await fee.getAddress(), minOut, f.recipient.address);
        const intent = await f.swapIntent({ params });
        const id = await f.claimed(intent);
        return { fee, intent, id };
      }

      it("reverts with OutcomeNotMet when the solver sends exactly minAmountOut", async function () {
        const { intent } = await feeSwap();
        // 2,970 sent, 29.7 burnt: the recipient would get 2,940.3.
        await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: minOut })))
          .to.be.revertedWithCustomError(f.verifier, "OutcomeNotMet")
          .withArgs(minOut - minOut / 100n, minOut);
      });

      it("completes when the solver covers the fee, reporting what the recipient got", async function () {
        const { fee, intent, id } = await feeSwap();
        const amountOut = 3_000n * E18; // 30 burnt, 2,970 delivered.
        const [recipientBefore, solverBefore] = await balances(fee, [f.recipient.address, f.solver.address]);
        const tx = f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut }));
        await expect(tx)
          .to.emit(f.verifier, "IntentCompleted")
          .withArgs(id, f.user.address, f.solver.address, minOut, 0n, 0n, []);
        const [recipientAfter, solverAfter] = await balances(fee, [f.recipient.address, f.solver.address]);
        expect(recipientAfter - recipientBefore).to.equal(minOut);
        expect(solverBefore - solverAfter).to.equal(amountOut);
      });
    });
  });

  describe("tokens that return false", function () {
    it("treats a user's leg that returns false as the user's side: released, no slash", async function () {
      const bad = await ethers.deployContract("FalseReturnToken");
      const badAddress = await bad.getAddress();
      await allow(INTENT_TYPE_TRANSFER, bad);
      await bad.setBalance(f.user.address, TRANSFER_AMOUNT);
      const intent = await f.transferIntent({
        params: encodeTransfer(badAddress, TRANSFER_AMOUNT, f.recipient.address),
      });
      const id = await f.claimed(intent);
      void badAddress;
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(id, f.user.address, f.solver.address, IntentStatus.Pending);
      expect((await f.registry.getSolver(f.solver.address)).failed).to.equal(0n);
    });

    it("releases a swap whose tokenOut returns false while the solver holds and approved it, undoing the tokenIn leg", async function () {
      const bad = await ethers.deployContract("FalseReturnToken");
      const badAddress = await bad.getAddress();
      await allow(INTENT_TYPE_SWAP, bad);
      // The token reports a balance for the solver; the check is on the transfer's return value.
      await bad.setBalance(f.solver.address, SWAP_MIN_OUT);
      const params = encodeSwap(f.wethAddress, SWAP_AMOUNT_IN, badAddress, SWAP_MIN_OUT, f.recipient.address);
      const intent = await f.swapIntent({ params });
      await f.claimed(intent);
      const before = await f.weth.balanceOf(f.user.address);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT }))).to.emit(
        f.verifier,
        "ClaimReleased",
      );
      expect(await f.weth.balanceOf(f.user.address)).to.equal(before);
    });
  });

  describe("re-entrancy through a token", function () {
    async function reentrantTransfer() {
      const token = await ethers.deployContract("ReentrantToken");
      await allow(INTENT_TYPE_TRANSFER, token);
      await token.mint(f.user.address, 10n * TRANSFER_AMOUNT);
      await token.connect(f.user).approve(f.verifierAddress, MAX_UINT256);
      const params = encodeTransfer(await token.getAddress(), TRANSFER_AMOUNT, f.recipient.address);
      return { token, intent: await f.transferIntent({ params }) };
    }

    it("blocks a re-entrant fulfill of the same intent with ReentrancyGuardReentrantCall", async function () {
      const { token, intent } = await reentrantTransfer();
      const id = await f.claimed(intent);
      await token.arm(f.verifierAddress, f.verifier.interface.encodeFunctionData("fulfill", [intent, fulfillment()]));
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, f.solver.address, TRANSFER_AMOUNT, 0n, 0n, []);
      expect(await token.attempted()).to.equal(true);
      expect(await token.reentered()).to.equal(false);
      expect(await token.revertData()).to.equal(REENTRANT_CALL_SELECTOR);
      // Settled once.
      expect(await token.balanceOf(f.recipient.address)).to.equal(TRANSFER_AMOUNT);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Completed);
      expect((await f.registry.getSolver(f.solver.address)).completed).to.equal(1n);
    });

    it("blocks a re-entrant fail of another overdue claim with ReentrancyGuardReentrantCall", async function () {
      const t = (await f.latest()) + 10n;
      const overdue = await f.transferIntent();
      await f.submitted(overdue);
      await atTime(networkHelpers, t);
      await f.verifier.connect(f.solver).claim(f.idOf(overdue)); // deadline t + 600
      const { token, intent } = await reentrantTransfer();
      await f.submitted(intent);
      await atTime(networkHelpers, t + 500n);
      await f.verifier.connect(f.solver).claim(f.idOf(intent)); // deadline t + 1,100
      await token.arm(f.verifierAddress, f.verifier.interface.encodeFunctionData("fail", [overdue]));

      await atTime(networkHelpers, t + 601n);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment())).to.emit(f.verifier, "IntentCompleted");
      expect(await token.attempted()).to.equal(true);
      expect(await token.reentered()).to.equal(false);
      expect(await token.revertData()).to.equal(REENTRANT_CALL_SELECTOR);
      expect(await f.verifier.statusOf(f.idOf(overdue))).to.equal(IntentStatus.Executing);
      expect((await f.registry.getSolver(f.solver.address)).failed).to.equal(0n);
      // Outside the settlement the overdue claim can be failed as usual.
      await expect(f.verifier.fail(overdue))
        .to.emit(f.verifier, "ClaimFailed")
        .withArgs(f.idOf(overdue), f.user.address, f.solver.address, true);
    });

    it("stops a re-entrant cancel by the caller check (cancel makes no external call)", async function () {
      const pending = await f.transferIntent();
      const pendingId = await f.submitted(pending);
      const { token, intent } = await reentrantTransfer();
      await f.claimed(intent);
      await token.arm(f.verifierAddress, f.verifier.interface.encodeFunctionData("cancel", [pending]));
      await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
      expect(await token.attempted()).to.equal(true);
      expect(await token.reentered()).to.equal(false);
      expect(await token.revertData()).to.equal(
        f.verifier.interface.encodeErrorResult("NotIntentUser", [await token.getAddress(), f.user.address]),
      );
      expect(await f.verifier.statusOf(pendingId)).to.equal(IntentStatus.Pending);
    });
  });

  describe("a solver that is a contract", function () {
    async function contractSolver() {
      const solver = await ethers.deployContract("MaliciousSolver", [], f.stranger);
      const solverAddress = await solver.getAddress();
      await f.stakeToken.mint(solverAddress, MIN_BOND);
      await solver.approveToken(await f.stakeToken.getAddress(), f.registryAddress, MAX_UINT256);
      await solver.execute(f.registryAddress, f.registry.interface.encodeFunctionData("register", [MIN_BOND]));
      await f.usdc.mint(solverAddress, 10_000n * E18);
      await solver.approveToken(f.usdcAddress, f.verifierAddress, MAX_UINT256);
      return { solver, solverAddress };
    }

    it("registers, claims and fulfils through execute like any solver", async function () {
      const { solver, solverAddress } = await contractSolver();
      expect(await f.registry.isAuthorized(solverAddress)).to.equal(true);
      const intent = await f.swapIntent();
      const id = await f.submitted(intent);
      const now = (await f.latest()) + 10n;
      await atTime(networkHelpers, now);
      await expect(solver.execute(f.verifierAddress, f.verifier.interface.encodeFunctionData("claim", [id])))
        .to.emit(f.verifier, "IntentClaimed")
        .withArgs(id, solverAddress, now + 600n);
      const data = f.verifier.interface.encodeFunctionData("fulfill", [
        intent,
        fulfillment({ amountOut: SWAP_MIN_OUT }),
      ]);
      await expect(solver.execute(f.verifierAddress, data))
        .to.emit(f.verifier, "IntentCompleted")
        .withArgs(id, f.user.address, solverAddress, SWAP_MIN_OUT, 0n, 0n, []);
      expect(await f.weth.balanceOf(solverAddress)).to.equal(SWAP_AMOUNT_IN);
    });

    it("cannot fulfil the same intent twice", async function () {
      const { solver } = await contractSolver();
      const intent = await f.swapIntent();
      const id = await f.submitted(intent);
      await solver.execute(f.verifierAddress, f.verifier.interface.encodeFunctionData("claim", [id]));
      const data = f.verifier.interface.encodeFunctionData("fulfill", [
        intent,
        fulfillment({ amountOut: SWAP_MIN_OUT }),
      ]);
      await solver.execute(f.verifierAddress, data);
      const recipientBefore = await f.usdc.balanceOf(f.recipient.address);
      await expect(solver.execute(f.verifierAddress, data))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.Completed);
      expect(await f.usdc.balanceOf(f.recipient.address)).to.equal(recipientBefore);
    });

    it("cannot re-enter fulfil from a token hook during its own settlement", async function () {
      const { solver, solverAddress } = await contractSolver();
      const token = await ethers.deployContract("ReentrantToken");
      await allow(INTENT_TYPE_SWAP, token);
      await token.mint(f.user.address, SWAP_AMOUNT_IN);
      await token.connect(f.user).approve(f.verifierAddress, MAX_UINT256);
      const params = encodeSwap(
        await token.getAddress(),
        SWAP_AMOUNT_IN,
        f.usdcAddress,
        SWAP_MIN_OUT,
        f.recipient.address,
      );
      const intent: Intent = await f.swapIntent({ params });
      const id = await f.submitted(intent);
      await solver.execute(f.verifierAddress, f.verifier.interface.encodeFunctionData("claim", [id]));

      const data = f.verifier.interface.encodeFunctionData("fulfill", [
        intent,
        fulfillment({ amountOut: SWAP_MIN_OUT }),
      ]);
      // The tokenIn leg pays the solver, whose hook then calls fulfill again as the assigned solver.
      await solver.armReentry(f.verifierAddress, data);
      await token.arm(solverAddress, solver.interface.encodeFunctionData("onTokenReceived"));
      const recipientBefore = await f.usdc.balanceOf(f.recipient.address);
      await expect(solver.execute(f.verifierAddress, data)).to.emit(f.verifier, "IntentCompleted");
      expect(await solver.reentryAttempted()).to.equal(true);
      expect(await solver.reentrySucceeded()).to.equal(false);
      expect(await solver.reentryRevertData()).to.equal(REENTRANT_CALL_SELECTOR);
      expect((await f.usdc.balanceOf(f.recipient.address)) - recipientBefore).to.equal(SWAP_MIN_OUT);
      expect(await token.balanceOf(solverAddress)).to.equal(SWAP_AMOUNT_IN);
    });
  });

  describe("failures on the user's side (review findings: Medium, Low, Low design)", function () {
    // Before: fulfil pre-checked only allowance and balance, so a recipient that refused the tokens
    // (or a token that blocklisted the user) made fulfil revert, the claim lapse and the solver be
    // slashed, again and again; and a solver could claim before the approval landed and cancel
    // the intent for good. Now the fulfilment releases the claim without a slash, requeues the
    // intent once after a cool-down, and cancels it the second time.
    it("releases without a slash and requeues once with a cool-down when the user revoked the allowance", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      const { claimDeadline } = await f.verifier.getIntent(id);
      await f.usdc.connect(f.user).approve(f.verifierAddress, 0n);
      const before = await balances(f.usdc, [f.user.address, f.recipient.address]);
      const tx = f.verifier.connect(f.solver).fulfill(intent, fulfillment());
      await expect(tx)
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(id, f.user.address, f.solver.address, IntentStatus.Pending);
      await expect(tx).to.emit(f.registry, "SolverClaimReleased").withArgs(f.solver.address, 0n);
      await expect(tx).not.to.emit(f.verifier, "IntentCompleted");
      expect(await balances(f.usdc, [f.user.address, f.recipient.address])).to.deep.equal(before);
      const record = await f.verifier.getIntent(id);
      expect([record.status, record.requeued, record.claimDeadline]).to.deep.equal([
        IntentStatus.Pending,
        true,
        claimDeadline,
      ]);
      const info = await f.registry.getSolver(f.solver.address);
      expect([info.bond, info.activeClaims, info.completed, info.failed]).to.deep.equal([MIN_BOND, 0n, 0n, 0n]);
      // Cool-down: no claim until the failed claim's deadline has passed; fail has nothing to slash.
      await expect(f.verifier.connect(f.solver).claim(id))
        .to.be.revertedWithCustomError(f.verifier, "ClaimCoolingDown")
        .withArgs(id, claimDeadline);
      await expect(f.verifier.connect(f.user).fail(intent))
        .to.be.revertedWithCustomError(f.verifier, "InvalidStatus")
        .withArgs(id, IntentStatus.Pending);
      // The second user-side failure cancels it: never requeued for ever.
      await atTime(networkHelpers, claimDeadline + 1n);
      await f.verifier.connect(f.solver).claim(id);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(id, f.user.address, f.solver.address, IntentStatus.Cancelled);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Cancelled);
      expect((await f.registry.getSolver(f.solver.address)).failed).to.equal(0n);
      expect(await f.stakeToken.balanceOf(f.user.address)).to.equal(0n);
    });

    it("cannot kill an intent by claiming before the user's approval lands: it completes after the cool-down", async function () {
      await f.usdc.connect(f.user).approve(f.verifierAddress, 0n); // the approval is still in flight
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      const { claimDeadline } = await f.verifier.getIntent(id);
      await f.verifier.connect(f.solver).fulfill(intent, fulfillment());
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Pending);
      await f.usdc.connect(f.user).approve(f.verifierAddress, MAX_UINT256); // it lands
      await atTime(networkHelpers, claimDeadline + 1n);
      await f.verifier
        .connect(f.otherSolver)
        .claim(id)
        .catch(async () => {
          await f.verifier.connect(f.solver).claim(id);
        });
      const { solver } = await f.verifier.getIntent(id);
      const signer = solver === f.solver.address ? f.solver : f.otherSolver;
      await expect(f.verifier.connect(signer).fulfill(intent, fulfillment())).to.emit(f.verifier, "IntentCompleted");
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Completed);
    });

    it("releases a swap claim when the user moved the input token away, undoing nothing the solver sent", async function () {
      const intent = await f.swapIntent();
      const id = await f.claimed(intent);
      await f.weth.connect(f.user).transfer(f.stranger.address, await f.weth.balanceOf(f.user.address));
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT })))
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(id, f.user.address, f.solver.address, IntentStatus.Pending);
      expect(await f.usdc.balanceOf(f.recipient.address)).to.equal(0n);
    });

    async function blocklistSwap() {
      const token = await ethers.deployContract("BlocklistToken");
      const intent = await swapInto(token, SWAP_MIN_OUT, 10n * SWAP_MIN_OUT);
      return { token, intent, id: await f.claimed(intent) };
    }

    it("releases without a slash when the recipient refuses the tokens after the claim", async function () {
      const { token, intent, id } = await blocklistSwap();
      await token.setBlocked(f.recipient.address, true);
      const wethBefore = await f.weth.balanceOf(f.user.address);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: SWAP_MIN_OUT })))
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(id, f.user.address, f.solver.address, IntentStatus.Pending);
      expect(await f.weth.balanceOf(f.user.address), "the tokenIn leg undone").to.equal(wethBefore);
      const info = await f.registry.getSolver(f.solver.address);
      expect([info.bond, info.failed, info.activeClaims]).to.deep.equal([MIN_BOND, 0n, 0n]);
    });

    it("releases without a slash when the token blocklists the user between claim and fulfilment", async function () {
      const token = await ethers.deployContract("BlocklistToken");
      await allow(INTENT_TYPE_TRANSFER, token);
      await token.mint(f.user.address, TRANSFER_AMOUNT);
      await token.connect(f.user).approve(f.verifierAddress, MAX_UINT256);
      const intent = await f.transferIntent({
        params: encodeTransfer(await token.getAddress(), TRANSFER_AMOUNT, f.recipient.address),
      });
      const id = await f.claimed(intent);
      await token.setBlocked(f.user.address, true);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
        .to.emit(f.verifier, "ClaimReleased")
        .withArgs(id, f.user.address, f.solver.address, IntentStatus.Pending);
      expect((await f.registry.getSolver(f.solver.address)).failed).to.equal(0n);
    });

    it("cannot be used after the claim deadline: a lapsed claim is the solver's failure", async function () {
      const intent = await f.transferIntent();
      const id = await f.claimed(intent);
      await f.usdc.connect(f.user).approve(f.verifierAddress, 0n);
      const { claimDeadline } = await f.verifier.getIntent(id);
      await atTime(networkHelpers, claimDeadline + 1n);
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment()))
        .to.be.revertedWithCustomError(f.verifier, "ClaimDeadlinePassed")
        .withArgs(id, claimDeadline);
    });

    it("keeps settleFor to the verifier itself (NotSelf)", async function () {
      const terms = {
        input: f.usdcAddress,
        isTransfer: true,
        output: f.usdcAddress,
        user: f.user.address,
        recipient: f.stranger.address,
        amountIn: TRANSFER_AMOUNT,
        required: TRANSFER_AMOUNT,
      };
      await expect(f.verifier.connect(f.stranger).settleFor(terms, f.stranger.address, 0n))
        .to.be.revertedWithCustomError(f.verifier, "NotSelf")
        .withArgs(f.stranger.address);
    });
  });

  describe("a rebasing output token (review finding: Low)", function () {
    it("does not count a rebase that the transfer triggers as a delivery: 1 token against a minimum of 100", async function () {
      const token = await ethers.deployContract("RebasingToken");
      const intent = await swapInto(token, 100n * E18, 1_000n * E18);
      await token.mint(f.recipient.address, 1_000n * E18);
      await f.claimed(intent);
      await token.announceRebase(2n * E18); // doubles every balance at the next transfer
      await expect(f.verifier.connect(f.solver).fulfill(intent, fulfillment({ amountOut: E18 })))
        .to.be.revertedWithCustomError(f.verifier, "OutcomeNotMet")
        .withArgs(E18, 100n * E18);
    });
  });
});
