// The service's Prometheus metrics, with the names, labels and buckets operators' dashboards use.
// Intent metrics count what the indexer folds in going forward (a rollback does not un-count: a
// counter only grows); solver gauges are read from the store at each scrape.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import type { Tier } from "./cache.js";
import type { ChainEvent } from "./indexer/events.js";
import type { Queryable } from "./store/database.js";

export interface ServiceMetrics {
  registry: Registry;
  /** Counts a batch the indexer committed. */
  observeEvents(events: ChainEvent[], db: Queryable, chainId: number): Promise<void>;
  observeReorg(): void;
  setLag(blocks: number): void;
  cacheHit(tier: Tier): void;
  /** Counts an intent the intake refused or could not relay, by the reason's code. */
  intakeError(type: string, errorCode: string): void;
}

export function createMetrics(db: Queryable): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const submitted = new Counter({
    name: "intents_submitted_total",
    help: "Intents that entered the store, by type and the status they entered in (Pending; a one-transaction fill enters Completed)",
    labelNames: ["type", "status"],
    registers: [registry],
  });
  const resolution = new Histogram({
    name: "intent_resolution_time_seconds",
    help: "Seconds from an intent's submission block to its completion block",
    labelNames: ["type"],
    buckets: [1, 5, 10, 30, 60, 300, 600, 1800],
    registers: [registry],
  });
  const gasUsed = new Histogram({
    name: "intent_gas_used",
    help: "Gas a solver reported for a completed intent",
    labelNames: ["type", "chain"],
    buckets: [100_000, 500_000, 1_000_000, 5_000_000, 10_000_000],
    registers: [registry],
  });
  const errors = new Counter({
    name: "intent_errors_total",
    help: "Intents that ended a claim without settling: claim_failed (lapsed, slashed), user_side_failure (released)",
    labelNames: ["type", "error_code"],
    registers: [registry],
  });
  const solverRows = async () =>
    db.query<{ address: string; performance_score_bps: number | null; success_rate_bps: number }>(
      "SELECT address, performance_score_bps, success_rate_bps FROM solvers",
    );
  new Gauge({
    name: "solver_performance_score",
    help: "A solver's performance score (0 to 1), as its registry record holds it",
    labelNames: ["solver_id"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await solverRows()) {
        if (row.performance_score_bps !== null)
          this.set({ solver_id: row.address }, row.performance_score_bps / 10_000);
      }
    },
  });
  new Gauge({
    name: "solver_success_rate",
    help: "A solver's completed claims over its claims with an outcome (0 to 1)",
    labelNames: ["solver_id"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await solverRows()) this.set({ solver_id: row.address }, row.success_rate_bps / 10_000);
    },
  });
  const lag = new Gauge({
    name: "indexer_lag_blocks",
    help: "Chain head minus the last indexed block",
    registers: [registry],
  });
  const reorgs = new Counter({ name: "indexer_reorgs_total", help: "Reorgs rolled back", registers: [registry] });
  const cacheHits = new Counter({
    name: "cache_hits_total",
    help: "Intent status lookups by the tier that answered",
    labelNames: ["tier"],
    registers: [registry],
  });
  // Every tier from the first scrape, at zero until it answers.
  for (const tier of ["memory", "redis", "chain"] as const) cacheHits.inc({ tier }, 0);

  return {
    registry,
    async observeEvents(events, tx, chainId) {
      const completed: string[] = [];
      for (const event of events) {
        const type = String(event.args.type ?? "");
        if (event.name === "IntentSubmitted") submitted.inc({ type, status: "Pending" });
        if (event.name === "IntentFilled") submitted.inc({ type, status: "Completed" });
        if (event.name === "IntentCompleted" || event.name === "ClaimFailed" || event.name === "ClaimReleased") {
          completed.push(event.intentId!);
        }
      }
      if (completed.length === 0) return;
      const rows = await tx.query<{ id: string; intent_type: string; created: number }>(
        "SELECT id, intent_type, extract(epoch FROM created_at)::float8 AS created FROM intents WHERE id = ANY($1::text[])",
        [completed],
      );
      const types = new Map(rows.map((row) => [row.id, row.intent_type]));
      const created = new Map(rows.map((row) => [row.id, Number(row.created)]));
      for (const event of events) {
        const type = types.get(event.intentId ?? "") ?? "unknown";
        if (event.name === "IntentCompleted") {
          resolution.observe({ type }, event.blockTime - (created.get(event.intentId!) ?? event.blockTime));
          gasUsed.observe({ type, chain: String(chainId) }, Number(event.args.gasUsed));
        }
        if (event.name === "ClaimFailed") errors.inc({ type, error_code: "claim_failed" });
        if (event.name === "ClaimReleased") errors.inc({ type, error_code: "user_side_failure" });
      }
    },
    observeReorg: () => reorgs.inc(),
    setLag: (blocks) => lag.set(blocks),
    cacheHit: (tier) => cacheHits.inc({ tier }),
    intakeError: (type, errorCode) => errors.inc({ type, error_code: errorCode }),
  };
}
