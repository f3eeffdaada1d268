// socket.io on the API's own HTTP server: a client emits `subscribe` / `unsubscribe` with an
// intent id and is in or out of the room `intent:<id>`, where intentUpdate and intentRetraction
// are broadcast. With Redis the rooms span every instance (@socket.io/redis-adapter), so the one
// instance that broadcasts (where the indexer runs) reaches clients connected to any of them.
import type { Server as HttpServer } from "node:http";

import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import { Server, type Socket } from "socket.io";

import type { UpdateFeed } from "./feed.js";
import { eventName, payload } from "./messages.js";

export interface SocketOptions {
  feed: UpdateFeed;
  /** Whether this instance broadcasts the feed's rows. Without Redis every instance does (its own clients). */
  broadcast: boolean;
  redis?: Redis;
  /** Redis channel prefix, so that two deployments on one Redis do not hear each other. */
  key?: string;
  /**
   * Bytes a client may have waiting (engine.io's packet buffer and the socket's). Above it the
   * client is disconnected; socket.io has no replay, so a client that needs every transition
   * resumes from SSE with Last-Event-ID (or reads the intent) after it reconnects.
   */
  maxBufferedBytes?: number;
}

export interface LiveSockets {
  io: Server;
  close(): Promise<void>;
}

const ID = /^0x[0-9a-fA-F]{64}$/;
const room = (id: string) => `intent:${id.toLowerCase()}`;

type Ack = (answer: { ok: true; room: string } | { ok: false; error: { code: string; message: string } }) => void;

/** The engine.io socket's parts that the cap reads (not in its public types). */
interface EngineSocket {
  on(event: "packetCreate", listener: (packet: { data?: unknown }) => void): void;
  on(event: "flush", listener: () => void): void;
  close(discard?: boolean): void;
  transport?: { socket?: { _socket?: { writableLength?: number }; terminate?: () => void } };
}

function bytes(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

export function attachSockets(server: HttpServer, options: SocketOptions): LiveSockets {
  const maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
  const duplicates = options.redis === undefined ? [] : [options.redis.duplicate(), options.redis.duplicate()];
  const io = new Server(server, {
    serveClient: false,
    adapter: duplicates.length === 2 ? createAdapter(duplicates[0], duplicates[1], { key: options.key }) : undefined,
  });

  // The cap, counted as packets are queued: engine.io's buffer grows while the transport is busy
  // (a WebSocket whose socket is full, a long-poll not yet back), and nothing else bounds it.
  io.engine.on("connection", (raw: EngineSocket) => {
    let pending = 0;
    raw.on("flush", () => {
      pending = 0; // handed to the transport: counted by its socket's writableLength from now on
    });
    raw.on("packetCreate", (packet) => {
      pending += bytes(packet.data);
      const ws = raw.transport?.socket;
      if (pending + (ws?._socket?.writableLength ?? 0) <= maxBufferedBytes) return;
      raw.close(true);
      ws?.terminate?.();
    });
  });

  io.on("connection", (socket: Socket) => {
    const handler = (join: boolean) => async (id: unknown, ack?: Ack) => {
      const reply: Ack = typeof ack === "function" ? ack : () => {};
      if (typeof id !== "string" || !ID.test(id)) {
        return reply({ ok: false, error: { code: "BAD_INTENT_ID", message: "an intent id is 0x and 64 hex digits" } });
      }
      if (join) await socket.join(room(id));
      else await socket.leave(room(id));
      reply({ ok: true, room: room(id) });
    };
    socket.on("subscribe", handler(true));
    socket.on("unsubscribe", handler(false));
  });

  const unsubscribe = options.broadcast
    ? options.feed.subscribeAll((update) => io.to(room(update.intentId)).emit(eventName(update), payload(update)))
    : () => {};

  return {
    io,
    close: async () => {
      unsubscribe();
      // Not io.close(): that closes the HTTP server too, which is Fastify's to close.
      io.disconnectSockets(true);
      await Promise.allSettled([...io._nsps.values()].map((nsp) => nsp.adapter.close()));
      io.engine.close();
      await Promise.allSettled(duplicates.map((client) => client.quit()));
    },
  };
}
