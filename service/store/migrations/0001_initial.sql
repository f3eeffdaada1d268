-- The intent store: a projection of IntentVerifier's and SolverRegistry's events, rebuilt from the
-- chain at will. One dialect for PGlite (embedded) and Postgres. Amounts are NUMERIC(78,0) (a
-- uint256 fits); addresses and hashes are lower-case 0x hex. No IP address or user agent is stored.

-- Every decoded event of the two contracts, as the chain logged it. The projections below are
-- folds over these rows, so a rollback deletes the dropped blocks' rows and refolds what they touched.
CREATE TABLE chain_events (
  block_number BIGINT NOT NULL,
  log_index INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  block_time TIMESTAMPTZ NOT NULL,
  tx_hash TEXT NOT NULL,
  contract TEXT NOT NULL,
  name TEXT NOT NULL,
  intent_id TEXT,
  solver TEXT,
  args JSONB NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX chain_events_intent ON chain_events (intent_id, block_number, log_index);
CREATE INDEX chain_events_solver ON chain_events (solver, block_number, log_index);

CREATE TABLE intents (
  id TEXT PRIMARY KEY,
  user_address TEXT NOT NULL,
  intent_type TEXT NOT NULL,
  nonce NUMERIC(20, 0) NOT NULL,
  params JSONB NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  solver TEXT,
  claim_deadline TIMESTAMPTZ,
  received NUMERIC(78, 0),
  gas_used BIGINT,
  total_cost NUMERIC(78, 0),
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ,
  created_block BIGINT NOT NULL,
  updated_block BIGINT NOT NULL
);
CREATE INDEX intents_status_created ON intents (status, created_at);
CREATE INDEX intents_user_status ON intents (user_address, status);
CREATE INDEX intents_expires ON intents (expires_at);

-- The transactions that moved an intent, one row per event.
CREATE TABLE intent_transactions (
  block_number BIGINT NOT NULL,
  log_index INTEGER NOT NULL,
  intent_id TEXT NOT NULL,
  chain_id BIGINT NOT NULL,
  tx_hash TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX intent_transactions_hash ON intent_transactions (tx_hash);
CREATE INDEX intent_transactions_intent ON intent_transactions (intent_id);

CREATE TABLE solvers (
  address TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  bond NUMERIC(78, 0) NOT NULL,
  unbonding_ends TIMESTAMPTZ,
  assigned INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  filled INTEGER NOT NULL,
  slashed NUMERIC(78, 0) NOT NULL,
  success_rate_bps INTEGER NOT NULL,
  performance_score_bps INTEGER,
  registered_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL,
  updated_block BIGINT NOT NULL
);

-- Where the indexer is: the last block folded in (one row).
CREATE TABLE indexer_checkpoint (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  chain_id BIGINT NOT NULL,
  block_number BIGINT NOT NULL,
  block_hash TEXT NOT NULL
);

-- Hashes of recent indexed blocks (every block with an event, and each batch's last block) within
-- the reorg window: where a reorg is detected and how far it reaches.
CREATE TABLE indexed_blocks (
  number BIGINT PRIMARY KEY,
  hash TEXT NOT NULL
);
