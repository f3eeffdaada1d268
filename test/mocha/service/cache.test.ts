import { expect } from "chai";
import { Redis } from "ioredis";

import { RecordCache, StatusCache, type Tier, isSettled } from "../../../service/cache.js";
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

  it("keeps a settled status long and any other briefly, from the write-through and from the chain", async function () {
    const { cache, calls } = cacheWith({ briefTtlMs: 100, settledTtlMs: 60_000 });
    const other = `0x${"22".repeat(32)}`;
    const recent = `0x${"33".repeat(32)}`;
    const confirmed = `0x${"44".repeat(32)}`;
    await cache.write(ID, "Executing", true);
    await cache.write(recent, "Completed", false);
    await cache.status(other); // from the chain, nobody vouching for it: brief
    await cache.status(confirmed, (status) => status === "Pending"); // the store agrees, below the window
    await sleep(200);
    expect((await cache.status(ID)).tier).to.equal("memory");
    expect((await cache.status(recent)).tier).to.equal("chain");
    expect((await cache.status(other)).tier).to.equal("chain");
    expect((await cache.status(confirmed)).tier).to.equal("memory");
    expect(calls).to.deep.equal([other, confirmed, recent, other]);
  });

  it("settles a status only below the reorg window, and one not yet terminal only with the store caught up", function () {
    const position = { head: 200, indexed: 200, reorgDepth: 64 };
    expect(isSettled("Pending", 136, position)).to.equal(true);
    expect(isSettled("Pending", 137, position), "inside the window").to.equal(false);
    expect(isSettled("Completed", 137, position), "inside the window").to.equal(false);
    const behind = { ...position, indexed: 150 };
    expect(isSettled("Pending", 100, behind), "a later change may be on its way").to.equal(false);
    expect(isSettled("Completed", 100, behind), "terminal: nothing can follow").to.equal(true);
    expect(isSettled("Completed", 100, { ...position, indexed: null })).to.equal(true);
    expect(isSettled("Executing", 100, { ...position, indexed: null })).to.equal(false);
  });

  it("answers concurrent misses of one id with one chain call", async function () {
    const { cache, calls } = cacheWith({});
    const lookups = await Promise.all(Array.from({ length: 5 }, () => cache.status(ID)));
    expect(lookups.map((lookup) => lookup.status)).to.deep.equal(Array(5).fill("Pending"));
    expect(calls).to.deep.equal([ID]);
  });

  it("keeps a write-through or a clear that lands while a chain read is on its way, not the read's older answer", async function () {
    const answers: ((status: string) => void)[] = [];
    const cache = new StatusCache({
      fromChain: () => new Promise((resolve) => answers.push(resolve)),
      settledTtlMs: 60_000,
    });
    const reading = cache.status(ID);
    await sleep(10);
    await cache.write(ID, "Executing", false);
    answers[0]("Pending");
    expect((await reading).status).to.equal("Pending"); // what the chain said when asked
    expect(await cache.status(ID)).to.deep.equal({ status: "Executing", tier: "memory" });

    const other = `0x${"55".repeat(32)}`;
    const clearing = cache.status(other, () => true);
    await sleep(10);
    await cache.clear();
    answers[1]("Completed");
    await clearing;
    const again = cache.status(other);
    await sleep(10);
    expect(answers, "the cleared read's answer was not kept: the chain is asked again").to.have.length(3);
    answers[2]("Completed");
    expect((await again).tier).to.equal("chain");
  });

  it("after a clear, sends a new lookup to the chain rather than joining a read that answers for dropped blocks", async function () {
    const answers: ((status: string) => void)[] = [];
    const cache = new StatusCache({ fromChain: () => new Promise((resolve) => answers.push(resolve)) });
    const before = cache.status(ID);
    await sleep(10);
    await cache.clear();
    const after = cache.status(ID);
    await sleep(10);
    expect(answers, "a second chain read").to.have.length(2);
    answers[0]("Executing");
    answers[1]("Pending");
    expect([(await before).status, (await after).status]).to.deep.equal(["Executing", "Pending"]);
    expect(await cache.status(ID)).to.deep.equal({ status: "Pending", tier: "memory" });
  });

  it("forgets a chain read that failed, so the next lookup asks again", async function () {
    let calls = 0;
    const cache = new StatusCache({
      fromChain: (() => {
        calls++;
        if (calls === 1) throw new Error("node down"); // synchronously, as a plain function may
        return Promise.resolve("Pending");
      }) as (id: string) => Promise<string>,
    });
    await cache.status(ID).then(
      () => expect.fail("the first lookup should fail"),
      (error: Error) => expect(error.message).to.equal("node down"),
    );
    expect((await cache.status(ID)).status).to.equal("Pending");
    expect(calls).to.equal(2);
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

describe("service record cache", function () {
  it("serves a record from memory until the indexer changes it", async function () {
    const records = new RecordCache<{ id: string; status: string }>();
    let loads = 0;
    const load = async () => ({ id: ID, status: ++loads === 1 ? "Pending" : "Cancelled" });
    expect((await records.get(ID, load))!.status).to.equal("Pending");
    expect((await records.get(ID, load))!.status).to.equal("Pending");
    records.invalidate([ID]);
    expect((await records.get(ID, load))!.status).to.equal("Cancelled");
    expect(loads).to.equal(2);
    records.clear();
    await records.get(ID, load);
    expect(loads).to.equal(3);
  });

  it("does not keep a load that overlapped a change, nor a record the store does not hold", async function () {
    const records = new RecordCache<{ status: string }>();
    let loads = 0;
    const overlapping = records.get(ID, async () => {
      loads++;
      records.invalidate([`0x${"99".repeat(32)}`]); // the indexer commits a batch meanwhile
      return { status: "Pending" };
    });
    expect((await overlapping)!.status).to.equal("Pending");
    await records.get(ID, async () => (loads++, { status: "Executing" }));
    expect(loads, "the overlapped load was not kept").to.equal(2);
    expect(await records.get(`0x${"77".repeat(32)}`, async () => undefined)).to.equal(undefined);
    let asked = false;
    await records.get(`0x${"77".repeat(32)}`, async () => ((asked = true), undefined));
    expect(asked, "an unknown id is asked again").to.equal(true);
  });
});
