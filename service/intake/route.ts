// POST /api/intents: a signed intent (the file `intent sign` writes) is checked as the verifier
// would check it (./rules.ts, on the state ./state.ts reads at one block), simulated with eth_call
// at that block, and relayed with submitWithSignature; or refused with the verifier's own error,
// at no gas. One user's intents go through one at a time (its nonce and its on-chain bucket
// move with each), and the next one waits until the last has mined, so what this API accepts
// never reverts on chain for a nonce or a rate limit it caused itself.
import { TypedDataEncoder, getAddress } from "ethers";
import type { FastifyInstance, FastifyRequest } from "fastify";

import { INTENT_EIP712_TYPES, intentTypeName } from "../../lib/domain/intents.js";
import { decodeRevertData, explainRevert, revertData } from "../../lib/domain/reverts.js";
import type { JsonRpcClient } from "../chain-reader.js";
import type { ServiceMetrics } from "../metrics.js";
import type { Queryable } from "../store/database.js";
import { type IntakeLimits, type Quota, rateLimitHeaders } from "./limits.js";
import { Relayer } from "./relayer.js";
import { type IntakeInput, VERIFIER_INTERFACE, checkIntake } from "./rules.js";
import { intakeStateReader } from "./state.js";
import { type UserLock, UserLockTimeout } from "./user-lock.js";

export interface IntakeOptions {
  db: Queryable;
  rpc: Pick<JsonRpcClient, "send">;
  chainId: number;
  verifier: string;
  /** Undefined: the route answers 503 and says how to configure one. */
  relayer?: Relayer;
  limits: IntakeLimits;
  metrics: ServiceMetrics;
  /** Pending intents a user may have at once (UniswapX caps open orders per swapper). */
  maxPendingPerUser?: number;
  /** An intent must stay valid this long after the check, to leave time for its relay to mine. */
  expiryMarginSeconds?: number;
  /** How long a request waits for its relay to mine before answering 202. */
  confirmTimeoutMs?: number;
  /** Holds one user's intake across instances (Redis); within this process the route queues by itself. */
  userLock?: UserLock;
}

export const DEFAULT_MAX_PENDING_PER_USER = 20;
export const DEFAULT_EXPIRY_MARGIN_SECONDS = 30;

const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const UINT = {
  anyOf: [
    { type: "string", pattern: "^[0-9]{1,78}$" },
    { type: "integer", minimum: 0 },
  ],
} as const;
const HEX = (maxLength: number) => ({ type: "string", pattern: "^0x([0-9a-fA-F]{2})*$", maxLength }) as const;

/** The signed-intent file of `intent sign`, as JSON. */
export const SIGNED_INTENT_SCHEMA = {
  type: "object",
  required: ["chainId", "verifier", "intent", "signature"],
  additionalProperties: false,
  properties: {
    chainId: { type: "integer" },
    verifier: ADDRESS,
    id: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" },
    intent: {
      type: "object",
      required: ["user", "intentType", "nonce", "expiry", "params"],
      additionalProperties: false,
      properties: {
        user: ADDRESS,
        intentType: { type: "integer", minimum: 0 },
        nonce: UINT,
        expiry: UINT,
        params: HEX(8_194),
      },
    },
    signature: HEX(1_026),
  },
} as const;

interface SignedIntentBody {
  chainId: number;
  verifier: string;
  id?: string;
  intent: { user: string; intentType: number; nonce: string | number; expiry: string | number; params: string };
  signature: string;
}

const ERROR = {
  type: "object",
  properties: {
    error: {
      type: "object",
      additionalProperties: true,
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
} as const;

const ACCEPTED = {
  type: "object",
  properties: {
    id: { type: "string" },
    status: { type: "string" },
    txHash: { type: "string" },
    blockNumber: { type: ["integer", "null"] },
    relayer: { type: "string" },
  },
} as const;

/** One chain per key: what one user sends is judged and relayed in order, each after the last has mined. */
class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` once the key's previous holder let go; the key stays held until `holdUntil` settles. */
  async run<T>(key: string, work: () => Promise<{ result: T; holdUntil?: Promise<unknown> }>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => released);
    this.#tails.set(key, tail);
    await previous;
    let hold: Promise<unknown> = Promise.resolve();
    try {
      const done = await work();
      hold = done.holdUntil ?? hold;
      return done.result;
    } finally {
      void hold.finally(() => {
        release();
        if (this.#tails.get(key) === tail) this.#tails.delete(key);
      });
    }
  }
}

interface Accepted {
  statusCode: 201 | 202;
  body: { id: string; status: string; txHash: string; blockNumber: number | null; relayer: string };
}

class Refusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const seconds = (n: bigint | number) => String(Math.max(1, Math.ceil(Number(n))));

/** The address rate limits count requests by: the peer, or the proxy's word for it when trusted (Fastify's trustProxy). */
export function clientOf(request: FastifyRequest): string {
  return request.ip;
}

export async function registerIntake(app: FastifyInstance, options: IntakeOptions): Promise<void> {
  const { db, limits, metrics } = options;
  const verifier = getAddress(options.verifier);
  const stateReader = intakeStateReader(options.rpc as JsonRpcClient, verifier);
  const domain = { name: "IntentKit", version: "1", chainId: BigInt(options.chainId), verifyingContract: verifier };
  const maxPending = options.maxPendingPerUser ?? DEFAULT_MAX_PENDING_PER_USER;
  const margin = BigInt(options.expiryMarginSeconds ?? DEFAULT_EXPIRY_MARGIN_SECONDS);
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 60_000;
  const users = new KeyedQueue();
  /** Ids this process relayed that the store has not indexed yet, by user: pending all the same. */
  const unindexed = new Map<string, Set<string>>();

  // Every API request counts against its client's budget; intake responses also say so.
  app.addHook("onRequest", async (request, reply) => {
    if (!request.url.startsWith("/api/")) return;
    const quota = await limits.request(clientOf(request));
    request.requestQuota = quota;
    void reply.headers(rateLimitHeaders([quota]));
    if (!quota.allowed) {
      return reply
        .status(429)
        .header("Retry-After", seconds(quota.resetSeconds))
        .send({
          error: {
            code: "TOO_MANY_REQUESTS",
            message: `at most ${limits.requests.limit} requests per ${limits.requests.windowSeconds} s from one client; retry in ${seconds(quota.resetSeconds)} s`,
          },
        });
    }
  });

  async function pendingOf(user: string): Promise<number> {
    const relayed = unindexed.get(user) ?? new Set<string>();
    const [row] = await db.query<{ pending: number; indexed: string[] | null }>(
      `SELECT count(*) FILTER (WHERE status = 'Pending')::int AS pending,
         array_agg(id) FILTER (WHERE id = ANY($2::text[])) AS indexed
       FROM intents WHERE user_address = $1 AND (status = 'Pending' OR id = ANY($2::text[]))`,
      [user, [...relayed]],
    );
    for (const id of row?.indexed ?? []) relayed.delete(id);
    return Number(row?.pending ?? 0) + relayed.size;
  }

  async function intake(body: SignedIntentBody, quotas: Quota[]): Promise<Accepted> {
    if (body.chainId !== options.chainId || body.verifier.toLowerCase() !== verifier.toLowerCase()) {
      throw new Refusal(
        400,
        "WRONG_DEPLOYMENT",
        `the intent was signed for verifier ${body.verifier} on chain ${body.chainId}; this service relays to ${verifier} on chain ${options.chainId}`,
      );
    }
    const relayer = options.relayer;
    if (relayer === undefined) {
      throw new Refusal(
        503,
        "INTAKE_DISABLED",
        "this service has no relayer: start it with --relayer <account> (a key in the keystore) to accept intents",
      );
    }
    const intent = {
      user: body.intent.user,
      intentType: BigInt(body.intent.intentType),
      nonce: BigInt(body.intent.nonce),
      expiry: BigInt(body.intent.expiry),
      params: body.intent.params.toLowerCase(),
    };
    const user = intent.user.toLowerCase();
    let id: string;
    try {
      id = TypedDataEncoder.hash(domain, INTENT_EIP712_TYPES, intent);
    } catch {
      id = "0x" + "0".repeat(64); // a field wider than its type: the encoding check refuses it below
    }
    if (body.id !== undefined && body.id.toLowerCase() !== id) {
      throw new Refusal(400, "ID_MISMATCH", `id ${body.id} is not this intent's EIP-712 hash (${id})`);
    }
    const caller = await relayer.address();
    const input: IntakeInput = { intent, signature: body.signature, caller, id };

    const tooManyIntents = (quota: Quota) =>
      new Refusal(
        429,
        "TOO_MANY_INTENTS",
        `at most ${limits.intents.limit} intents per ${limits.intents.windowSeconds} s from one user; retry in ${seconds(quota.resetSeconds)} s`,
        {},
        { "Retry-After": seconds(quota.resetSeconds) },
      );
    const judgeAndRelay = async (): Promise<{ result: Accepted; holdUntil?: Promise<unknown> }> => {
      const intents = await limits.peekIntents(user);
      quotas.push(intents);
      if (!intents.allowed) throw tooManyIntents(intents);
      const pending = await pendingOf(user);
      if (pending >= maxPending) {
        throw new Refusal(
          409,
          "TOO_MANY_PENDING",
          `${user} has ${pending} pending intents, the most this service holds for one user; wait for some to be filled, cancelled or to expire`,
        );
      }

      // The checks, the margin and the simulation all read one block.
      const block = BigInt(await options.rpc.send("eth_blockNumber", []));
      const state = await stateReader.read(input, block);
      const verdict = checkIntake(input, state);
      if (!verdict.ok) {
        const message = explainRevert({ name: verdict.error, args: verdict.args });
        const details = { stage: verdict.stage, revertData: verdict.revertData, block: Number(block) };
        if (verdict.error === "RateLimited") {
          const retryAfter = seconds(verdict.args[1] as bigint);
          throw new Refusal(
            429,
            "RateLimited",
            message,
            { ...details, source: "chain" },
            { "Retry-After": retryAfter },
          );
        }
        throw new Refusal(422, verdict.error === "revert without data" ? "MALFORMED" : verdict.error, message, details);
      }
      if (intent.expiry < state.now + margin) {
        throw new Refusal(
          422,
          "EXPIRES_TOO_SOON",
          `the intent expires at ${intent.expiry}, within ${margin} s of the chain's time (${state.now}): its relay might mine after that; sign it with a later expiry`,
          { stage: "business rules", block: Number(block) },
        );
      }
      const data = Relayer.calldata(
        { ...intent, intentType: Number(intent.intentType), user: getAddress(intent.user) },
        body.signature,
      );
      try {
        await options.rpc.send("eth_call", [{ from: caller, to: verifier, data }, "0x" + block.toString(16)]);
      } catch (error) {
        const revert = revertData(error);
        const decoded = revert === undefined ? undefined : decodeRevertData(revert, [VERIFIER_INTERFACE]);
        throw new Refusal(
          422,
          decoded?.name ?? "SIMULATION_REVERTED",
          decoded ? explainRevert(decoded) : `the simulation of the relay failed: ${(error as Error).message}`,
          { stage: verdict.validatorChecks ? "type rules" : "simulation", revertData: revert, block: Number(block) },
        );
      }

      // Counted before the send, atomically (shared by every instance through Redis).
      const taken = await limits.takeIntent(user);
      quotas[quotas.length - 1] = taken;
      if (!taken.allowed) throw tooManyIntents(taken);
      let relayed;
      try {
        relayed = await relayer.relay(data);
      } catch (error) {
        await limits.returnIntent(user).catch(() => {});
        throw new Refusal(
          502,
          "RELAY_FAILED",
          `the relay could not be sent: ${(error as Error).message.split("\n")[0]}`,
        );
      }
      let set = unindexed.get(user);
      if (set === undefined) unindexed.set(user, (set = new Set()));
      set.add(id);
      // The user's next intent is judged once this one has mined (its nonce and bucket moved).
      const holdUntil = relayed.mined.catch(() => null);
      let timer: NodeJS.Timeout | undefined;
      const receipt = await Promise.race([
        relayed.mined.catch(() => null),
        new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), confirmTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (receipt === "late") {
        return {
          result: {
            statusCode: 202,
            body: { id, status: "Relayed", txHash: relayed.hash, blockNumber: null, relayer: caller },
          },
          holdUntil,
        };
      }
      if (receipt === null || receipt.status !== 1) {
        set.delete(id);
        throw new Refusal(502, "RELAY_REVERTED", `the relay ${relayed.hash} reverted on chain`, {
          txHash: relayed.hash,
        });
      }
      return {
        result: {
          statusCode: 201,
          body: { id, status: "Pending", txHash: relayed.hash, blockNumber: receipt.blockNumber, relayer: caller },
        },
      };
    };
    return users.run<Accepted>(user, async () => {
      if (options.userLock === undefined) return judgeAndRelay();
      let unlock: () => Promise<void>;
      try {
        unlock = await options.userLock(user);
      } catch (error) {
        if (!(error instanceof UserLockTimeout)) throw error;
        throw new Refusal(503, "USER_BUSY", `${error.message}; retry`, {}, { "Retry-After": "5" });
      }
      const letGo = () => void unlock().catch(() => {}); // the lease lapses by itself if Redis is gone
      try {
        const done = await judgeAndRelay();
        void (done.holdUntil ?? Promise.resolve()).finally(letGo);
        return done;
      } catch (error) {
        letGo();
        throw error;
      }
    });
  }

  app.post<{ Body: SignedIntentBody }>(
    "/api/intents",
    {
      schema: {
        body: SIGNED_INTENT_SCHEMA,
        response: {
          201: ACCEPTED,
          202: ACCEPTED,
          400: ERROR,
          409: ERROR,
          422: ERROR,
          429: ERROR,
          502: ERROR,
          503: ERROR,
        },
      },
    },
    async (request, reply) => {
      const quotas: Quota[] = request.requestQuota === undefined ? [] : [request.requestQuota];
      let answer: Accepted;
      try {
        answer = await intake(request.body, quotas);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        const type = intentTypeName(Number(request.body.intent.intentType)) ?? String(request.body.intent.intentType);
        metrics.intakeError(type, error.code);
        if (quotas.length > 0) void reply.headers(rateLimitHeaders(quotas));
        return reply
          .status(error.statusCode)
          .headers(error.headers)
          .send({ error: { code: error.code, message: error.message, ...error.details } });
      }
      if (quotas.length > 0) void reply.headers(rateLimitHeaders(quotas));
      return reply.status(answer.statusCode).send(answer.body);
    },
  );
}

declare module "fastify" {
  interface FastifyRequest {
    requestQuota?: Quota;
  }
}
