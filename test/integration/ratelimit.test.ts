// The per-user submission limit on the live verifier: a fresh user spends their whole bucket (at
// the deployment's current limit), the next submission is refused with RateLimited naming the
// user's bucket, and rateLimitStatus says the same.
import { expect } from "chai";
import { Wallet, zeroPadValue } from "ethers";

import { INTENT_TYPE_TRANSFER, IntentStatus, type Intent } from "../../scripts/lib/intents.js";
import { E18, TEST_TIMEOUT, ctx, eventOf, expectRevert } from "./context.js";

/** More submissions than this in one test would make it slow; a deployment that needs more fails here. */
const MAX_BURST = 500n;

describe("integration: rate limits", function () {
  this.timeout(TEST_TIMEOUT);

  it("a user who spends their bucket is refused with RateLimited, and rateLimitStatus agrees", async function () {
    const { manifest, verifier, usdc, accounts, policyAmount, transferIntent, intentId } = ctx();
    const { userLimit, userWindow } = await verifier.rateLimits();
    expect(userLimit, `the user limit (${userLimit}) is too large to exhaust in a test`).to.be.at.most(MAX_BURST);
    const [user] = await accounts(1, (userLimit + 2n) * 150_000n);
    const status = await verifier.rateLimitStatus(user.address);
    expect(status.userRemaining, "a fresh user's bucket is full").to.equal(userLimit);
    expect(status.globalRemaining, "the global bucket outlasts the user's").to.be.greaterThan(status.userRemaining);

    // Spend the bucket in one burst: consecutive intent nonces in consecutive transactions, sent
    // without waiting, with the gas of the first (most expensive: it creates the account word).
    const amount = await policyAmount(INTENT_TYPE_TRANSFER, usdc, E18);
    const recipient = Wallet.createRandom().address;
    const first = await transferIntent(user.address, usdc, amount, recipient);
    const mine = verifier.connect(user);
    const gasLimit = ((await mine.submit.estimateGas(first)) * 3n) / 2n;
    let txNonce = await user.getNonce("pending");
    const burst: Intent[] = [];
    for (let i = 0n; i < status.userRemaining; i++) burst.push({ ...first, nonce: first.nonce + i });
    const sent = [];
    for (const intent of burst) sent.push(await mine.submit(intent, { gasLimit, nonce: txNonce++ }));
    const receipts = await Promise.all(sent.map((tx) => tx.wait()));
    expect(
      receipts.filter((r) => r?.status !== 1),
      "failed submissions",
    ).to.have.length(0);
    for (const [i, receipt] of receipts.entries()) {
      expect(eventOf(receipt!, verifier, "IntentSubmitted").id).to.equal(intentId(burst[i]));
    }
    // On a chain slower than the refill, top the bucket off to empty.
    let next: Intent = { ...first, nonce: first.nonce + BigInt(burst.length) };
    for (let i = 0; i < 5 && (await verifier.rateLimitStatus(user.address)).userRemaining > 0n; i++) {
      await (await mine.submit(next, { gasLimit })).wait();
      next = { ...next, nonce: next.nonce + 1n };
    }

    const spent = await verifier.rateLimitStatus(user.address);
    expect(spent.userRemaining, "rateLimitStatus: remaining").to.equal(0n);
    expect(spent.userRetryAfter, "rateLimitStatus: retry after").to.be.greaterThan(0n);
    expect(spent.userRetryAfter).to.be.at.most(userWindow);

    const refused = await expectRevert(mine.submit.estimateGas(next), verifier, "RateLimited");
    expect(refused.bucket, "the bucket named").to.equal(zeroPadValue(user.address, 32).toLowerCase());
    expect(refused.bucket).to.equal(await verifier.userBucketId(user.address));
    // The node estimates in the pending block, a little after the latest one the status was read at.
    const slack = manifest.local ? 5n : 30n;
    expect(refused.retryAfter, "retryAfter").to.be.greaterThan(0n);
    expect(refused.retryAfter).to.be.at.most(spent.userRetryAfter);
    expect(refused.retryAfter).to.be.at.least(spent.userRetryAfter - slack);
    expect(await verifier.nextNonce(user.address), "the refused intent took no nonce").to.equal(next.nonce);
    expect(await verifier.statusOf(intentId(next))).to.equal(IntentStatus.None);
  });
});
