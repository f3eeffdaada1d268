// The live layer of one API instance: the feed, the SSE route and socket.io, as one Fastify
// plugin. Where the indexer runs it publishes (its callbacks poke the feed after each commit, and
// with Redis its socket.io broadcasts reach every instance); elsewhere it only delivers, learning
// of new rows by polling the log, and leaves socket.io's rooms to the publisher when Redis joins them.
import type { FastifyPluginAsync } from "fastify";
import type { Redis } from "ioredis";

import type { Queryable } from "../store/database.js";
import { UpdateFeed } from "./feed.js";
import { type LiveSockets, attachSockets } from "./socket.js";
import { createSse } from "./sse.js";

export interface LiveOptions {
  db: Queryable;
  redis?: Redis;
  /** True where the indexer runs: it calls `poke()` after each commit. */
  publisher?: boolean;
  /** How often a delivery-only instance polls the log (ms). */
  pollMs?: number;
  heartbeatMs?: number;
  /** Per-connection cap of bytes waiting to be sent, for SSE and socket.io alike. */
  maxBufferedBytes?: number;
  /** socket.io's Redis channel prefix. */
  key?: string;
}

export interface Live {
  feed: UpdateFeed;
  /** Registers the SSE route and attaches socket.io to the app's server; closes both with the app. */
  plugin: FastifyPluginAsync;
  /** After a commit that may have added rows (the indexer's onBatch and onReorg). */
  poke(): Promise<void>;
  /** socket.io, once the plugin is registered. */
  sockets(): LiveSockets | undefined;
  openStreams(): number;
  /** SSE connections closed at the cap since start. */
  dropped(): number;
}

export function createLive(options: LiveOptions): Live {
  const feed = new UpdateFeed(options.db);
  let dropped = 0;
  const sse = createSse({
    db: options.db,
    feed,
    heartbeatMs: options.heartbeatMs,
    maxBufferedBytes: options.maxBufferedBytes,
    onDrop: () => dropped++,
  });
  let sockets: LiveSockets | undefined;
  const plugin: FastifyPluginAsync = async (app) => {
    await feed.start();
    if (options.publisher !== true) feed.poll(options.pollMs ?? 200);
    sockets = attachSockets(app.server, {
      feed,
      // With Redis the rooms are shared: only the publisher broadcasts, or clients would get each row once per instance.
      broadcast: options.publisher === true || options.redis === undefined,
      redis: options.redis,
      key: options.key,
      maxBufferedBytes: options.maxBufferedBytes,
    });
    app.addHook("preClose", async () => {
      feed.stop();
      await sockets?.close();
    });
    await app.register(sse.routes);
  };
  return {
    feed,
    plugin,
    poke: () => feed.poke(),
    sockets: () => sockets,
    openStreams: sse.openConnections,
    dropped: () => dropped,
  };
}
