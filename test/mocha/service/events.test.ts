import { expect } from "chai";

import { type ContractName, decodeLog } from "../../../service/indexer/events.js";
import { type ChainWithSystem, activity, chainWithSystem } from "./harness.js";

describe("service event decoding", function () {
  this.timeout(60_000);
  let c: ChainWithSystem;

  before(async function () {
    c = await chainWithSystem();
    await activity(c.f, c.provider);
  });
  after(async function () {
    await c?.stop();
  });

  it("reads static words and bytes straight from the log to exactly what ethers' ABI decoding gives", async function () {
    const names: Record<string, ContractName> = {
      [c.f.verifierAddress.toLowerCase()]: "IntentVerifier",
      [c.f.registryAddress.toLowerCase()]: "SolverRegistry",
    };
    const logs = (await c.provider.send("eth_getLogs", [
      { address: Object.keys(names), fromBlock: "0x0", toBlock: "latest" },
    ])) as {
      address: string;
      topics: string[];
      data: string;
      blockNumber: string;
      logIndex: string;
      blockHash: string;
      transactionHash: string;
    }[];
    const seen = new Set<string>();
    for (const raw of logs) {
      const log = { ...raw, blockNumber: Number(raw.blockNumber), index: Number(raw.logIndex) };
      const contract = names[raw.address.toLowerCase()]!;
      const fast = decodeLog(contract, log, 1);
      expect(fast, raw.topics[0]).to.not.equal(undefined);
      expect(fast).to.deep.equal(decodeLog(contract, log, 1, "ethers"));
      seen.add(fast!.name);
    }
    // Every kind the activity emits, the fast path's and the fallback's (IntentCompleted has an array).
    expect([...seen]).to.include.members([
      "IntentSubmitted",
      "IntentClaimed",
      "IntentCompleted",
      "IntentFilled",
      "ClaimFailed",
      "IntentCancelled",
      "SolverRegistered",
      "SolverSlashed",
      "SolverOutcomeRecorded",
      "BondTermsScheduled",
    ]);
  });

  it("decodes a swap's and a transfer's params by their type, amounts as decimal strings", async function () {
    const intent = await c.f.swapIntent({ nonce: await c.f.verifier.nextNonce(c.f.user.address) });
    const receipt = (await (await c.f.verifier.connect(c.f.user).submit(intent)).wait())!;
    const raw = receipt.logs.find((log) => log.address === c.f.verifierAddress)!;
    const event = decodeLog("IntentVerifier", raw, 1)!;
    expect(event.args.type).to.equal("swap");
    expect(event.args.decoded).to.deep.equal({
      tokenIn: (await c.f.weth.getAddress()).toLowerCase(),
      amountIn: (10n ** 18n).toString(),
      tokenOut: (await c.f.usdc.getAddress()).toLowerCase(),
      minAmountOut: (3_000n * 10n ** 18n).toString(),
      recipient: c.f.recipient.address.toLowerCase(),
    });
  });
});
