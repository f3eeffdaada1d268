import { expect } from "chai";
import { Redis } from "ioredis";

import { StatusCache, type Tier } from "../../../service/cache.js";
import { type RedisServer, startRedis } from "./harness.js";

const ID = `0x${"11".repeat(32)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("service status cache", function () {
  this.timeout(30_000);
  let server: RedisServer;
  let redis: Redis;

  before(async function () {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  });
  after(async function () {
    redis?.disconnect();
    await server?.stop();
  });

  function cacheWith(options: { redis?: Redis; briefTtlMs?: number; settledTtlMs?: number; namespace?: string }) {
    const calls: string[] = [];
    const hits: Tier[] = [];
    const cache = new StatusCache({
      fromChain: async (id) => {
        calls.push(id);
        return "Pending";
      },
      onHit: (tier) => hits.push(tier),
      ...options,
    });
    return { cache, calls, hits };
  }

  it("answers a miss with exactly one chain call, then from memory", async function () {
    const { cache, calls, hits } = cacheWith({});
    expect(await cache.status(ID)).to.deep.equal({ status: "Pending", tier: "chain" });
    expect(await cache.status(ID)).to.deep.equal({ status: "Pending", tier: "memory" });
    expect(calls).to.deep.equal([ID]);
    expect(hits).to.deep.equal(["chain", "memory"]);
  });

  it("keeps a status that may still change briefly, a settled terminal one long", async function () {
    const { cache, calls } = cacheWith({ briefTtlMs: 100, settledTtlMs: 60_000 });
    await cache.write(ID, "Executing", true); // not terminal: brief however deep
    const other = `0x${"22".repeat(32)}`;
    await cache.write(other, "Completed", true);
    const recent = `0x${"33".repeat(32)}`;
    await cache.write(recent, "Completed", false); // inside the reorg window: brief
    await sleep(200);
    expect((await cache.status(ID)).tier).to.equal("chain");
    expect((await cache.status(other)).tier).to.equal("memory");
    expect((await cache.status(recent)).tier).to.equal("chain");
    expect(calls).to.deep.equal([ID, recent]);
  });

  it("shares statuses through Redis between processes, with the TTL the writer set, and clears both tiers", async function () {
    const writer = cacheWith({ redis, namespace: "test-a", settledTtlMs: 60_000 });
    const reader = cacheWith({ redis, namespace: "test-a" });
    const stranger = cacheWith({ redis, namespace: "test-b" });
    await writer.cache.write(ID, "Completed", true);
    expect(await reader.cache.status(ID)).to.deep.equal({ status: "Completed", tier: "redis" });
    expect(await reader.cache.status(ID)).to.deep.equal({ status: "Completed", tier: "memory" });
    expect(await redis.pttl(`intentkit:test-a:status:${ID}`)).to.be.within(50_000, 60_000);
    expect((await stranger.cache.status(ID)).tier, "another deployment's namespace").to.equal("chain");
    await writer.cache.clear();
    expect(await redis.exists(`intentkit:test-a:status:${ID}`)).to.equal(0);
    expect(await redis.exists(`intentkit:test-b:status:${ID}`), "the other namespace is kept").to.equal(1);
    expect((await writer.cache.status(ID)).tier).to.equal("chain");
  });
});
