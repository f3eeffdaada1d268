// GET /api/intents/:id/events: an intent's updates as Server-Sent Events; GET /api/events: every
// intent's. The history comes from the log (all of it, or what follows Last-Event-ID), then the
// feed's rows as they commit; seq is each message's id, so a client that reconnects misses
// nothing and sees nothing twice.
import type { ServerResponse } from "node:http";

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";

import type { Queryable } from "../store/database.js";
import type { UpdateFeed } from "./feed.js";
import { sseMessage } from "./messages.js";
import { type Update, readUpdates } from "./update-log.js";

export interface SseOptions {
  db: Queryable;
  feed: UpdateFeed;
  /** A comment line this often, so that proxies keep the connection and clients notice a dead one. */
  heartbeatMs?: number;
  /**
   * Bytes a connection may have waiting to be sent (Node's buffer and the socket's). Above it the
   * connection is closed: a slow reader costs at most this much memory, and loses nothing, since
   * it reconnects with Last-Event-ID and the log is durable.
   */
  maxBufferedBytes?: number;
  /** A connection closed at the cap. */
  onDrop?: (intentId: string) => void;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 1 << 20;
const HISTORY_PAGE = 500;
/** How long the browser's EventSource waits before it reconnects. */
const RETRY_MS = 1_000;
const SEQ = { type: "string", pattern: "^[0-9]{1,15}$" } as const;

/** One client's stream. */
class SseConnection {
  #cursor: number;
  /** Rows the feed handed out while the history was being read; sent after it, above the cursor. */
  #queued: Update[] | undefined = [];
  #queuedBytes = 0;
  closed = false;

  constructor(
    readonly intentId: string,
    readonly raw: ServerResponse,
    after: number,
    readonly maxBufferedBytes: number,
    readonly onDrop: (() => void) | undefined,
  ) {
    this.#cursor = after;
  }

  get cursor(): number {
    return this.#cursor;
  }

  live(update: Update): void {
    if (this.#queued === undefined) return this.send(update);
    this.#queued.push(update);
    this.#queuedBytes += 200; // about one message
    if (this.#queuedBytes > this.maxBufferedBytes) this.drop();
  }

  /** The history is out: what queued meanwhile follows, and then rows go out as they come. */
  flush(): void {
    const queued = this.#queued ?? [];
    this.#queued = undefined;
    for (const update of queued) this.send(update);
  }

  send(update: Update): void {
    if (this.closed || update.seq <= this.#cursor) return;
    this.#cursor = update.seq;
    this.write(sseMessage(update));
  }

  write(text: string): void {
    if (this.closed) return;
    this.raw.write(text);
    if (this.raw.writableLength > this.maxBufferedBytes) this.drop();
  }

  drop(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDrop?.();
    this.raw.destroy();
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.raw.end();
  }
}

export interface Sse {
  /** The route, as a Fastify plugin. */
  routes: FastifyPluginAsync;
  /** Streams open now. */
  openConnections(): number;
}

export function createSse(options: SseOptions): Sse {
  const { db, feed } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const open = new Set<SseConnection>();
  const routes: FastifyPluginAsync = async (app) => {
    // Before the server stops listening: it would wait for these streams, which never end.
    app.addHook("preClose", async () => {
      for (const connection of open) connection.end();
    });

    async function stream(
      request: FastifyRequest<{ Querystring: { lastEventId?: string }; Headers: { "last-event-id"?: string } }>,
      reply: FastifyReply,
      intentId: string | undefined,
    ): Promise<void> {
      // The header wins: EventSource sends it on a reconnect, with the first URL's query unchanged.
      const after = Number(request.headers["last-event-id"] ?? request.query.lastEventId ?? 0);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      const label = intentId ?? "*";
      const connection = new SseConnection(label, raw, after, maxBufferedBytes, () => options.onDrop?.(label));
      open.add(connection);
      // Subscribed before the history is read: a row committed after the read reaches the feed
      // after this line, and one the read has is skipped by the cursor.
      const listener = (update: Update) => connection.live(update);
      const unsubscribe = intentId === undefined ? feed.subscribeAll(listener) : feed.subscribe(intentId, listener);
      const heartbeat = setInterval(() => connection.write(": heartbeat\n\n"), heartbeatMs);
      heartbeat.unref();
      raw.on("close", () => {
        connection.closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(connection);
      });
      connection.write(`retry: ${RETRY_MS}\n\n`);
      try {
        for (;;) {
          const page = await readUpdates(db, { intentId, after: connection.cursor, limit: HISTORY_PAGE });
          for (const update of page) connection.send(update);
          if (page.length < HISTORY_PAGE || connection.closed) break;
        }
        connection.flush();
      } catch (error) {
        request.log.error(error);
        connection.drop();
      }
    }

    const resume = {
      querystring: { type: "object", properties: { lastEventId: SEQ }, additionalProperties: false },
      headers: { type: "object", properties: { "last-event-id": SEQ } },
    } as const;

    app.get<{ Params: { id: string }; Querystring: { lastEventId?: string }; Headers: { "last-event-id"?: string } }>(
      "/api/intents/:id/events",
      {
        schema: {
          description:
            "text/event-stream: intentUpdate and intentRetraction messages, id = seq; Last-Event-ID (or ?lastEventId=) resumes after it",
          params: {
            type: "object",
            properties: { id: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } },
            required: ["id"],
          },
          ...resume,
        },
      },
      (request, reply) => stream(request, reply, request.params.id.toLowerCase()),
    );

    // Every intent's updates in one stream: what a solver bot or a keeper follows.
    app.get<{ Querystring: { lastEventId?: string }; Headers: { "last-event-id"?: string } }>(
      "/api/events",
      {
        schema: {
          description:
            "text/event-stream: every intent's intentUpdate and intentRetraction messages, id = seq; Last-Event-ID (or ?lastEventId=) resumes after it",
          ...resume,
        },
      },
      (request, reply) => stream(request, reply, undefined),
    );
  };
  return { routes, openConnections: () => open.size };
}
