// The intent_updates table (migration 0004): written by the indexer inside its batch's and its
// rollback's transactions, read by the live layer by seq. Writers and readers share this module so
// that the row shape is spelled once.
import type { Queryable } from "../store/database.js";

/** One intent status change as the indexer saw it (the write side). */
export interface Transition {
  intentId: string;
  status: string;
  blockNumber: number;
  /** Seconds (the block's time). */
  blockTime: number;
  txHash: string | null;
  logIndex: number | null;
}

/** One row of the log, as readers get it. */
export type Update =
  | {
      kind: "transition";
      seq: number;
      intentId: string;
      status: string;
      blockNumber: number;
      /** ISO 8601: the block's time (an expiry: the expiry itself). */
      timestamp: string;
      txHash: string | null;
    }
  | {
      kind: "retraction";
      seq: number;
      intentId: string;
      /** The intent's status after the rollback ("None": its submission was undone too). */
      status: string;
      /** The block of the transition undone. */
      blockNumber: number;
      retracts: number;
    };

/** Appends transitions in the order given (chain order), so that seq follows the chain. */
export async function recordTransitions(tx: Queryable, transitions: Transition[]): Promise<void> {
  if (transitions.length === 0) return;
  await tx.query(
    `INSERT INTO intent_updates (intent_id, kind, status, block_number, block_time, tx_hash, log_index)
     SELECT e.row->>'intentId', 'transition', e.row->>'status', (e.row->>'blockNumber')::bigint,
       to_timestamp((e.row->>'blockTime')::double precision), e.row->>'txHash', (e.row->>'logIndex')::integer
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(row, ord) ORDER BY e.ord`,
    [JSON.stringify(transitions)],
  );
}

/**
 * Marks the Pending intents whose expiry has passed at `chainTime` Expired and logs each as a
 * transition at `block` (the indexed block whose time decided it), in one statement.
 */
export async function expireAndRecord(tx: Queryable, chainTime: number, block: number): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `WITH expired AS (
       UPDATE intents SET status = 'Expired', updated_at = expires_at
       WHERE status = 'Pending' AND expires_at <= to_timestamp($1) RETURNING id, expires_at
     )
     INSERT INTO intent_updates (intent_id, kind, status, block_number, block_time)
     SELECT id, 'transition', 'Expired', $2, expires_at FROM expired ORDER BY expires_at, id
     RETURNING intent_id AS id`,
    [chainTime, block],
  );
  return rows.map((row) => row.id);
}

/**
 * After a rollback to `keep` has refolded `intentIds` (those with events above it): one retraction
 * for each of their transitions above `keep` not retracted before, newest first (the order they
 * are undone in), with the status the intent now has. An intent the rollback did not refold keeps
 * its row, and so its expiry marks stand.
 */
export async function recordRetractions(tx: Queryable, keep: number, intentIds: string[]): Promise<number> {
  if (intentIds.length === 0) return 0;
  const rows = await tx.query(
    `INSERT INTO intent_updates (intent_id, kind, status, block_number, retracts)
     SELECT u.intent_id, 'retraction', COALESCE(i.status, 'None'), u.block_number, u.seq
     FROM intent_updates u LEFT JOIN intents i ON i.id = u.intent_id
     WHERE u.kind = 'transition' AND u.block_number > $1 AND u.intent_id = ANY($2::text[])
       AND NOT EXISTS (SELECT 1 FROM intent_updates r WHERE r.retracts = u.seq)
     ORDER BY u.seq DESC
     RETURNING seq`,
    [keep, intentIds],
  );
  return rows.length;
}

const COLUMNS = `seq, kind, intent_id, status, block_number, block_time, tx_hash, retracts`;

interface UpdateRow {
  seq: number;
  kind: "transition" | "retraction";
  intent_id: string;
  status: string;
  block_number: number;
  block_time: Date | string | null;
  tx_hash: string | null;
  retracts: number | null;
}

function toUpdate(row: UpdateRow): Update {
  const base = {
    seq: Number(row.seq),
    intentId: row.intent_id,
    status: row.status,
    blockNumber: Number(row.block_number),
  };
  if (row.kind === "retraction") return { kind: "retraction", ...base, retracts: Number(row.retracts) };
  const time = row.block_time instanceof Date ? row.block_time : new Date(String(row.block_time));
  return { kind: "transition", ...base, timestamp: time.toISOString(), txHash: row.tx_hash };
}

/** Rows with seq above `after`, in seq order, for one intent or all; at most `limit`. */
export async function readUpdates(
  db: Queryable,
  options: { after: number; intentId?: string; limit: number },
): Promise<Update[]> {
  const rows =
    options.intentId === undefined
      ? await db.query<UpdateRow & Record<string, unknown>>(
          `SELECT ${COLUMNS} FROM intent_updates WHERE seq > $1 ORDER BY seq LIMIT $2`,
          [options.after, options.limit],
        )
      : await db.query<UpdateRow & Record<string, unknown>>(
          `SELECT ${COLUMNS} FROM intent_updates WHERE intent_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
          [options.intentId, options.after, options.limit],
        );
  return rows.map(toUpdate);
}

/** The last seq in the log (0: empty). */
export async function lastSeq(db: Queryable): Promise<number> {
  const [row] = await db.query<{ seq: number | null }>("SELECT max(seq) AS seq FROM intent_updates");
  return Number(row?.seq ?? 0);
}
