-- ARC status callbacks (POST /v1/callbacks/arc, docs/ARCHITECTURE.md#arc): the verification function stores
-- each authenticated callback here and answers 2xx at once; the broadcaster applies them (job
-- mined, pool chain depth reset) and records what it did. ARC delivers at least once and sends
-- MINED again with new block data after a reorg, so the natural key is (txid, status, block).
CREATE TABLE arc_callbacks (
  callback_id    BIGSERIAL     PRIMARY KEY,
  txid           CHAR(64)      NOT NULL CHECK (txid ~ '^[0-9a-f]{64}$'),
  tx_status      VARCHAR(32)   NOT NULL CHECK (tx_status ~ '^[A-Z_]{1,32}$'),
  block_hash     CHAR(64)      CHECK (block_hash ~ '^[0-9a-f]{64}$'),
  block_height   INTEGER       CHECK (block_height >= 0),
  merkle_path    BYTEA,
  competing_txs  TEXT[],
  extra_info     TEXT,
  -- ARC's own timestamp of the status change, when it sent one
  reported_at    TIMESTAMPTZ,
  received_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
  -- set by the broadcaster once handled, with what it did (mined, pool_mined, no_job, ignored, operator)
  applied_at     TIMESTAMPTZ,
  outcome        VARCHAR(16),
  CONSTRAINT arc_callbacks_applied_outcome CHECK ((applied_at IS NULL) = (outcome IS NULL))
);
CREATE UNIQUE INDEX arc_callbacks_once ON arc_callbacks (txid, tx_status, COALESCE(block_hash, ''));
CREATE INDEX arc_callbacks_pending ON arc_callbacks (received_at) WHERE applied_at IS NULL;
