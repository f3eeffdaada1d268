// The store's tables as folds over the contracts' events: an intent's row is what its events say,
// in order, and so is a solver's. The same fold serves the forward path (current row + new events)
// and a rollback (no row + the events that remain), so a rolled-back store equals a fresh index.
import { STATUS_NAMES } from "../../lib/domain/intents.js";
import { SOLVER_STATUS } from "../../lib/domain/roles.js";
import { expireAndRecord, recordRetractions, recordTransitions, type Transition } from "../live/update-log.js";
import type { Queryable } from "../store/database.js";
import type { ChainEvent, JsonValue } from "./events.js";

export interface IntentRow {
  id: string;
  user_address: string;
  intent_type: string;
  nonce: string;
  params: JsonValue;
  status: string;
  source: "submit" | "fill";
  solver: string | null;
  claim_deadline: string | null;
  received: string | null;
  gas_used: number | null;
  total_cost: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  created_block: number;
  updated_block: number;
}

export interface SolverRow {
  address: string;
  status: string;
  bond: string;
  unbonding_ends: string | null;
  assigned: number;
  completed: number;
  failed: number;
  filled: number;
  slashed: string;
  success_rate_bps: number;
  performance_score_bps: number | null;
  registered_at: string | null;
  updated_at: string;
  updated_block: number;
}

const iso = (seconds: number | string) => new Date(Number(seconds) * 1000).toISOString();
const str = (value: JsonValue | undefined) => String(value);

/** Folds one event into an intent's row; undefined while the intent has not been created. */
export function foldIntent(row: IntentRow | undefined, event: ChainEvent): IntentRow | undefined {
  const a = event.args;
  const at = { updated_at: iso(event.blockTime), updated_block: event.blockNumber };
  switch (event.name) {
    case "IntentSubmitted":
    case "IntentFilled": {
      const filled = event.name === "IntentFilled";
      return {
        id: str(a.id),
        user_address: str(a.user),
        intent_type: str(a.type),
        nonce: str(a.nonce),
        params: a.decoded ?? { raw: str(a.params) },
        status: filled ? "Completed" : "Pending",
        source: filled ? "fill" : "submit",
        solver: filled ? str(a.solver) : null,
        claim_deadline: null,
        received: filled ? str(a.received) : null,
        gas_used: null,
        total_cost: null,
        created_at: iso(event.blockTime),
        expires_at: filled ? null : iso(str(a.expiry)),
        created_block: event.blockNumber,
        ...at,
      };
    }
  }
  if (row === undefined) return undefined;
  switch (event.name) {
    case "IntentClaimed":
      return { ...row, ...at, status: "Executing", solver: str(a.solver), claim_deadline: iso(str(a.claimDeadline)) };
    case "IntentCompleted":
      return {
        ...row,
        ...at,
        status: "Completed",
        received: str(a.received),
        gas_used: Number(a.gasUsed),
        total_cost: str(a.totalCost),
      };
    case "ClaimFailed":
      return a.requeued === true
        ? { ...row, ...at, status: "Pending", solver: null, claim_deadline: null }
        : { ...row, ...at, status: "Failed" };
    case "ClaimReleased": {
      const status = STATUS_NAMES[Number(a.status)] ?? "None";
      return status === "Pending" ? { ...row, ...at, status, solver: null } : { ...row, ...at, status };
    }
    case "IntentCancelled":
      return { ...row, ...at, status: "Cancelled" };
    case "IntentExpired":
      return { ...row, ...at, status: "Expired" };
    default:
      return row;
  }
}

/** Folds one event into a solver's row; undefined until the solver registered. */
export function foldSolver(row: SolverRow | undefined, event: ChainEvent): SolverRow | undefined {
  const a = event.args;
  const at = { updated_at: iso(event.blockTime), updated_block: event.blockNumber };
  if (event.name === "SolverRegistered") {
    return {
      address: str(a.solver),
      status: "Active",
      bond: str(a.bond),
      unbonding_ends: null,
      assigned: 0,
      completed: 0,
      failed: 0,
      filled: 0,
      slashed: "0",
      success_rate_bps: 0,
      performance_score_bps: null,
      registered_at: iso(event.blockTime),
      ...at,
    };
  }
  if (row === undefined) return undefined;
  switch (event.name) {
    case "BondToppedUp":
      return { ...row, ...at, bond: str(a.bond) };
    case "ExitAnnounced":
      return { ...row, ...at, status: "Exiting", unbonding_ends: iso(str(a.unbondingEnds)) };
    case "SolverExited":
      return { ...row, ...at, status: "Exited", bond: "0" };
    case "SolverSlashed":
      return {
        ...row,
        ...at,
        bond: str(a.remainingBond),
        slashed: (BigInt(row.slashed) + BigInt(str(a.toUser)) + BigInt(str(a.toTreasury))).toString(),
      };
    case "SolverStatusChanged":
      return { ...row, ...at, status: SOLVER_STATUS[Number(a.status)] ?? "None" };
    case "SolverOutcomeRecorded": {
      const completed = row.completed + (a.success === true ? 1 : 0);
      const failed = row.failed + (a.success === true ? 0 : 1);
      return {
        ...row,
        ...at,
        completed,
        failed,
        success_rate_bps: Math.floor((completed * 10_000) / (completed + failed)),
        performance_score_bps: Number(a.performanceScoreBps),
      };
    }
    case "IntentClaimed":
      return { ...row, ...at, assigned: row.assigned + 1 };
    case "IntentFilled":
      return { ...row, ...at, filled: row.filled + 1 };
    default:
      return row;
  }
}

// Rows travel to the database as one JSON array per statement (jsonb_populate_recordset): a
// batch of any size is one round trip on either store.
async function upsert(tx: Queryable, table: string, key: string, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).filter((column) => column !== key);
  await tx.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (${key}) DO UPDATE SET ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(", ")}`,
    [JSON.stringify(rows)],
  );
}

function normalize<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = value instanceof Date ? value.toISOString() : value;
  return out as T;
}

async function currentRows<T>(tx: Queryable, table: string, key: string, keys: string[]): Promise<Map<string, T>> {
  const rows = keys.length === 0 ? [] : await tx.query(`SELECT * FROM ${table} WHERE ${key} = ANY($1::text[])`, [keys]);
  return new Map(rows.map((row) => [String(row[key]), normalize<T>(row)]));
}

/** A projected table: its key, which event a row belongs to, and the fold that makes the row. */
interface Projection<T> {
  table: string;
  key: string;
  keyOf: (event: ChainEvent) => string | null;
  fold: (row: T | undefined, event: ChainEvent) => T | undefined;
  /** The events the fold starts a row with, whatever the row held before. */
  creates: ReadonlySet<string>;
}

const INTENTS: Projection<IntentRow> = {
  table: "intents",
  key: "id",
  keyOf: (event) => event.intentId,
  fold: foldIntent,
  creates: new Set(["IntentSubmitted", "IntentFilled"]),
};

const SOLVERS: Projection<SolverRow> = {
  table: "solvers",
  key: "address",
  keyOf: (event) => event.solver,
  fold: foldSolver,
  creates: new Set(["SolverRegistered"]),
};

/** Folds `events` (in chain order) into the rows they touch, starting from `start`. */
async function foldInto<T>(
  tx: Queryable,
  { table, key, keyOf, fold, creates }: Projection<T>,
  events: ChainEvent[],
  start: "current" | "empty",
  /** Each step of the fold that produced a row, with the row before it. */
  onStep?: (before: T | undefined, after: T, event: ChainEvent) => void,
): Promise<void> {
  // Only the rows an event continues are read: a row whose first event here creates it needs none.
  const first = new Map<string, ChainEvent>();
  for (const event of events) {
    const k = keyOf(event);
    if (k !== null && !first.has(k)) first.set(k, event);
  }
  const continued = [...first].filter(([, event]) => !creates.has(event.name)).map(([k]) => k);
  const rows = start === "current" ? await currentRows<T>(tx, table, key, continued) : new Map<string, T>();
  const touched = new Set<string>();
  for (const event of events) {
    const k = keyOf(event);
    if (k === null) continue;
    const next = fold(rows.get(k), event);
    if (next === undefined) continue;
    onStep?.(rows.get(k), next, event);
    rows.set(k, next);
    touched.add(k);
  }
  await upsert(
    tx,
    table,
    key,
    [...touched].map((k) => rows.get(k)!),
  );
}

/** A batch's events with their rows already encoded, so that the encoding can run before the transaction. */
export interface PreparedEvents {
  events: ChainEvent[];
  rows: string;
}

export function prepareEvents(events: ChainEvent[]): PreparedEvents {
  return { events, rows: JSON.stringify(events.map(eventRow)) };
}

/** Writes a batch of new events (chain order) and folds them into the projections. */
export async function applyEvents(tx: Queryable, batch: ChainEvent[] | PreparedEvents): Promise<void> {
  const { events, rows } = Array.isArray(batch) ? prepareEvents(batch) : batch;
  if (events.length === 0) return;
  await tx.query(`INSERT INTO chain_events SELECT * FROM jsonb_populate_recordset(NULL::chain_events, $1::jsonb)`, [
    rows,
  ]);
  // The live status's log: one row per event that sets or changes an intent's status, in chain order.
  const transitions: Transition[] = [];
  await foldInto(
    tx,
    INTENTS,
    events.filter((event) => event.intentId !== null),
    "current",
    (before, after, event) => {
      if (before?.status === after.status) return;
      transitions.push({
        intentId: after.id,
        status: after.status,
        blockNumber: event.blockNumber,
        blockTime: event.blockTime,
        txHash: event.txHash,
        logIndex: event.logIndex,
      });
    },
  );
  await recordTransitions(tx, transitions);
  await foldInto(tx, SOLVERS, events, "current");
}

/**
 * Undoes every block above `keep`: deletes their events (and so their transactions), and refolds each intent
 * and solver they touched from the events that remain.
 */
export async function rollbackAbove(tx: Queryable, keep: number): Promise<{ intents: number; solvers: number }> {
  const touched = await tx.query<{ intent_id: string | null; solver: string | null }>(
    "SELECT DISTINCT intent_id, solver FROM chain_events WHERE block_number > $1",
    [keep],
  );
  const intentIds = [...new Set(touched.map((row) => row.intent_id).filter((id): id is string => id !== null))];
  const solvers = [...new Set(touched.map((row) => row.solver).filter((s): s is string => s !== null))];
  await tx.query("DELETE FROM chain_events WHERE block_number > $1", [keep]);
  await tx.query("DELETE FROM indexed_blocks WHERE number > $1", [keep]);
  await tx.query("DELETE FROM intents WHERE id = ANY($1::text[])", [intentIds]);
  await tx.query("DELETE FROM solvers WHERE address = ANY($1::text[])", [solvers]);
  const remaining = async (column: string, keys: string[]) =>
    keys.length === 0
      ? []
      : (
          await tx.query(
            `SELECT * FROM chain_events WHERE ${column} = ANY($1::text[]) ORDER BY block_number, log_index`,
            [keys],
          )
        ).map(rowEvent);
  await foldInto(tx, INTENTS, await remaining("intent_id", intentIds), "empty");
  await foldInto(tx, SOLVERS, await remaining("solver", solvers), "empty");
  // After the refold, so that each retraction carries the status the intent is left with.
  await recordRetractions(tx, keep, intentIds);
  return { intents: intentIds.length, solvers: solvers.length };
}

/**
 * The expiry job (Postgres has no TTL index): a Pending intent whose expiry has passed at the
 * indexed block's time is Expired, as the verifier's `statusOf` says, whether or not anyone called
 * `expire`. Run with each batch and rollback at the time of its last block (`block`), and stamped with the
 * expiry itself, so the rows depend only on the chain up to that block.
 */
export async function markExpired(tx: Queryable, chainTime: number, block: number): Promise<string[]> {
  // Each mark is a status transition of the live log too, at `block` (the block whose time decided it).
  return expireAndRecord(tx, chainTime, block);
}

function eventRow(event: ChainEvent) {
  return {
    block_number: event.blockNumber,
    log_index: event.logIndex,
    block_hash: event.blockHash,
    block_time: iso(event.blockTime),
    tx_hash: event.txHash,
    contract: event.contract,
    name: event.name,
    intent_id: event.intentId,
    solver: event.solver,
    args: event.args,
  };
}

function rowEvent(row: Record<string, unknown>): ChainEvent {
  const time = row.block_time instanceof Date ? row.block_time : new Date(String(row.block_time));
  return {
    blockNumber: Number(row.block_number),
    logIndex: Number(row.log_index),
    blockHash: String(row.block_hash),
    blockTime: time.getTime() / 1000,
    txHash: String(row.tx_hash),
    contract: row.contract as ChainEvent["contract"],
    name: String(row.name),
    intentId: (row.intent_id as string | null) ?? null,
    solver: (row.solver as string | null) ?? null,
    args: row.args as ChainEvent["args"],
  };
}
