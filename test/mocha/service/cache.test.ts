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
    const later = `0x${"55".repeat(32)}`;
    const unknown = `0x${"66".repeat(32)}`;
    // The store's answer may come after the chain's; a store that failed vouches for nothing.
    await cache.status(later, async () => (await sleep(20), true));
    expect(await cache.status(unknown, async () => Promise.reject(new Error("store down")))).to.deep.equal({
      status: "Pending",
      tier: "chain",
    });
    await sleep(200);
    expect((await cache.status(later)).tier).to.equal("memory");
    expect((await cache.status(unknown)).tier).to.equal("chain");
    expect((await cache.status(ID)).tier).to.equal("memory");
    expect((await cache.status(recent)).tier).to.equal("chain");
    expect((await cache.status(other)).tier).to.equal("chain");
    expect((await cache.status(confirmed)).tier).to.equal("memory");
    expect(calls).to.deep.equal([other, confirmed, later, unknown, unknown, recent, other]);
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
  /** A store of one record per id, counting the loads and the ids each asked for. */
  function store(statuses: Map<string, string>) {
    const loads: string[][] = [];
    const options = {
      loadMany: async (ids: string[]) => {
        loads.push(ids);
        const found = new Map<string, { id: string; status: string }>();
        for (const id of ids) if (statuses.has(id)) found.set(id, { id, status: statuses.get(id)! });
        return found;
      },
    };
    return { loads, options };
  }
  const OTHER = `0x${"77".repeat(32)}`;

  it("serves a record from memory until the indexer changes it", async function () {
    const statuses = new Map([[ID, "Pending"]]);
    const { loads, options } = store(statuses);
    const records = new RecordCache(options);
    expect((await records.get(ID))!.status).to.equal("Pending");
    statuses.set(ID, "Cancelled");
    expect((await records.get(ID))!.status, "from memory").to.equal("Pending");
    records.invalidate([ID]);
    expect((await records.get(ID))!.status).to.equal("Cancelled");
    expect(loads.length).to.equal(2);
    records.clear();
    await records.get(ID);
    expect(loads.length).to.equal(3);
  });

  it("reads every id asked for in one turn with one load, each id once", async function () {
    const { loads, options } = store(new Map([[ID, "Pending"]]));
    const records = new RecordCache({ ...options, maxBatch: 3 });
    const ids = [ID, OTHER, ID, `0x${"01".repeat(32)}`, `0x${"02".repeat(32)}`];
    const answers = await Promise.all(ids.map((id) => records.get(id)));
    expect(answers.map((record) => record?.status)).to.deep.equal([
      "Pending",
      undefined,
      "Pending",
      undefined,
      undefined,
    ]);
    expect(loads, "four distinct ids, at most three a load").to.deep.equal([
      [ID, OTHER, `0x${"01".repeat(32)}`],
      [`0x${"02".repeat(32)}`],
    ]);
  });

  it("holds the ids asked for while the loads allowed at once are on their way, and reads them together next", async function () {
    const statuses = new Map([[ID, "Pending"]]);
    const { loads, options } = store(statuses);
    const released: (() => void)[] = [];
    // A store that answers only when the test lets it: the first load stays on its way.
    const slow = {
      loadMany: async (ids: string[]) => {
        await new Promise<void>((resolve) => released.push(resolve));
        return options.loadMany(ids);
      },
    };
    const records = new RecordCache({ ...slow, maxLoading: 1 });
    const first = records.get(ID);
    await new Promise((resolve) => setImmediate(resolve));
    expect(released.length, "the first load has started").to.equal(1);
    const later = [OTHER, `0x${"01".repeat(32)}`, `0x${"02".repeat(32)}`];
    const waiting: Promise<unknown>[] = [];
    for (const id of later) {
      waiting.push(records.get(id));
      await new Promise((resolve) => setImmediate(resolve)); // each in a turn of its own
    }
    expect(released.length, "none of them starts a load while one is on its way").to.equal(1);
    released[0]!();
    expect((await first)!.status).to.equal("Pending");
    while (released.length < 2) await new Promise((resolve) => setImmediate(resolve));
    released[1]!();
    await Promise.all(waiting);
    expect(loads).to.deep.equal([[ID], later]);
  });

  it("answers every request for an id the indexer changed while its read was still queued", async function () {
    const { loads, options } = store(new Map([[ID, "Pending"]]));
    const records = new RecordCache(options);
    const before = records.get(ID);
    records.invalidate([ID]);
    const after = records.get(ID);
    expect((await before)!.status).to.equal("Pending");
    expect((await after)!.status).to.equal("Pending");
    expect(loads, "the queued read had not started: it serves both").to.deep.equal([[ID]]);
  });

  it("does not keep a load that overlapped a change, nor a record the store does not hold", async function () {
    const statuses = new Map([[ID, "Pending"]]);
    const { loads, options } = store(statuses);
    const records = new RecordCache({
      loadMany: async (ids: string[]) => {
        const found = await options.loadMany(ids);
        if (loads.length === 1) records.invalidate([`0x${"99".repeat(32)}`]); // the indexer commits a batch meanwhile
        return found;
      },
    });
    expect((await records.get(ID))!.status).to.equal("Pending");
    statuses.set(ID, "Executing");
    expect((await records.get(ID))!.status, "the overlapped load was not kept").to.equal("Executing");
    expect(await records.get(OTHER)).to.equal(undefined);
    await records.get(OTHER);
    expect(loads.length, "an unknown id is asked again").to.equal(4);
  });

  it("fails every request of a failed load, and loads again next time", async function () {
    let fail = true;
    const records = new RecordCache<{ status: string }>({
      loadMany: async (ids) => {
        if (fail) throw new Error("store down");
        return new Map(ids.map((id) => [id, { status: "Pending" }]));
      },
    });
    const results = await Promise.allSettled([records.get(ID), records.get(OTHER)]);
    expect(results.map((result) => result.status)).to.deep.equal(["rejected", "rejected"]);
    fail = false;
    expect((await records.get(ID))!.status).to.equal("Pending");
  });
});
