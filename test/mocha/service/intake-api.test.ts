// POST /api/intents against a real verifier on anvil: accepted intents are relayed and mine,
// refused ones come back with the verifier's own error and cost no gas, concurrent requests never
// share a relayer nonce, and the API's limits (and the chain's) refuse with 429 and the draft's
// headers. On both stores: PGlite with the memory limiter, Postgres with the Redis one.
import { expect } from "chai";
import { HDNodeWallet, Mnemonic } from "ethers";
import Fastify from "fastify";
import { Redis } from "ioredis";

import {
  INTENT_EIP712_TYPES,
  INTENT_TYPE_TRANSFER,
  encodeTransfer,
  intentDomain,
} from "../../../lib/domain/intents.js";
import { TEST_MNEMONIC, rpc } from "../../../scripts/lib/local-chain.js";
import { IntakeLimits, rateLimitHeaders } from "../../../service/intake/limits.js";
import { registerIntake } from "../../../service/intake/route.js";
import { createService, type Service } from "../../../service/service.js";
import { E18 } from "../fixtures.js";
import {
  type ChainWithSystem,
  type Postgres,
  type RedisServer,
  chainWithSystem,
  freshStore,
  postgresAvailable,
  startPostgres,
  startRedis,
} from "./harness.js";

let nextWallet = 100;
/** A user who only signs (the relayer pays): a fresh key per case, so no case sees another's nonce or bucket. */
function freshUser(): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), `m/44'/60'/0'/0/${nextWallet++}`);
}

interface Body {
  chainId: number;
  verifier: string;
  intent: { user: string; intentType: number; nonce: string; expiry: string; params: string };
  signature: string;
}

for (const store of ["pglite", "postgres"] as const) {
  describe(`service intake (POST /api/intents) on ${store === "pglite" ? "PGlite, memory limits" : "Postgres, Redis limits"}`, function () {
    this.timeout(120_000);
    let c: ChainWithSystem;
    let pg: Postgres | undefined;
    let redisServer: RedisServer | undefined;
    let redis: Redis | undefined;
    let service: Service;
    const INTENTS_PER_WINDOW = 6;
    const MAX_PENDING = 4;

    async function signed(
      user: HDNodeWallet,
      overrides: Partial<{ nonce: bigint; expiry: bigint; token: string; recipient: string }> = {},
    ): Promise<Body> {
      const now = await c.f.latest();
      const intent = {
        user: user.address,
        intentType: INTENT_TYPE_TRANSFER,
        nonce: overrides.nonce ?? (await c.f.verifier.nextNonce(user.address)),
        expiry: overrides.expiry ?? now + 3_600n,
        params: encodeTransfer(
          overrides.token ?? (await c.f.usdc.getAddress()),
          5n * E18,
          overrides.recipient ?? c.f.recipient.address,
        ),
      };
      const signature = await user.signTypedData(
        await intentDomain(c.f.verifierAddress, 31337n),
        INTENT_EIP712_TYPES,
        intent,
      );
      return {
        chainId: 31337,
        verifier: c.f.verifierAddress,
        intent: { ...intent, nonce: String(intent.nonce), expiry: String(intent.expiry) },
        signature,
      };
    }

    const post = (body: unknown, remoteAddress = "127.0.0.1") =>
      service.app.inject({ method: "POST", url: "/api/intents", payload: body as object, remoteAddress });
    // Raw JSON-RPC: ethers' provider answers a repeated question from a short cache.
    const relayerNonce = async () =>
      Number(await rpc(c.chain.url, "eth_getTransactionCount", [c.f.relayer.address, "latest"]));

    before(async function () {
      if (store === "postgres") {
        if (!postgresAvailable()) throw new Error("Postgres is not installed: run node scripts/system-packages.mjs");
        pg = await startPostgres();
        redisServer = await startRedis();
        redis = new Redis(redisServer.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
      }
      c = await chainWithSystem();
      service = await createService({
        db: await freshStore(pg?.url),
        provider: c.provider,
        chainId: 31337,
        contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
        startBlock: c.startBlock,
        batchSize: 10,
        pollMs: 50,
        redis,
        intake: {
          relayer: c.f.relayer,
          intents: { limit: INTENTS_PER_WINDOW, windowSeconds: 900 },
          maxPendingPerUser: MAX_PENDING,
        },
      });
    });
    after(async function () {
      await service?.close();
      redis?.disconnect();
      await c?.stop();
      await redisServer?.stop();
      await pg?.stop();
    });

    it("relays a valid signed intent: 201 once mined, its id the verifier's hash, with the draft's RateLimit headers", async function () {
      const user = freshUser();
      const body = await signed(user);
      const response = await post(body);
      expect(response.statusCode, response.body).to.equal(201);
      const answer = response.json();
      const onChainId = await c.f.verifier.hashIntent({
        ...body.intent,
        nonce: BigInt(body.intent.nonce),
        expiry: BigInt(body.intent.expiry),
      });
      expect(answer.id).to.equal(onChainId);
      expect(answer.status).to.equal("Pending");
      expect(Number(await c.f.verifier.statusOf(onChainId))).to.equal(1); // Pending
      const receipt = await c.provider.getTransactionReceipt(answer.txHash);
      expect(receipt?.status).to.equal(1);
      expect(receipt?.blockNumber).to.equal(answer.blockNumber);
      expect(response.headers["ratelimit-policy"]).to.equal(`1000;w=60, ${INTENTS_PER_WINDOW};w=900`);
      expect(response.headers["ratelimit"]).to.match(
        new RegExp(`^limit=${INTENTS_PER_WINDOW}, remaining=${INTENTS_PER_WINDOW - 1}, reset=\\d+$`),
      );
    });

    it("refuses what the verifier would refuse, with its error name and stage, at no gas", async function () {
      const user = freshUser();
      const now = await c.f.latest();
      const good = await signed(user);
      const cases: [string, unknown, number, string, string?][] = [
        ["a nonce ahead of the user's", await signed(user, { nonce: 7n }), 422, "InvalidNonce", "security"],
        [
          "another key's signature",
          { ...good, signature: (await signed(freshUser())).signature },
          422,
          "InvalidSignature",
          "security",
        ],
        ["an expiry in the past", await signed(user, { expiry: now - 10n }), 422, "ExpiryInPast", "structure"],
        [
          "a token without a policy",
          await signed(user, { token: c.f.verifierAddress }),
          422,
          "TokenNotAllowed",
          "business rules",
        ],
        [
          "the user as recipient",
          await signed(user, { recipient: user.address }),
          422,
          "RecipientIsUser",
          "type rules",
        ],
        [
          "an expiry inside the relay margin",
          await signed(user, { expiry: now + 10n }),
          422,
          "EXPIRES_TOO_SOON",
          "business rules",
        ],
        ["another chain", { ...good, chainId: 1 }, 400, "WRONG_DEPLOYMENT"],
        ["a nonce that is not a number", { ...good, intent: { ...good.intent, nonce: "-1" } }, 400, "BAD_REQUEST"],
        ["an unknown field", { ...good, extra: true }, 400, "BAD_REQUEST"],
      ];
      const before = await relayerNonce();
      for (const [what, body, status, code, stage] of cases) {
        const response = await post(body);
        expect(response.statusCode, `${what}: ${response.body}`).to.equal(status);
        const { error } = response.json();
        expect(error.code, what).to.equal(code);
        if (stage !== undefined) expect(error.stage, what).to.equal(stage);
        expect(error.message, what).to.be.a("string").and.not.empty;
      }
      expect(await relayerNonce(), "the relayer sent nothing").to.equal(before);
      const metrics = (await service.app.inject("/metrics")).body;
      for (const code of ["InvalidNonce", "InvalidSignature", "EXPIRES_TOO_SOON", "WRONG_DEPLOYMENT"]) {
        expect(metrics).to.include(`intent_errors_total{type="transfer",error_code="${code}"} 1`);
      }
      // None of the refusals counted against the user's intents: the valid one still goes through with the full window.
      const response = await post(good);
      expect(response.statusCode, response.body).to.equal(201);
      expect(response.headers["ratelimit"]).to.match(new RegExp(`remaining=${INTENTS_PER_WINDOW - 1},`));
    });

    it("never shares a relayer nonce: 12 users at once, and one user's 3 intents sent together in nonce order", async function () {
      const before = await relayerNonce();
      const users = Array.from({ length: 12 }, freshUser);
      const bodies = await Promise.all(users.map((user) => signed(user)));
      const one = freshUser();
      for (let n = 0n; n < 3n; n++) bodies.push(await signed(one, { nonce: n }));
      const responses = await Promise.all(bodies.map((body) => post(body)));
      for (const response of responses) expect(response.statusCode, response.body).to.equal(201);
      const transactions = await Promise.all(responses.map((r) => c.provider.getTransaction(r.json().txHash)));
      const nonces = transactions.map((tx) => tx!.nonce).sort((a, b) => a - b);
      expect(nonces).to.deep.equal(Array.from({ length: 15 }, (_, i) => before + i));
      const receipts = await Promise.all(responses.map((r) => c.provider.getTransactionReceipt(r.json().txHash)));
      expect(receipts.map((r) => r!.status)).to.deep.equal(receipts.map(() => 1));
      expect(await c.f.verifier.nextNonce(one.address)).to.equal(3n);
    });

    it(`caps one user's pending intents at ${MAX_PENDING} (409), counting relays the store has not indexed yet`, async function () {
      const user = freshUser();
      for (let i = 0; i < MAX_PENDING; i++) {
        const response = await post(await signed(user));
        expect(response.statusCode, response.body).to.equal(201);
      }
      const before = await relayerNonce();
      const response = await post(await signed(user));
      expect(response.statusCode, response.body).to.equal(409);
      expect(response.json().error.code).to.equal("TOO_MANY_PENDING");
      expect(await relayerNonce()).to.equal(before);
    });

    it(`accepts ${INTENTS_PER_WINDOW} intents of one user in the window and refuses the next with 429, Retry-After and the headers`, async function () {
      const user = freshUser();
      // Filled as they come, so the pending cap is not what refuses.
      for (let i = 0; i < INTENTS_PER_WINDOW; i++) {
        const body = await signed(user);
        const response = await post(body);
        expect(response.statusCode, response.body).to.equal(201);
        expect(response.headers["ratelimit"]).to.match(new RegExp(`remaining=${INTENTS_PER_WINDOW - 1 - i},`));
        const intent = { ...body.intent, nonce: BigInt(body.intent.nonce), expiry: BigInt(body.intent.expiry) };
        // Cancelled by its user on chain: no longer pending.
        await cancelAs(user, intent);
      }
      const before = await relayerNonce();
      const response = await post(await signed(user));
      expect(response.statusCode, response.body).to.equal(429);
      expect(response.json().error.code).to.equal("TOO_MANY_INTENTS");
      expect(Number(response.headers["retry-after"])).to.be.within(1, 900);
      expect(response.headers["ratelimit"]).to.match(/remaining=0, reset=\d+$/);
      expect(await relayerNonce()).to.equal(before);
    });

    const walletNonces = new Map<string, number>();
    /** The user cancels on chain (it needs gas: the admin funds it). */
    async function cancelAs(user: HDNodeWallet, intent: Parameters<typeof c.f.verifier.cancel>[0]): Promise<void> {
      const wallet = user.connect(c.provider);
      if ((await c.provider.getBalance(user.address)) < E18 / 100n) {
        await (await c.f.admin.sendTransaction({ to: user.address, value: E18 })).wait();
      }
      // Its own count: ethers' provider answers a repeated getTransactionCount from a short cache.
      const nonce = walletNonces.get(user.address) ?? (await c.provider.getTransactionCount(user.address, "latest"));
      walletNonces.set(user.address, nonce + 1);
      await (await c.f.verifier.connect(wallet).cancel(intent, { nonce })).wait();
    }

    it("counts every /api request of one client against 1,000 a minute, whatever X-Forwarded-For says (the proxy is not trusted)", async function () {
      const client = "10.1.2.3";
      let allowed = 0;
      let last;
      for (let i = 0; i < 1_001; i++) {
        last = await service.app.inject({
          url: "/api/solvers",
          remoteAddress: client,
          headers: { "x-forwarded-for": `192.0.2.${i % 250}` },
        });
        if (last.statusCode === 200) allowed++;
      }
      expect(allowed).to.equal(1_000);
      expect(last!.statusCode).to.equal(429);
      expect(last!.json().error.code).to.equal("TOO_MANY_REQUESTS");
      expect(Number(last!.headers["retry-after"])).to.be.within(1, 60);
      // Another client still has its own budget.
      expect((await service.app.inject({ url: "/api/solvers", remoteAddress: "10.1.2.4" })).statusCode).to.equal(200);
    });

    it("follows the chain's own per-user limit: when it is tighter, the API refuses with RateLimited (429) before any revert", async function () {
      const exempt = await c.f.verifier.isRateLimitExempt(c.f.relayer.address);
      if (exempt) await (await c.f.verifier.connect(c.f.admin).setRateLimitExempt(c.f.relayer.address, false)).wait();
      await (await c.f.verifier.connect(c.f.admin).setUserRateLimit(2, 3_600)).wait();
      const user = freshUser();
      const [remaining] = await c.f.verifier.rateLimitStatus(user.address);
      expect(remaining).to.be.lessThan(BigInt(INTENTS_PER_WINDOW));
      for (let i = 0n; i < remaining; i++) {
        const response = await post(await signed(user));
        expect(response.statusCode, response.body).to.equal(201);
      }
      const before = await relayerNonce();
      const response = await post(await signed(user));
      expect(response.statusCode, response.body).to.equal(429);
      const { error } = response.json();
      expect(error.code).to.equal("RateLimited");
      expect(error.source).to.equal("chain");
      expect(Number(response.headers["retry-after"])).to.be.greaterThan(0);
      expect(await relayerNonce()).to.equal(before);
    });
  });
}

describe("service intake: the client's address and a service without a relayer", function () {
  const stubs = {
    db: { query: async () => [] },
    rpc: { send: async () => "0x" },
    chainId: 31337,
    verifier: "0x" + "11".repeat(20),
    metrics: { intakeError: () => {} } as never,
  };

  async function app(trustProxy: boolean | string) {
    const server = Fastify({ trustProxy });
    await registerIntake(server, { ...stubs, limits: new IntakeLimits({ requests: { limit: 2, windowSeconds: 60 } }) });
    server.get("/api/ping", async () => ({ ok: true }));
    return server;
  }

  it("takes a trusted proxy's X-Forwarded-For as the client, and only then", async function () {
    const trusted = await app("127.0.0.1");
    const statuses = [];
    for (const forwarded of ["198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2"]) {
      statuses.push((await trusted.inject({ url: "/api/ping", headers: { "x-forwarded-for": forwarded } })).statusCode);
    }
    expect(statuses).to.deep.equal([200, 200, 429, 200]);
    const untrusted = await app(false);
    const mixed = [];
    for (const forwarded of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
      mixed.push((await untrusted.inject({ url: "/api/ping", headers: { "x-forwarded-for": forwarded } })).statusCode);
    }
    expect(mixed).to.deep.equal([200, 200, 429]);
  });

  it("answers 503 INTAKE_DISABLED and names --relayer when no relayer is configured", async function () {
    const server = await app(false);
    const response = await server.inject({
      method: "POST",
      url: "/api/intents",
      payload: {
        chainId: 31337,
        verifier: stubs.verifier,
        intent: { user: "0x" + "22".repeat(20), intentType: 1, nonce: "0", expiry: "1", params: "0x" },
        signature: "0x",
      },
    });
    expect(response.statusCode).to.equal(503);
    expect(response.json().error.code).to.equal("INTAKE_DISABLED");
    expect(response.json().error.message).to.include("--relayer");
  });

  it("writes the draft's headers for the policy closest to its limit", function () {
    const headers = rateLimitHeaders([
      { policy: { limit: 1_000, windowSeconds: 60 }, allowed: true, remaining: 990, resetSeconds: 50 },
      { policy: { limit: 100, windowSeconds: 900 }, allowed: true, remaining: 3, resetSeconds: 800 },
    ]);
    expect(headers).to.deep.equal({
      "RateLimit-Policy": "1000;w=60, 100;w=900",
      RateLimit: "limit=100, remaining=3, reset=800",
    });
  });
});
