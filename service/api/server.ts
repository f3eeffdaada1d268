// The read API (Fastify): health and readiness, intents (status through the cache), transactions,
// solvers, Prometheus metrics and the OpenAPI description. Every route has a schema; errors are
// JSON with a code: 400 for bad input, 404 for what the store and the chain do not know.
import swagger from "@fastify/swagger";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";

import type { RecordCache, StatusCache } from "../cache.js";
import { type IntakeOptions, registerIntake } from "../intake/route.js";
import type { ServiceMetrics } from "../metrics.js";
import { statusPage } from "../page/plugin.js";
import type { Database, Queryable } from "../store/database.js";

export interface ApiOptions {
  db: Database;
  cache: StatusCache;
  /** The store's intent records in process; the indexer drops what it changes. */
  records: RecordCache<IntentRecord>;
  /** Whether a status set at `block` is below the reorg window (and may live long in the cache). */
  settled(status: string, block: number): boolean;
  metrics: ServiceMetrics;
  /** Where the indexer is: ready once `indexed` reached the `head` it saw. */
  progress(): Promise<{ indexed: number | null; head: number }>;
  /** POST /api/intents and the per-client request limit of every /api route. */
  intake: Omit<IntakeOptions, "db" | "metrics">;
  /** Whose word to take for the client's address (Fastify's trustProxy): only a proxy the operator runs. */
  trustProxy?: boolean | string | string[];
  logger?: boolean;
}

const ID = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } as const;
const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const STATUSES = ["Pending", "Executing", "Completed", "Failed", "Expired", "Cancelled"];
/** What /ready answers, ready (200) or not yet (503). */
const READINESS = {
  type: "object",
  properties: {
    ready: { type: "boolean" },
    indexed: { type: ["integer", "null"] },
    head: { type: "integer" },
  },
} as const;
const ERROR = {
  type: "object",
  properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } } },
} as const;

const STRING = { type: "string" } as const;
const INTEGER = { type: "integer" } as const;
const NULLABLE_STRING = { type: ["string", "null"] } as const;
const TIME = { type: "string", format: "date-time" } as const;
const NULLABLE_TIME = { type: ["string", "null"], format: "date-time" } as const;
/** An intent as the store holds it, with the transactions that moved it. */
const INTENT = {
  type: "object",
  properties: {
    id: STRING,
    user: STRING,
    type: STRING,
    nonce: STRING,
    params: { type: "object", additionalProperties: true },
    status: STRING,
    source: STRING,
    solver: NULLABLE_STRING,
    claimDeadline: NULLABLE_TIME,
    received: NULLABLE_STRING,
    gasUsed: { type: ["integer", "null"] },
    totalCost: NULLABLE_STRING,
    createdAt: TIME,
    updatedAt: TIME,
    expiresAt: NULLABLE_TIME,
    createdBlock: INTEGER,
    updatedBlock: INTEGER,
    transactions: {
      type: "array",
      items: {
        type: "object",
        properties: {
          chainId: INTEGER,
          hash: STRING,
          kind: STRING,
          status: STRING,
          blockNumber: INTEGER,
        },
      },
    },
  },
} as const;

export interface IntentRecord {
  id: string;
  status: string;
  updatedBlock: number;
  [column: string]: unknown;
}

class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Amounts and times as the JSON clients expect: decimal strings for uint256, ISO 8601 for times.
const INTENT_COLUMNS = `id, user_address AS "user", intent_type AS "type", nonce::text AS nonce, params, status, source,
  solver, claim_deadline AS "claimDeadline", received::text AS received, gas_used AS "gasUsed",
  total_cost::text AS "totalCost", created_at AS "createdAt", updated_at AS "updatedAt",
  expires_at AS "expiresAt", created_block AS "createdBlock", updated_block AS "updatedBlock"`;
const SOLVER_COLUMNS = `address, status, bond::text AS bond, unbonding_ends AS "unbondingEnds", assigned, completed,
  failed, filled, slashed::text AS slashed, success_rate_bps AS "successRateBps",
  performance_score_bps AS "performanceScoreBps", registered_at AS "registeredAt", updated_at AS "updatedAt"`;

/** The records of `ids` with their transactions, in one query (the record cache's loader). */
export async function loadIntentRecords(db: Queryable, ids: string[]): Promise<Map<string, IntentRecord>> {
  const rows = await db.query<IntentRecord>(
    `SELECT ${INTENT_COLUMNS}, COALESCE((
       SELECT json_agg(json_build_object('chainId', t.chain_id, 'hash', t.tx_hash, 'kind', t.kind,
         'status', t.status, 'blockNumber', t.block_number) ORDER BY t.block_number, t.log_index)
       FROM intent_transactions t WHERE t.intent_id = intents.id), '[]'::json) AS transactions
     FROM intents WHERE id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

function encodeCursor(block: number, id: string): string {
  return Buffer.from(`${block}:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { block: number; id: string } {
  const [block, id] = Buffer.from(cursor, "base64url").toString().split(":");
  if (!/^\d+$/.test(block ?? "") || !/^0x[0-9a-f]{64}$/.test(id ?? "")) {
    throw new ApiError(400, "BAD_CURSOR", "cursor is not one this API returned; start again without it");
  }
  return { block: Number(block), id: id! };
}

export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const { db, cache, records, metrics } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    // An unknown field is refused, not dropped: a signed intent with extras is not what its user signed.
    ajv: { customOptions: { removeAdditional: false } },
  });
  await app.register(swagger, {
    openapi: { info: { title: "intentkit service", version: "1" } },
  });

  app.setErrorHandler((error: FastifyError | ApiError, _request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
    if ((error as FastifyError).validation !== undefined) {
      return reply.status(400).send({ error: { code: "BAD_REQUEST", message: error.message } });
    }
    app.log.error(error);
    return reply.status(500).send({ error: { code: "INTERNAL", message: "internal error; the service log has it" } });
  });
  // Before the routes: its hook counts every /api request against the client's limit.
  await registerIntake(app, { ...options.intake, db, metrics });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: "NOT_FOUND", message: `no route ${request.method} ${request.url}` } }),
  );

  app.get(
    "/health",
    { schema: { response: { 200: { type: "object", properties: { status: { type: "string" } } } } } },
    async () => ({
      status: "ok",
    }),
  );

  app.get(
    "/ready",
    {
      schema: {
        response: { 200: READINESS, 503: READINESS },
      },
    },
    async (_request, reply) => {
      const { indexed, head } = await options.progress();
      const ready = indexed !== null && head > 0 && indexed >= head;
      return reply.status(ready ? 200 : 503).send({ ready, indexed, head });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/intents/:id",
    {
      schema: {
        params: { type: "object", properties: { id: ID }, required: ["id"] },
        response: {
          200: {
            type: "object",
            properties: {
              intent: { anyOf: [INTENT, { type: "null" }] },
              status: { type: "string" },
              statusSource: { type: "string", enum: ["memory", "redis", "chain", "store"] },
            },
          },
          404: ERROR,
        },
      },
    },
    async (request) => {
      const id = request.params.id.toLowerCase();
      // The store and the chain are asked at once; the chain's answer lives long only when the
      // store agrees with it and set it below the window.
      const record = records.get(id);
      const [row, lookup] = await Promise.all([
        record,
        cache.status(id, async (status) => {
          const stored = await record;
          return (
            stored !== undefined && stored.status === status && options.settled(status, Number(stored.updatedBlock))
          );
        }),
      ]);
      if (row === undefined && lookup.status === "None") {
        throw new ApiError(404, "UNKNOWN_INTENT", `no intent ${id} in the store or on chain`);
      }
      // A fill leaves no record on chain: its event, in the store, is the authority.
      const status = lookup.status === "None" && row !== undefined ? String(row.status) : lookup.status;
      const statusSource = lookup.status === "None" && row !== undefined ? "store" : lookup.tier;
      return { intent: row ?? null, status, statusSource };
    },
  );

  app.get<{ Querystring: { user?: string; status?: string; limit?: number; cursor?: string } }>(
    "/api/intents",
    {
      schema: {
        querystring: {
          type: "object",
          properties: {
            user: ADDRESS,
            status: { type: "string", enum: STATUSES },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
            cursor: { type: "string", maxLength: 200 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { user, status, limit = 50, cursor } = request.query;
      const where: string[] = [];
      const params: unknown[] = [];
      if (user !== undefined) where.push(`user_address = $${params.push(user.toLowerCase())}`);
      if (status !== undefined) where.push(`status = $${params.push(status)}`);
      if (cursor !== undefined) {
        const after = decodeCursor(cursor);
        where.push(`(created_block, id) < ($${params.push(after.block)}, $${params.push(after.id)})`);
      }
      const rows = await db.query(
        `SELECT ${INTENT_COLUMNS} FROM intents ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY created_block DESC, id DESC LIMIT $${params.push(limit + 1)}`,
        params,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > limit && last !== undefined ? encodeCursor(Number(last.createdBlock), String(last.id)) : null;
      return { intents: page, nextCursor };
    },
  );

  app.get<{ Params: { hash: string } }>(
    "/api/transactions/:hash",
    { schema: { params: { type: "object", properties: { hash: ID }, required: ["hash"] }, response: { 404: ERROR } } },
    async (request) => {
      const hash = request.params.hash.toLowerCase();
      const rows = await db.query(
        `SELECT intent_id AS "intentId", chain_id AS "chainId", tx_hash AS "hash", kind, status,
           block_number AS "blockNumber", log_index AS "logIndex"
         FROM intent_transactions WHERE tx_hash = $1 ORDER BY log_index`,
        [hash],
      );
      if (rows.length === 0)
        throw new ApiError(404, "UNKNOWN_TRANSACTION", `no indexed intent event in transaction ${hash}`);
      return { hash, events: rows };
    },
  );

  app.get("/api/solvers", { schema: {} }, async () => ({
    solvers: await db.query(`SELECT ${SOLVER_COLUMNS} FROM solvers ORDER BY address`),
  }));

  app.get<{ Params: { address: string } }>(
    "/api/solvers/:address",
    {
      schema: {
        params: { type: "object", properties: { address: ADDRESS }, required: ["address"] },
        response: { 404: ERROR },
      },
    },
    async (request) => {
      const address = request.params.address.toLowerCase();
      const [row] = await db.query(`SELECT ${SOLVER_COLUMNS} FROM solvers WHERE address = $1`, [address]);
      if (row === undefined) throw new ApiError(404, "UNKNOWN_SOLVER", `no registered solver ${address}`);
      return row;
    },
  );

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    const { indexed, head } = await options.progress();
    metrics.setLag(indexed === null ? head : Math.max(0, head - indexed));
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.register(statusPage); // the status page at / (issue 16)

  return app;
}
