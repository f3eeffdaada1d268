// Scale-out: one indexing service and a second, API-only instance on one Postgres and one Redis,
// each relaying with its own key. One user's intents, sent to either instance in turn, are
// counted once: the window's 100 are accepted, the 101st is refused whichever instance it hits,
// none reverts on chain; the same intent sent to both at once is relayed once; and an update the indexer publishes reaches a socket.io client and an
// SSE client connected to the other instance.
import { expect } from "chai";
import { HDNodeWallet, Mnemonic } from "ethers";
import { Redis } from "ioredis";
import { io, type Socket } from "socket.io-client";

import { INTENT_EIP712_TYPES, INTENT_TYPE_TRANSFER, encodeTransfer, intentDomain } from "../../lib/domain/intents.js";
import { TEST_MNEMONIC, rpc } from "../../scripts/lib/local-chain.js";
import { type ApiInstance, type Service, createApiInstance, createService } from "../../service/service.js";
import { E18 } from "../mocha/fixtures.js";
import {
  type ChainWithSystem,
  type Postgres,
  type RedisServer,
  chainWithSystem,
  freshStore,
  postgresAvailable,
  startPostgres,
  startRedis,
} from "../mocha/service/harness.js";

describe("service scale-out: two API instances and one indexer on one Postgres and one Redis", function () {
  this.timeout(300_000);
  let c: ChainWithSystem;
  let pg: Postgres;
  let redisServer: RedisServer;
  const connections: Redis[] = [];
  let indexing: Service;
  let second: ApiInstance;
  const urls: string[] = [];
  const user = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), "m/44'/60'/0'/0/300");

  before(async function () {
    if (!postgresAvailable()) throw new Error("Postgres is not installed: run node scripts/system-packages.mjs");
    pg = await startPostgres();
    redisServer = await startRedis();
    const redis = () => {
      const connection = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
      connections.push(connection);
      return connection;
    };
    c = await chainWithSystem();
    // Both relayers skip the chain's own limits, so that the API's limit is the one that refuses.
    for (const relayer of [c.f.relayer, c.f.stranger]) {
      await (await c.f.verifier.connect(c.f.admin).setRateLimitExempt(relayer.address, true)).wait();
    }
    const shared = {
      provider: c.provider,
      chainId: 31337,
      contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
    };
    const intake = { maxPendingPerUser: 1_000 }; // the window's limit, not the pending cap, is under test
    indexing = await createService({
      ...shared,
      db: await freshStore(pg.url),
      startBlock: c.startBlock,
      batchSize: 20,
      pollMs: 50,
      redis: redis(),
      intake: { ...intake, relayer: c.f.relayer },
    });
    second = await createApiInstance({
      ...shared,
      db: await freshStore(pg.url),
      redis: redis(),
      pollMs: 50,
      intake: { ...intake, relayer: c.f.stranger },
    });
    for (const app of [indexing.app, second.app]) urls.push(await app.listen({ host: "127.0.0.1", port: 0 }));
  });
  after(async function () {
    await second?.close();
    await indexing?.close();
    for (const connection of connections) connection.disconnect();
    await c?.stop();
    await redisServer?.stop();
    await pg?.stop();
  });

  const signed = (nonce: bigint) => signedBy(user, nonce);

  async function signedBy(user: HDNodeWallet, nonce: bigint) {
    const intent = {
      user: user.address,
      intentType: INTENT_TYPE_TRANSFER,
      nonce,
      expiry: (await c.f.latest()) + 3_600n,
      params: encodeTransfer(await c.f.usdc.getAddress(), 5n * E18, c.f.recipient.address),
    };
    const signature = await user.signTypedData(
      await intentDomain(c.f.verifierAddress, 31337n),
      INTENT_EIP712_TYPES,
      intent,
    );
    return {
      chainId: 31337,
      verifier: c.f.verifierAddress,
      intent: { ...intent, nonce: String(nonce), expiry: String(intent.expiry) },
      signature,
    };
  }

  const post = async (url: string, body: unknown) => {
    const response = await fetch(`${url}/api/intents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
  };

  it("accepts exactly 100 intents of one user across both instances and refuses the 101st on either; none reverts", async function () {
    const hashes: string[] = [];
    for (let n = 0; n < 100; n++) {
      const answer = await post(urls[n % 2], await signed(BigInt(n)));
      expect(answer.status, JSON.stringify(answer.json)).to.equal(201);
      expect(answer.headers.get("ratelimit")).to.match(new RegExp(`^limit=100, remaining=${99 - n}, `));
      hashes.push(answer.json.txHash);
    }
    for (const url of urls) {
      const refused = await post(url, await signed(100n));
      expect(refused.status, JSON.stringify(refused.json)).to.equal(429);
      expect(refused.json.error.code).to.equal("TOO_MANY_INTENTS");
      expect(Number(refused.headers.get("retry-after"))).to.be.within(1, 900);
    }
    const receipts = await Promise.all(
      hashes.map((hash) => rpc<{ status: string; from: string }>(c.chain.url, "eth_getTransactionReceipt", [hash])),
    );
    expect(receipts.filter((r) => r.status !== "0x1")).to.deep.equal([]);
    const senders = new Set(receipts.map((r) => r.from.toLowerCase()));
    expect(senders).to.deep.equal(new Set([c.f.relayer.address.toLowerCase(), c.f.stranger.address.toLowerCase()]));
    expect(await c.f.verifier.nextNonce(user.address)).to.equal(100n);
  });

  it("relays the same signed intent sent to both instances at once only once: the other is refused, nothing reverts", async function () {
    const other = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), "m/44'/60'/0'/0/301");
    for (let n = 0n; n < 5n; n++) {
      const body = await signedBy(other, n);
      const answers = await Promise.all(urls.map((url) => post(url, body)));
      const outcomes = answers.map((a) => `${a.status} ${a.json.error?.code ?? a.json.status}`).sort();
      expect(outcomes, JSON.stringify(answers.map((a) => a.json))).to.deep.equal(["201 Pending", "422 InvalidNonce"]);
    }
    expect(await c.f.verifier.nextNonce(other.address)).to.equal(5n);
  });

  it("delivers an update the indexer publishes to socket.io and SSE clients of the other instance", async function () {
    const intent = await c.f.transferIntent({ nonce: await c.f.verifier.nextNonce(c.f.user.address) });
    const id = await c.f.verifier.hashIntent(intent);
    const client: Socket = io(urls[1], { transports: ["websocket"], reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once("connect", resolve);
        client.once("connect_error", reject);
      });
      const heard = new Promise<{ intentId: string; status: string }>((resolve) => client.on("intentUpdate", resolve));
      await client.timeout(5_000).emitWithAck("subscribe", id);
      const sse = await fetch(`${urls[1]}/api/intents/${id}/events`);
      expect(sse.headers.get("content-type")).to.match(/^text\/event-stream/);
      const reader = sse.body!.getReader();
      await (await c.f.verifier.connect(c.f.user).submit(intent)).wait();
      const update = await Promise.race([
        heard,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no intentUpdate within 15 s")), 15_000)),
      ]);
      expect(update).to.include({ intentId: id, status: "Pending" });
      let text = "";
      const deadline = Date.now() + 15_000;
      while (!/event: intentUpdate/.test(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).to.match(/event: intentUpdate\ndata: \{[^\n]*"status":"Pending"/);
      await reader.cancel();
    } finally {
      client.close();
    }
  });
});
