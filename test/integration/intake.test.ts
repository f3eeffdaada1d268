// Intake on the live verifier: a user's own submission and an EIP-712-signed intent relayed by
// another account, each read back as Pending with its event, and the user's nonce moved on.
import { expect } from "chai";
import { Wallet } from "ethers";

import { INTENT_TYPE_TRANSFER, IntentStatus } from "../../scripts/lib/intents.js";
import { E18, TEST_TIMEOUT, ctx, eventOf, expectRevert, send, type Actor } from "./context.js";

describe("integration: intake", function () {
  this.timeout(TEST_TIMEOUT);
  let user: Actor;
  let signer: Actor;
  let relayer: Actor;
  const recipient = Wallet.createRandom().address;

  before(async function () {
    [user, relayer] = await ctx().accounts(2);
    // The signing user never sends a transaction, so it needs no ETH.
    signer = new Wallet(Wallet.createRandom().privateKey, ctx().provider);
  });

  it("submit: the user's own intent is Pending, with its IntentSubmitted event, and the nonce moves on", async function () {
    const { verifier, weth, policyAmount, transferIntent, submit, intentId } = ctx();
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, weth, E18);
    const intent = await transferIntent(user.address, weth, amount, recipient);

    const { receipt, id } = await submit(user, intent);
    expect(receipt.from).to.equal(user.address);
    const submitted = eventOf(receipt, verifier, "IntentSubmitted");
    expect(submitted.id, "event id").to.equal(id);
    expect(await verifier.hashIntent(intent), "hashIntent").to.equal(intentId(intent));
    expect(submitted.user).to.equal(user.address);
    expect(submitted.intentType).to.equal(BigInt(INTENT_TYPE_TRANSFER));
    expect(submitted.nonce).to.equal(intent.nonce);
    expect(submitted.expiry).to.equal(intent.expiry);
    expect(submitted.params).to.equal(intent.params);

    expect(await verifier.statusOf(id), "statusOf").to.equal(IntentStatus.Pending);
    const record = await verifier.getIntent(id);
    expect(record.status).to.equal(IntentStatus.Pending);
    expect(record.intentType).to.equal(BigInt(INTENT_TYPE_TRANSFER));
    expect(record.expiry).to.equal(intent.expiry);
    expect(await verifier.nextNonce(user.address), "next nonce").to.equal(intent.nonce + 1n);
  });

  it("submitWithSignature: a relayer submits the user's EIP-712-signed intent on its behalf", async function () {
    const { provider, verifier, usdc, policyAmount, transferIntent, sign } = ctx();
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, usdc, 100n * E18);
    const intent = await transferIntent(signer.address, usdc, amount, recipient);
    const signature = await sign(signer, intent);

    const receipt = await send(verifier.connect(relayer).submitWithSignature, intent, signature);
    expect(receipt.from, "sent by").to.equal(relayer.address);
    const submitted = eventOf(receipt, verifier, "IntentSubmitted");
    expect(submitted.user, "the intent's user").to.equal(signer.address);
    expect(submitted.nonce).to.equal(intent.nonce);
    expect(await verifier.statusOf(submitted.id)).to.equal(IntentStatus.Pending);
    expect(await verifier.nextNonce(signer.address)).to.equal(intent.nonce + 1n);
    expect(await provider.getTransactionCount(signer.address), "transactions sent by the user").to.equal(0);
  });

  it("submitWithSignature: refuses a signature by another key with InvalidSignature", async function () {
    const { verifier, usdc, policyAmount, transferIntent, sign } = ctx();
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, usdc, 100n * E18);
    const intent = await transferIntent(signer.address, usdc, amount, recipient);
    const forged = await sign(relayer, intent);

    const args = await expectRevert(
      verifier.connect(relayer).submitWithSignature.estimateGas(intent, forged),
      verifier,
      "InvalidSignature",
    );
    expect(args.user).to.equal(signer.address);
    expect(await verifier.nextNonce(signer.address), "the nonce did not move").to.equal(intent.nonce);
  });
});
