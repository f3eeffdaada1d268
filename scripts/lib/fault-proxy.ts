// A JSON-RPC proxy that misbehaves on purpose, for tests of the solver bot: it sits between the
// bots and a local node (127.0.0.1 only) and drops connections, answers 429, and delays, as real
// RPC providers do. The nastiest fault is a request that reaches the node while its client never
// hears back: a bot that then re-signs with the same nonce but a different transaction sends a
// nonce twice. The proxy records every eth_sendRawTransaction it sees so that a test can check.
//
// Faults are drawn from a seeded PRNG, one roll per HTTP request in arrival order, so a run with
// the same seed and the same requests meets the same faults in the same amounts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

import { Transaction } from "ethers";

import { freePort } from "./local-chain.js";

export interface FaultPlan {
  /** Share of requests whose connection is destroyed: half before forwarding, half after. */
  dropShare: number;
  /** Share of requests answered HTTP 429 without forwarding. */
  tooManyShare: number;
  /** The other requests are forwarded after a delay drawn uniformly from 0..maxDelayMs. */
  maxDelayMs: number;
  /** Seed of the PRNG (default 1), read once at start. */
  seed?: number;
  /** The 429's Retry-After in seconds (default 1; 0: no header, as many providers answer). */
  retryAfterSeconds?: number;
}

export interface SentTransaction {
  hash: string;
  /** Lowercased. */
  from: string;
  nonce: number;
  /** Whether the request carrying it reached the node (and the node answered). */
  forwarded: boolean;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Read per request: tests may set the shares to 0 to turn faults off. */
  plan: FaultPlan;
  /** `forwarded` counts requests the node answered, including those dropped after forwarding. */
  counts: { requests: number; dropped: number; tooMany: number; forwarded: number };
  /** Every eth_sendRawTransaction the proxy saw, decoded, in arrival order. */
  sent: SentTransaction[];
  /**
   * (from, nonce) pairs that more than one distinct transaction hash reached the node with: a
   * nonce sent twice. Re-broadcasts of the same hash do not count.
   */
  reusedNonces(): { from: string; nonce: number; hashes: string[] }[];
  /** Closes the server and every open socket, and abandons requests still in flight. */
  stop(): Promise<void>;
}

type Fate =
  | { kind: "drop-before-forward" }
  | { kind: "drop-after-forward" }
  | { kind: "too-many" }
  | { kind: "forward"; delayMs: number };

interface JsonRpcCall {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** mulberry32: small, fast, and good enough to spread faults evenly. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function drawFate(random: () => number, plan: FaultPlan): Fate {
  const roll = random();
  if (roll < plan.dropShare) {
    return { kind: random() < 0.5 ? "drop-before-forward" : "drop-after-forward" };
  }
  if (roll < plan.dropShare + plan.tooManyShare) return { kind: "too-many" };
  return { kind: "forward", delayMs: random() * plan.maxDelayMs };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The calls in a JSON-RPC body, single or batch; none if it is not JSON. */
function parseCalls(body: string): { calls: JsonRpcCall[]; batch: boolean } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (Array.isArray(parsed)) return { calls: parsed as JsonRpcCall[], batch: true };
    if (typeof parsed === "object" && parsed !== null) return { calls: [parsed as JsonRpcCall], batch: false };
  } catch {
    // Not JSON: forwarded as it is, for the node to refuse.
  }
  return { calls: [], batch: false };
}

function decodeRawTransactions(calls: JsonRpcCall[]): SentTransaction[] {
  const decoded: SentTransaction[] = [];
  for (const call of calls) {
    if (call.method !== "eth_sendRawTransaction" || !Array.isArray(call.params)) continue;
    try {
      const tx = Transaction.from(String(call.params[0]));
      if (tx.hash === null || tx.from === null) continue;
      decoded.push({ hash: tx.hash, from: tx.from.toLowerCase(), nonce: tx.nonce, forwarded: false });
    } catch {
      // Not a signed transaction: the node will refuse it, and no nonce is at stake.
    }
  }
  return decoded;
}

function rateLimitedBody(calls: JsonRpcCall[], batch: boolean): string {
  const error = (id: unknown) => ({ jsonrpc: "2.0", id: id ?? null, error: { code: -32005, message: "rate limited" } });
  return JSON.stringify(batch ? calls.map((call) => error(call.id)) : error(calls[0]?.id));
}

interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** Starts a fault-injecting proxy to `upstream` on a free port of 127.0.0.1. */
export async function startFaultProxy(upstream: string, plan: FaultPlan): Promise<FaultProxy> {
  const random = mulberry32(plan.seed ?? 1);
  // One controller per request in flight, so that stop() can abandon them: a signal shared by all
  // would collect a listener per request (undici removes them only when a request is collected).
  const inFlight = new Set<AbortController>();
  let stopped = false;
  const port = await freePort();

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    plan,
    counts: { requests: 0, dropped: 0, tooMany: 0, forwarded: 0 },
    sent: [],
    reusedNonces() {
      const byNonce = new Map<string, { from: string; nonce: number; hashes: string[] }>();
      for (const tx of proxy.sent) {
        if (!tx.forwarded) continue;
        const key = `${tx.from}:${tx.nonce}`;
        const entry = byNonce.get(key) ?? { from: tx.from, nonce: tx.nonce, hashes: [] };
        if (!entry.hashes.includes(tx.hash)) entry.hashes.push(tx.hash);
        byNonce.set(key, entry);
      }
      return [...byNonce.values()].filter((entry) => entry.hashes.length > 1);
    },
    async stop() {
      stopped = true;
      for (const controller of inFlight) controller.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  const { counts } = proxy;

  const forward = async (body: string, signal: AbortSignal): Promise<Answer> => {
    const response = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal,
    });
    // The whole answer read: only then has the node surely acted on the request.
    const answer = Buffer.from(await response.arrayBuffer());
    counts.forwarded++;
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "application/json",
      body: answer,
    };
  };

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    fate: Fate,
    signal: AbortSignal,
  ): Promise<void> => {
    const body = await readBody(request);
    const { calls, batch } = parseCalls(body);
    const transactions = decodeRawTransactions(calls);
    proxy.sent.push(...transactions);
    const markForwarded = () => transactions.forEach((tx) => (tx.forwarded = true));

    switch (fate.kind) {
      case "drop-before-forward":
        counts.dropped++;
        request.socket.destroy();
        return;
      case "drop-after-forward":
        counts.dropped++;
        await forward(body, signal);
        markForwarded();
        request.socket.destroy();
        return;
      case "too-many": {
        counts.tooMany++;
        const retryAfter = proxy.plan.retryAfterSeconds ?? 1;
        response.writeHead(429, {
          "content-type": "application/json",
          ...(retryAfter > 0 ? { "retry-after": String(retryAfter) } : {}),
        });
        response.end(rateLimitedBody(calls, batch));
        return;
      }
      case "forward": {
        await sleep(fate.delayMs, undefined, { signal });
        const answer = await forward(body, signal);
        markForwarded();
        response.writeHead(answer.status, { "content-type": answer.contentType });
        response.end(answer.body);
        return;
      }
    }
  };

  const server = createServer((request, response) => {
    counts.requests++;
    // Drawn before any await, so that the faults follow the order in which requests arrive.
    const fate = drawFate(random, proxy.plan);
    const controller = new AbortController();
    inFlight.add(controller);
    handle(request, response, fate, controller.signal)
      .catch((error: unknown) => {
        if (stopped) return;
        if (fate.kind !== "forward" || response.headersSent) {
          request.socket.destroy();
          return;
        }
        // The node is unreachable or failed mid-answer: say so, as a gateway would.
        const message = `fault proxy: upstream failed: ${(error as Error).message}`;
        response.writeHead(502, { "content-type": "application/json" });
        response.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message } }));
      })
      .finally(() => inFlight.delete(controller));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return proxy;
}
