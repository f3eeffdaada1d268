-- The live status's delivery log: every status an intent took, in the order the indexer committed
-- it, and a retraction for each one a reorg undid. Append-only and written in the batch's (or the
-- rollback's) own transaction, so after a `kill -9` or a reorg it is exactly what clients were or
-- will be told; a reconnecting client resumes from the last seq it saw. Not a projection: a
-- rolled-back store keeps the rows it retracted, and a fresh index has none of them.
-- seq is the order of delivery: the store has one writer (the writer lock), so seq grows in
-- commit order and readers may tail it.
CREATE TABLE intent_updates (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  intent_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('transition', 'retraction')),
  -- transition: the status the event (or the expiry job) set; retraction: the status after the rollback.
  status TEXT NOT NULL,
  -- transition: the event's block (expiry: the batch's last block); retraction: the undone transition's.
  block_number BIGINT NOT NULL,
  -- transition: the event's block time (expiry: the expiry itself, as the intent row says).
  block_time TIMESTAMPTZ,
  tx_hash TEXT,
  log_index INTEGER,
  retracts BIGINT UNIQUE REFERENCES intent_updates (seq),
  CHECK ((kind = 'retraction') = (retracts IS NOT NULL))
);
CREATE INDEX intent_updates_intent ON intent_updates (intent_id, seq);
-- A rollback looks for the transitions above the block it keeps.
CREATE INDEX intent_updates_transition_block ON intent_updates (block_number) WHERE kind = 'transition';
