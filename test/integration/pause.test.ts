// Pausing the live verifier (the deployer is its guardian): submissions are refused with
// EnforcedPause while paused and accepted again once unpaused. The system is left unpaused even
// when the test fails midway.
import { expect } from "chai";
import { Wallet } from "ethers";

import { INTENT_TYPE_TRANSFER, IntentStatus } from "../../scripts/lib/intents.js";
import { E18, TEST_TIMEOUT, ctx, eventOf, expectRevert, send } from "./context.js";

describe("integration: pause", function () {
  this.timeout(TEST_TIMEOUT);

  after(async function () {
    const { verifier, deployer } = ctx();
    if (await verifier.paused()) await send(verifier.connect(deployer).unpause);
  });

  it("paused, the verifier refuses submissions with EnforcedPause; unpaused, it accepts them again", async function () {
    const { verifier, deployer, deployerAddress, weth, accounts, policyAmount, transferIntent, submit, intentId } =
      ctx();
    const [user] = await accounts(1);
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, weth, E18);
    const intent = await transferIntent(user.address, weth, amount, Wallet.createRandom().address);
    const guardian = verifier.connect(deployer);

    const paused = await send(guardian.pause);
    expect(eventOf(paused, verifier, "Paused").account).to.equal(deployerAddress);
    expect(await verifier.paused(), "paused()").to.equal(true);
    expect((await verifier.lastPause()).pausedAt).to.equal(BigInt((await paused.getBlock()).timestamp));
    await expectRevert(verifier.connect(user).submit.estimateGas(intent), verifier, "EnforcedPause");
    expect(await verifier.nextNonce(user.address), "no nonce taken while paused").to.equal(intent.nonce);

    const unpaused = await send(guardian.unpause);
    expect(eventOf(unpaused, verifier, "Unpaused").account).to.equal(deployerAddress);
    expect(await verifier.paused(), "paused()").to.equal(false);
    const { receipt, id } = await submit(user, intent);
    expect(eventOf(receipt, verifier, "IntentSubmitted").id).to.equal(id);
    expect(id).to.equal(intentId(intent));
    expect(await verifier.statusOf(id)).to.equal(IntentStatus.Pending);
  });
});
