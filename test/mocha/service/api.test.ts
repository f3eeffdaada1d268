import { expect } from "chai";
import { Redis } from "ioredis";

import { STATUS_NAMES } from "../../../lib/domain/intents.js";
import { createService, type Service } from "../../../service/service.js";
import {
  type ChainWithSystem,
  type Postgres,
  type RedisServer,
  activity,
  chainWithSystem,
  freshStore,
  postgresAvailable,
  startPostgres,
  startRedis,
} from "./harness.js";

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The embedded set-up, and the production one: Postgres with the Redis tier of the cache.
for (const store of ["pglite", "postgres"] as const) {
  describe(`service API on ${store === "pglite" ? "PGlite" : "Postgres + Redis"}`, function () {
    this.timeout(120_000);
    let c: ChainWithSystem;
    let pg: Postgres | undefined;
    let redisServer: RedisServer | undefined;
    let redis: Redis | undefined;
    let service: Service;
    let ids: string[];

    before(async function () {
      if (store === "postgres") {
        if (!postgresAvailable()) throw new Error("Postgres is not installed: run node scripts/system-packages.mjs");
        pg = await startPostgres();
        redisServer = await startRedis();
        redis = new Redis(redisServer.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
      }
      c = await chainWithSystem();
      await activity(c.f, c.provider);
      service = await createService({
        db: await freshStore(pg?.url),
        provider: c.provider,
        chainId: 31337,
        contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
        startBlock: c.startBlock,
        batchSize: 10,
        pollMs: 50,
        redis,
      });
      await until(async () => (await service.app.inject("/ready")).statusCode === 200, "the service to be ready");
      ids = (await service.app.inject(`/api/intents?user=${c.f.user.address}`))
        .json()
        .intents.map((i: { id: string }) => i.id);
    });
    after(async function () {
      await service?.close();
      redis?.disconnect();
      await redisServer?.stop();
      await c?.stop();
      await pg?.stop();
    });

    it("answers /health and, once caught up with the head, /ready", async function () {
      expect((await service.app.inject("/health")).json()).to.deep.equal({ status: "ok" });
      const ready = (await service.app.inject("/ready")).json();
      expect(ready.ready).to.equal(true);
      expect(ready.indexed).to.equal(await c.provider.getBlockNumber());
    });

    it("serves an intent with its status through the cache, saying which tier answered", async function () {
      const [id] = ids;
      const first = (await service.app.inject(`/api/intents/${id}`)).json();
      expect(first.statusSource).to.equal("memory"); // the indexer wrote it through
      service.cache.clearMemory();
      const shared = (await service.app.inject(`/api/intents/${id}`)).json();
      expect(shared.statusSource).to.equal(redis === undefined ? "chain" : "redis");
      await service.cache.clear();
      const second = (await service.app.inject(`/api/intents/${id}`)).json();
      expect(second.statusSource).to.equal("chain");
      expect(second.status).to.equal(STATUS_NAMES[Number(await c.f.verifier.statusOf(id))]);
      expect((await service.app.inject(`/api/intents/${id}`)).json().statusSource).to.equal("memory");
      expect(first.intent.user).to.equal(c.f.user.address.toLowerCase());
      expect(first.intent.createdAt).to.match(/^\d{4}-\d\d-\d\dT/);
    });

    it("answers 400 with a code for a malformed id and 404 for an unknown one", async function () {
      const bad = await service.app.inject("/api/intents/0x1234");
      expect(bad.statusCode).to.equal(400);
      expect(bad.json().error.code).to.equal("BAD_REQUEST");
      const unknown = await service.app.inject(`/api/intents/0x${"ab".repeat(32)}`);
      expect(unknown.statusCode).to.equal(404);
      expect(unknown.json().error.code).to.equal("UNKNOWN_INTENT");
    });

    it("pages a user's intents by cursor: every intent once, newest first; a forged cursor is a 400", async function () {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/api/intents?user=${c.f.user.address}&limit=1${cursor === null ? "" : `&cursor=${cursor}`}`;
        const page = (await service.app.inject(query)).json();
        expect(page.intents.length).to.be.at.most(1);
        seen.push(...page.intents.map((i: { id: string }) => i.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).to.deep.equal(ids);
      expect(new Set(seen).size).to.equal(4);
      const failed = (await service.app.inject(`/api/intents?status=Failed`)).json();
      expect(failed.intents).to.have.length(1);
      const forged = await service.app.inject(`/api/intents?cursor=${Buffer.from("x:y").toString("base64url")}`);
      expect([forged.statusCode, forged.json().error.code]).to.deep.equal([400, "BAD_CURSOR"]);
      expect((await service.app.inject(`/api/intents?limit=0`)).statusCode).to.equal(400);
    });

    it("serves a transaction's intent events, the solvers and one solver", async function () {
      const intent = (await service.app.inject(`/api/intents/${ids[ids.length - 1]}`)).json().intent;
      expect(intent.transactions.map((t: { kind: string }) => t.kind)).to.deep.equal([
        "IntentSubmitted",
        "IntentClaimed",
        "IntentCompleted",
      ]);
      const tx = intent.transactions[0].hash;
      const byHash = (await service.app.inject(`/api/transactions/${tx}`)).json();
      expect(byHash.events.length).to.be.greaterThan(0);
      expect((await service.app.inject(`/api/transactions/0x${"cd".repeat(32)}`)).statusCode).to.equal(404);
      const solvers = (await service.app.inject("/api/solvers")).json().solvers;
      expect(solvers.map((s: { address: string }) => s.address).sort()).to.deep.equal(
        [c.f.solver.address, c.f.otherSolver.address].map((a) => a.toLowerCase()).sort(),
      );
      const other = (await service.app.inject(`/api/solvers/${c.f.otherSolver.address}`)).json();
      expect([other.failed, other.bond]).to.deep.equal([
        1,
        (await c.f.registry.getSolver(c.f.otherSolver.address)).bond.toString(),
      ]);
      expect((await service.app.inject(`/api/solvers/${c.f.stranger.address}`)).statusCode).to.equal(404);
    });

    it("exposes the six intent and solver metrics with their names, labels and buckets", async function () {
      const text = (await service.app.inject("/metrics")).body;
      expect(text).to.include('intents_submitted_total{type="swap",status="Pending"} 1');
      expect(text).to.include('intents_submitted_total{type="transfer",status="Pending"} 2');
      expect(text).to.include('intents_submitted_total{type="swap",status="Completed"} 1');
      for (const le of [1, 5, 10, 30, 60, 300, 600, 1800]) {
        expect(text).to.include(`intent_resolution_time_seconds_bucket{le="${le}",type="swap"} 1`);
      }
      for (const le of [100000, 500000, 1000000, 5000000, 10000000]) {
        expect(text).to.match(
          new RegExp(`intent_gas_used_bucket\\{le="${le}",type="swap",chain="31337"\\} ${le === 100000 ? 0 : 1}`),
        );
      }
      expect(text).to.include('intent_errors_total{type="transfer",error_code="claim_failed"} 1');
      expect(text).to.match(
        new RegExp(`solver_performance_score\\{solver_id="${c.f.solver.address.toLowerCase()}"\\} 0\\.\\d+`),
      );
      expect(text).to.include(`solver_success_rate{solver_id="${c.f.solver.address.toLowerCase()}"} 1`);
      expect(text).to.include(`solver_success_rate{solver_id="${c.f.otherSolver.address.toLowerCase()}"} 0`);
      expect(text).to.match(/indexer_lag_blocks \d+/);
      expect(text).to.match(/cache_hits_total\{tier="chain"\} \d+/);
    });

    // Last: it adds an intent, which the counts above do not expect.
    it("serves the record the indexer last wrote, not the one it kept in memory before a change", async function () {
      const intent = await c.f.transferIntent({ nonce: await c.f.verifier.nextNonce(c.f.user.address) });
      await (await c.f.verifier.connect(c.f.user).submit(intent)).wait();
      const id = await c.f.verifier.hashIntent(intent);
      // The head from the node itself: ethers' getBlockNumber answers from a short cache.
      const indexedToHead = async () => {
        const head = Number(await c.provider.send("eth_blockNumber", []));
        await until(async () => (service.indexer.indexed ?? 0) >= head, `the indexer to reach block ${head}`);
      };
      await indexedToHead();
      const pending = (await service.app.inject(`/api/intents/${id}`)).json();
      expect([pending.intent.status, pending.intent.transactions.length]).to.deep.equal(["Pending", 1]);
      await (await c.f.verifier.connect(c.f.user).cancel(intent)).wait();
      await indexedToHead();
      const cancelled = (await service.app.inject(`/api/intents/${id}`)).json();
      expect(cancelled.intent.status).to.equal("Cancelled");
      expect(cancelled.intent.transactions.map((t: { kind: string }) => t.kind)).to.deep.equal([
        "IntentSubmitted",
        "IntentCancelled",
      ]);
      expect([cancelled.status, cancelled.statusSource]).to.deep.equal(["Cancelled", "memory"]);
    });

    it("describes its routes in OpenAPI", async function () {
      const paths = Object.keys((await service.app.inject("/openapi.json")).json().paths);
      expect(paths).to.include.members([
        "/health",
        "/ready",
        "/api/intents/{id}",
        "/api/intents",
        "/api/transactions/{hash}",
        "/api/solvers",
        "/api/solvers/{address}",
      ]);
    });
  });
}
