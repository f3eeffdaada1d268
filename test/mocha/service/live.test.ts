import net from "node:net";

import { expect } from "chai";
import Fastify, { type FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { type Socket, io } from "socket.io-client";

import { type Live, createLive } from "../../../service/live/live.js";
import { recordTransitions } from "../../../service/live/update-log.js";
import { createService, type Service } from "../../../service/service.js";
import { type Database, openDatabase } from "../../../service/store/database.js";
import { STATUS_NAMES } from "../../../lib/domain/intents.js";
import { E18 } from "../fixtures.js";
import {
  type ChainWithSystem,
  type Postgres,
  type RedisServer,
  chainWithSystem,
  freshStore,
  postgresAvailable,
  reorg,
  startPostgres,
  startRedis,
} from "./harness.js";

interface Message {
  id: number;
  event: string;
  data: any;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** An SSE stream read in the background: every message (id, event, parsed data) as it arrives. */
class Stream {
  readonly messages: Message[] = [];
  readonly #abort = new AbortController();
  done: Promise<void>;
  /** The server ended (or dropped) the stream. */
  ended = false;
  status = 0;
  contentType = "";

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = this.#read(url, headers)
      .catch(() => {})
      .finally(() => {
        this.ended = true;
      });
  }

  async #read(url: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(url, { signal: this.#abort.signal, headers });
    this.status = response.status;
    this.contentType = response.headers.get("content-type") ?? "";
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          const colon = line.indexOf(": ");
          if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
        }
        if (fields.event !== undefined)
          this.messages.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data!) });
      }
    }
  }

  async count(n: number, what = `${n} SSE messages`): Promise<Message[]> {
    await until(() => this.messages.length >= n, what);
    return this.messages.slice(0, n);
  }

  close(): void {
    this.#abort.abort();
  }
}

/** A socket.io client that records every intentUpdate and intentRetraction it gets. */
async function socketClient(base: string): Promise<{ socket: Socket; events: [string, any][] }> {
  const socket = io(base, { transports: ["websocket"], reconnection: false, forceNew: true });
  const events: [string, any][] = [];
  socket.on("intentUpdate", (data) => events.push(["intentUpdate", data]));
  socket.on("intentRetraction", (data) => events.push(["intentRetraction", data]));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return { socket, events };
}

const ack = (socket: Socket, event: string, id: unknown): Promise<any> => socket.timeout(5_000).emitWithAck(event, id);

for (const store of ["pglite", "postgres"] as const) {
  describe(`service live status on ${store === "pglite" ? "PGlite" : "Postgres + Redis"}: SSE, socket.io, reorgs, the cap`, function () {
    this.timeout(180_000);
    const CAP = 1 << 20; // the default, set through the option
    let c: ChainWithSystem;
    let pg: Postgres | undefined;
    let redisServer: RedisServer | undefined;
    let redis: Redis | undefined;
    let db: Database;
    let service: Service;
    let base: string;
    const closers: (() => unknown)[] = [];

    /** The node's head (not ethers' cached one), and then the indexer at it, and its rows published. */
    async function indexedToHead(): Promise<void> {
      const head = Number(await c.provider.send("eth_blockNumber", []));
      await until(() => (service.indexer.indexed ?? 0) >= head, `the indexer at block ${head}`);
      await service.live.poke();
    }

    async function newSwap() {
      const intent = await c.f.swapIntent({ nonce: await c.f.verifier.nextNonce(c.f.user.address) });
      return { intent, id: (await c.f.verifier.hashIntent(intent)).toLowerCase() };
    }
    const submit = async (intent: any) => (await c.f.verifier.connect(c.f.user).submit(intent)).wait();
    const claim = async (id: string) => (await c.f.verifier.connect(c.f.solver).claim(id)).wait();
    const fulfil = async (intent: any) =>
      (
        await c.f.verifier
          .connect(c.f.solver)
          .fulfill(intent, { amountOut: 3_000n * E18, gasUsed: 120_000n, totalCost: 7n, refs: [] })
      ).wait();
    async function expectUpdate(message: Message, id: string, status: string, receipt: any): Promise<void> {
      const block = await c.provider.getBlock(receipt.blockNumber);
      expect(message.event).to.equal("intentUpdate");
      expect(message.data).to.deep.equal({
        intentId: id,
        status,
        timestamp: new Date(block!.timestamp * 1000).toISOString(),
        blockNumber: receipt.blockNumber,
        txHash: receipt.hash,
        seq: message.id,
      });
    }

    before(async function () {
      if (store === "postgres") {
        if (!postgresAvailable()) throw new Error("Postgres is not installed: run node scripts/system-packages.mjs");
        pg = await startPostgres();
        redisServer = await startRedis();
        redis = new Redis(redisServer.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
      }
      c = await chainWithSystem();
      db = await freshStore(pg?.url);
      service = await createService({
        db,
        provider: c.provider,
        chainId: 31337,
        contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
        startBlock: c.startBlock,
        batchSize: 10,
        pollMs: 50,
        redis,
        live: { maxBufferedBytes: CAP },
      });
      base = await service.app.listen({ host: "127.0.0.1", port: 0 });
      await indexedToHead();
    });
    afterEach(async function () {
      for (const close of closers.splice(0).reverse()) await close();
    });
    after(async function () {
      await service?.close();
      redis?.disconnect();
      await redisServer?.stop();
      await c?.stop();
      await pg?.stop();
    });

    it("SSE: streams each transition live, in order, with intentId, status, ISO timestamp, block, tx hash and seq = id", async function () {
      const { intent, id } = await newSwap();
      const submitted = await submit(intent);
      await indexedToHead();
      const stream = new Stream(`${base}/api/intents/${id}/events`);
      closers.push(() => stream.close());
      await stream.count(1, "the history");
      expect(stream.status).to.equal(200);
      expect(stream.contentType).to.match(/^text\/event-stream/);
      const claimed = await claim(id);
      await stream.count(2, "the claim, live");
      const fulfilled = await fulfil(intent);
      const messages = await stream.count(3, "the fulfil, live");
      await sleep(300);
      expect(stream.messages).to.have.length(3);
      await expectUpdate(messages[0]!, id, "Pending", submitted);
      await expectUpdate(messages[1]!, id, "Executing", claimed);
      await expectUpdate(messages[2]!, id, "Completed", fulfilled);
      const seqs = messages.map((m) => m.id);
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).to.equal(3);
    });

    it("SSE: a reconnect with Last-Event-ID gets exactly the transitions it missed", async function () {
      const { intent, id } = await newSwap();
      await submit(intent);
      await indexedToHead();
      const first = new Stream(`${base}/api/intents/${id}/events`);
      const [pending] = await first.count(1);
      first.close();
      await first.done;
      expect(pending!.data.status).to.equal("Pending");
      await claim(id);
      await fulfil(intent);
      await indexedToHead();
      const again = new Stream(`${base}/api/intents/${id}/events`, { "last-event-id": String(pending!.id) });
      closers.push(() => again.close());
      const missed = await again.count(2, "the missed transitions");
      await sleep(300);
      expect(again.messages.map((m) => [m.event, m.data.status])).to.deep.equal([
        ["intentUpdate", "Executing"],
        ["intentUpdate", "Completed"],
      ]);
      // The same rows as the full history's, after the one seen.
      const full = new Stream(`${base}/api/intents/${id}/events`);
      closers.push(() => full.close());
      const history = await full.count(3);
      expect(missed).to.deep.equal(history.slice(1));
      expect(missed[0]!.id).to.be.greaterThan(pending!.id);
    });

    it("a reorg that undoes the fulfil: an intentRetraction over SSE and socket.io (retracts its seq, status after)", async function () {
      const { intent, id } = await newSwap();
      await submit(intent);
      await claim(id);
      const fulfilled = await fulfil(intent); // the last block: a reorg of depth 1 drops it
      await indexedToHead();
      const stream = new Stream(`${base}/api/intents/${id}/events`);
      closers.push(() => stream.close());
      const history = await stream.count(3);
      expect(history.map((m) => m.data.status)).to.deep.equal(["Pending", "Executing", "Completed"]);
      const client = await socketClient(base);
      closers.push(() => client.socket.disconnect());
      expect(await ack(client.socket, "subscribe", id)).to.deep.equal({ ok: true, room: `intent:${id}` });

      await reorg(c.chain.url, 1, c.f.admin.address, c.f.stranger.address);
      const [retraction] = (await stream.count(4, "the retraction")).slice(3);
      await until(() => client.events.length >= 1, "the retraction over socket.io");
      await sleep(300);
      const expected = {
        intentId: id,
        retracts: history[2]!.id,
        status: "Executing",
        blockNumber: fulfilled!.blockNumber,
        seq: retraction!.id,
      };
      expect(retraction!.event).to.equal("intentRetraction");
      expect(retraction!.data).to.deep.equal(expected);
      expect(stream.messages).to.have.length(4);
      expect(client.events).to.deep.equal([["intentRetraction", expected]]);
      expect(STATUS_NAMES[Number(await c.f.verifier.statusOf(id))]).to.equal("Executing"); // on the new chain
    });

    it("socket.io: subscribe gets that intent's updates only; after unsubscribe none; a bad id is an error ack", async function () {
      const a = await newSwap();
      await submit(a.intent);
      const b = await newSwap();
      await submit(b.intent);
      await indexedToHead();
      const one = await socketClient(base);
      const two = await socketClient(base);
      closers.push(
        () => one.socket.disconnect(),
        () => two.socket.disconnect(),
      );
      expect(await ack(one.socket, "subscribe", a.id.toUpperCase().replace("0X", "0x"))).to.deep.equal({
        ok: true,
        room: `intent:${a.id}`,
      });
      expect(await ack(two.socket, "subscribe", b.id)).to.deep.equal({ ok: true, room: `intent:${b.id}` });

      const claimA = await claim(a.id);
      const claimB = await claim(b.id);
      await until(() => two.events.length >= 1, "b's claim on the second client");
      await until(() => one.events.length >= 1, "a's claim on the first client");
      await sleep(300);
      expect(one.events.map(([event, data]) => [event, data.intentId, data.status])).to.deep.equal([
        ["intentUpdate", a.id, "Executing"],
      ]);
      expect(two.events.map(([event, data]) => [event, data.intentId, data.status])).to.deep.equal([
        ["intentUpdate", b.id, "Executing"],
      ]);
      // The same payload as SSE's.
      const stream = new Stream(`${base}/api/intents/${a.id}/events`);
      closers.push(() => stream.close());
      const sse = await stream.count(2);
      expect(one.events[0]![1]).to.deep.equal(sse[1]!.data);
      expect([one.events[0]![1].txHash, two.events[0]![1].txHash]).to.deep.equal([claimA!.hash, claimB!.hash]);

      expect(await ack(one.socket, "unsubscribe", a.id)).to.deep.equal({ ok: true, room: `intent:${a.id}` });
      await fulfil(a.intent);
      await fulfil(b.intent); // after a's: once the second client has it, a's was broadcast too
      await until(() => two.events.length >= 2, "b's fulfil on the second client");
      await stream.count(3, "a's fulfil over SSE");
      await sleep(300);
      expect(one.events).to.have.length(1);
      expect(two.events.map(([, data]) => data.status)).to.deep.equal(["Executing", "Completed"]);

      for (const bad of ["0x12", `0x${"zz".repeat(32)}`, 42, undefined]) {
        const answer = await ack(one.socket, "subscribe", bad);
        expect(answer.ok).to.equal(false);
        expect(answer.error.code).to.equal("BAD_INTENT_ID");
        expect(answer.error.message).to.be.a("string");
      }
      expect((await ack(one.socket, "unsubscribe", "nope")).error.code).to.equal("BAD_INTENT_ID");
      expect(one.socket.connected).to.equal(true);
    });

    if (store === "postgres")
      it("two instances on one Postgres and Redis: a socket.io and an SSE client of the API-only one get the publisher's updates, once", async function () {
        const db2 = await openDatabase({ url: pg!.url });
        const app2: FastifyInstance = Fastify();
        const live2: Live = createLive({
          db: db2,
          redis,
          pollMs: 50,
          key: `intentkit:31337:${c.f.verifierAddress.toLowerCase()}`,
        });
        await app2.register(live2.plugin);
        const base2 = await app2.listen({ host: "127.0.0.1", port: 0 });
        closers.push(async () => {
          await app2.close();
          await db2.close();
        });
        const { intent, id } = await newSwap();
        const client = await socketClient(base2);
        closers.push(() => client.socket.disconnect());
        expect(await ack(client.socket, "subscribe", id)).to.deep.equal({ ok: true, room: `intent:${id}` });
        const stream = new Stream(`${base2}/api/intents/${id}/events`);
        closers.push(() => stream.close());
        await until(() => live2.openStreams() === 1, "the stream open on the second instance");

        const submitted = await submit(intent);
        const claimed = await claim(id);
        const messages = await stream.count(2, "both transitions over SSE on the second instance");
        await until(() => client.events.length >= 2, "both transitions over socket.io on the second instance");
        await sleep(500);
        await expectUpdate(messages[0]!, id, "Pending", submitted);
        await expectUpdate(messages[1]!, id, "Executing", claimed);
        expect(stream.messages).to.have.length(2);
        expect(client.events).to.deep.equal(messages.map((m) => [m.event, m.data]));
        expect(service.live.openStreams()).to.equal(0); // the first instance served none of it
      });

    // Last: it fills the log with rows of an intent that is not on chain.
    it("a slow SSE reader is dropped at the cap, not buffered forever; a reader that reconnects with Last-Event-ID loses nothing", async function () {
      const id = `0x${"5e".repeat(32)}`;
      const url = `${base}/api/intents/${id}/events`;
      // Paused: the client reads nothing, so the kernel's buffers fill, then Node's.
      const slow = net.connect(Number(new URL(base).port), "127.0.0.1");
      await new Promise<void>((resolve) => slow.once("connect", () => resolve()));
      slow.write(`GET /api/intents/${id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      slow.pause();
      let slowClosed = false;
      slow.once("close", () => (slowClosed = true));
      slow.on("error", () => {});
      closers.push(() => slow.destroy());
      // A reader that reads, live from before the rows commit: if the burst outruns it and it is
      // dropped too, it resumes after the last seq it saw.
      let reader = new Stream(url);
      closers.push(() => reader.close());
      await until(() => service.live.openStreams() === 2, "both streams open");
      const dropped = service.live.dropped();

      // ~265 bytes a message: 40,000 are 10 MB, well above the cap plus what the kernel holds.
      const N = 40_000;
      const block = await c.provider.getBlockNumber();
      const rows = Array.from({ length: N }, (_, i) => ({
        intentId: id,
        status: i % 2 === 0 ? "Pending" : "Executing",
        blockNumber: block,
        blockTime: 1_700_000_000 + i,
        txHash: `0x${i.toString(16).padStart(64, "0")}`,
        logIndex: i,
      }));
      await recordTransitions(db, rows);
      await service.live.poke();

      const got: Message[] = [];
      let connections = 1;
      const deadline = Date.now() + 60_000;
      for (;;) {
        await until(() => reader.ended || got.length + reader.messages.length >= N, "the reader's rows", 60_000);
        got.push(...reader.messages);
        reader.close();
        await reader.done;
        if (got.length >= N || Date.now() > deadline) break;
        reader = new Stream(url, { "last-event-id": String(got[got.length - 1]!.id) });
        closers.push(() => reader.close());
        connections++;
      }
      expect(got.map((m) => m.data.txHash)).to.deep.equal(rows.map((r) => r.txHash)); // no gap, no repeat
      expect(got.map((m) => m.id)).to.deep.equal(got.map((m) => m.data.seq));

      // The slow one is gone on the server: dropped at the cap (the reader's drops are its reconnects).
      await until(() => service.live.openStreams() === 0, "no stream open");
      expect(service.live.dropped()).to.equal(dropped + 1 + (connections - 1));
      expect(slowClosed).to.equal(false); // paused: it has not read the end yet
      // Once it reads, it gets what the kernel held and then the end, far short of the 10 MB.
      slow.resume();
      await until(() => slowClosed, "the slow reader to see the end", 10_000);
      expect(slow.bytesRead).to.be.greaterThan(0);
      expect(slow.bytesRead).to.be.lessThan(N * 200);
    });
  });
}
