import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";

import { type FaultPlan, type FaultProxy, startFaultProxy } from "../../../scripts/lib/fault-proxy.js";
import { type LocalChain, startLocalChain } from "../../../scripts/lib/local-chain.js";

// anvil's first well-known account, and a second one as the recipient.
const FIRST_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const NO_FAULTS: FaultPlan = { dropShare: 0, tooManyShare: 0, maxDelayMs: 0 };

type Outcome = { dropped: true } | { dropped: false; status: number; retryAfter: string | null; body: unknown };

/** One HTTP request as a bot's RPC client makes it; a destroyed connection is an outcome too. */
async function post(url: string, body: unknown): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return { dropped: true };
  }
  return {
    dropped: false,
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: await response.json(),
  };
}

const sendRaw = (raw: string, id = 1) => ({ jsonrpc: "2.0", id, method: "eth_sendRawTransaction", params: [raw] });

describe("service: fault proxy (scripts/lib/fault-proxy.ts)", function () {
  this.timeout(60_000);
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  const wallet = new Wallet(FIRST_KEY);
  const proxies: FaultProxy[] = [];

  before(async function () {
    chain = await startLocalChain();
    provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
  });
  after(async function () {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    provider?.destroy();
    await chain?.stop();
  });

  async function proxyWith(plan: FaultPlan): Promise<FaultProxy> {
    const proxy = await startFaultProxy(chain.url, plan);
    proxies.push(proxy);
    return proxy;
  }

  /** A 1-wei transfer to RECIPIENT, signed offline; `value` tells two of the same nonce apart. */
  async function signedTransfer(nonce: number, value = 1n): Promise<string> {
    return wallet.signTransaction({
      type: 2,
      chainId: chain.chainId,
      nonce,
      to: RECIPIENT,
      value,
      gasLimit: 21_000n,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    });
  }

  it("drops and rate-limits about the planned shares of requests, 429s with Retry-After, under concurrency", async function () {
    const proxy = await proxyWith({ dropShare: 0.2, tooManyShare: 0.1, maxDelayMs: 5, seed: 7 });
    const total = 300;
    const outcomes: Outcome[] = [];
    let next = 0;
    // 16 clients at once, each on its own keep-alive connection.
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          const id = next++;
          outcomes.push(await post(proxy.url, { jsonrpc: "2.0", id, method: "eth_blockNumber", params: [] }));
        }
      }),
    );

    const dropped = outcomes.filter((o) => o.dropped).length;
    const tooMany = outcomes.filter((o) => !o.dropped && o.status === 429);
    const answered = outcomes.filter((o) => !o.dropped && o.status === 200);
    expect(dropped / total).to.be.within(0.12, 0.28);
    expect(tooMany.length / total).to.be.within(0.04, 0.16);
    expect(dropped + tooMany.length + answered.length).to.equal(total);
    for (const o of tooMany) {
      if (o.dropped) continue;
      expect(o.retryAfter).to.equal("1");
      expect(o.body).to.deep.include({ jsonrpc: "2.0", error: { code: -32005, message: "rate limited" } });
    }
    for (const o of answered) if (!o.dropped) expect(o.body).to.have.property("result").that.matches(/^0x/);
    // The client saw exactly what the proxy did.
    expect(proxy.counts.requests).to.equal(total);
    expect(proxy.counts.dropped).to.equal(dropped);
    expect(proxy.counts.tooMany).to.equal(tooMany.length);
  });

  it("a transaction dropped after forwarding is mined although its client saw only a dropped connection", async function () {
    // Every request is dropped; the PRNG decides which half of the drops each one falls in.
    const proxy = await proxyWith({ dropShare: 1, tooManyShare: 0, maxDelayMs: 0, seed: 3 });
    const seen = { forwarded: 0, notForwarded: 0 };
    for (let attempt = 0; attempt < 20 && (seen.forwarded === 0 || seen.notForwarded === 0); attempt++) {
      const nonce = await provider.getTransactionCount(wallet.address, "pending");
      const outcome = await post(proxy.url, sendRaw(await signedTransfer(nonce)));
      expect(outcome.dropped, "the client got an answer").to.equal(true);
      const record = proxy.sent.at(-1)!;
      expect(record).to.deep.include({ from: wallet.address.toLowerCase(), nonce });
      if (record.forwarded) {
        seen.forwarded++;
        const receipt = await provider.getTransactionReceipt(record.hash);
        expect(receipt?.status, `receipt of ${record.hash}`).to.equal(1);
      } else {
        seen.notForwarded++;
        expect(await provider.getTransaction(record.hash)).to.equal(null);
      }
    }
    expect(seen.forwarded).to.be.greaterThan(0);
    expect(seen.notForwarded).to.be.greaterThan(0);
    expect(proxy.counts.dropped).to.equal(proxy.counts.requests);
  });

  it("reusedNonces reports two distinct transactions with one nonce, not a re-broadcast of one", async function () {
    const proxy = await proxyWith({ ...NO_FAULTS, seed: 11 });
    const nonce = await provider.getTransactionCount(wallet.address, "pending");
    const first = await signedTransfer(nonce, 1n);
    const second = await signedTransfer(nonce, 2n);
    const rebroadcast = await signedTransfer(nonce + 1);

    const mined = await post(proxy.url, sendRaw(first));
    expect(mined).to.deep.include({ dropped: false, status: 200 });
    // The second, in a batch: the node refuses it (nonce too low) or replaces; it was sent either way.
    const batch = await post(proxy.url, [
      { jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] },
      sendRaw(second, 2),
    ]);
    expect(batch).to.deep.include({ dropped: false, status: 200 });
    await post(proxy.url, sendRaw(rebroadcast));
    await post(proxy.url, sendRaw(rebroadcast));

    expect(proxy.sent.map((tx) => [tx.nonce, tx.forwarded])).to.deep.equal([
      [nonce, true],
      [nonce, true],
      [nonce + 1, true],
      [nonce + 1, true],
    ]);
    const [firstHash, secondHash] = proxy.sent.map((tx) => tx.hash);
    expect(firstHash).to.not.equal(secondHash);
    expect(proxy.reusedNonces()).to.deep.equal([
      { from: wallet.address.toLowerCase(), nonce, hashes: [firstHash, secondHash] },
    ]);
  });

  it("stops promptly while clients hold keep-alive connections open and a request is in flight", async function () {
    const proxy = await proxyWith({ ...NO_FAULTS, maxDelayMs: 30_000, seed: 5 });
    const chainId = { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] };
    proxy.plan.maxDelayMs = 0;
    await Promise.all(Array.from({ length: 8 }, () => post(proxy.url, chainId)));
    proxy.plan.maxDelayMs = 30_000;
    const held = post(proxy.url, chainId);
    while (proxy.counts.requests < 9) await new Promise((resolve) => setTimeout(resolve, 5));

    const started = Date.now();
    await proxy.stop();
    expect(Date.now() - started).to.be.lessThan(1_000);
    expect(await held).to.deep.equal({ dropped: true });
    expect(await post(proxy.url, chainId)).to.deep.equal({ dropped: true });
  });
});
