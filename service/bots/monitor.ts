// A bot's own /metrics (Prometheus) and /health, on 127.0.0.1. Health is the loop's heartbeat:
// 503 once the bot has neither finished a round nor landed a transaction for `staleAfterMs`.
import Fastify, { type FastifyInstance } from "fastify";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export interface BotMetrics {
  registry: Registry;
  /** A failed attempt: intent_errors_total{type: the intent's type, or "none", error_code}. */
  error(intentType: string, errorCode: string): void;
  /** A completed action (claim, fulfill, fill, fail, expire, approve). */
  action(action: string, outcome: "ok" | "failed" | "skipped"): void;
  setGauge(name: "nonce" | "active_claims" | "known_intents" | "bond", value: number): void;
}

export function createBotMetrics(bot: string): BotMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ bot });
  collectDefaultMetrics({ register: registry });
  const errors = new Counter({
    name: "intent_errors_total",
    help: "Failed attempts of the bot's requests and transactions, by intent type (none: not about one intent) and error code",
    labelNames: ["type", "error_code"],
    registers: [registry],
  });
  const actions = new Counter({
    name: "bot_actions_total",
    help: "Actions the bot finished, by action and outcome",
    labelNames: ["action", "outcome"],
    registers: [registry],
  });
  const gauges = {
    nonce: new Gauge({ name: "bot_next_nonce", help: "The account's next nonce", registers: [registry] }),
    active_claims: new Gauge({
      name: "bot_active_claims",
      help: "Claims the bot holds and has not fulfilled",
      registers: [registry],
    }),
    known_intents: new Gauge({
      name: "bot_known_intents",
      help: "Intents the bot's source reports as open (Pending or Executing)",
      registers: [registry],
    }),
    bond: new Gauge({
      name: "bot_bond_tokens",
      help: "The solver's bond, in whole stake tokens",
      registers: [registry],
    }),
  };
  return {
    registry,
    error: (intentType, errorCode) => errors.inc({ type: intentType, error_code: errorCode }),
    action: (action, outcome) => actions.inc({ action, outcome }),
    setGauge: (name, value) => gauges[name].set(value),
  };
}

export interface HealthReport {
  status: "ok" | "stale";
  bot: string;
  account: string;
  nextNonce: number | null;
  lastProgressAt: string | null;
  [key: string]: unknown;
}

export async function startMonitor(options: {
  port: number;
  metrics: BotMetrics;
  health: () => HealthReport;
}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get(
    "/health",
    {
      schema: {
        response: {
          200: { type: "object", additionalProperties: true, required: ["status"] },
          503: { type: "object", additionalProperties: true, required: ["status"] },
        },
      },
    },
    async (_request, reply) => {
      const report = options.health();
      return reply.code(report.status === "ok" ? 200 : 503).send(report);
    },
  );
  app.get("/metrics", { schema: {} }, async (_request, reply) =>
    reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()),
  );
  await app.listen({ host: "127.0.0.1", port: options.port });
  return app;
}
