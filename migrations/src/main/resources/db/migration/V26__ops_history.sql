-- Operator history (GET /v1/ops/series, /v1/ops/summary, /v1/ops/failed-jobs in the functions app):
-- per-minute figures for up to 7 days, each read by an index range over its window only, never by
-- a scan of all history. Not CONCURRENTLY (Flyway holds its lock in an open transaction, see V22):
-- each build blocks writes to its table while it reads it, about 1 s per million rows here; the
-- broadcaster runs this at its own start, before it writes.

-- The pool's depth over time. The utxos table cannot give it back: it does not keep when an output
-- went pending -> available, when it was reserved (reserved_at is overwritten by the next lease) or
-- retired. So the broadcaster's pool metrics loop (every raregen.pool.metrics-interval, 15 s) writes
-- the figures it has just read, and prunes rows older than raregen.pool.history-retention (8 d).
-- alert_threshold and funding_address are the broadcaster's own settings and key, so the functions
-- app can show them without holding either.
CREATE TABLE pool_depth_samples (
  sampled_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
  instance_id        VARCHAR(128)  NOT NULL,
  -- usable publish outputs (available, clean, under the chain-depth limit): what the low-depth alert compares
  publish_available  BIGINT        NOT NULL CHECK (publish_available >= 0),
  available          BIGINT        NOT NULL CHECK (available >= 0),
  reserved           BIGINT        NOT NULL CHECK (reserved >= 0),
  pending            BIGINT        NOT NULL CHECK (pending >= 0),
  available_sats     BIGINT        NOT NULL CHECK (available_sats >= 0),
  funding_sats       BIGINT        NOT NULL CHECK (funding_sats >= 0),
  alert_threshold    BIGINT        NOT NULL CHECK (alert_threshold >= 0),
  funding_address    VARCHAR(64),
  PRIMARY KEY (sampled_at, instance_id)
);

-- jobs sent per minute and the accept -> sent latency: an index-only range read of the window
CREATE INDEX IF NOT EXISTS idx_publish_jobs_sent_at ON publish_jobs (sent_at) INCLUDE (created_at)
  WHERE sent_at IS NOT NULL;

-- mined and failed per minute, from the audit trail (a retried job loses failed_at, not its
-- transition): append-only, so the index only ever grows at its right edge
CREATE INDEX IF NOT EXISTS idx_publish_job_transitions_outcomes ON publish_job_transitions (at) INCLUDE (to_status)
  WHERE to_status IN ('mined', 'failed');

-- the failed-jobs list (newest first) and its count, without sorting every failed job
CREATE INDEX IF NOT EXISTS idx_publish_jobs_failed ON publish_jobs (failed_at DESC NULLS LAST, job_id DESC)
  WHERE status = 'failed';

-- batches and their sizes per minute
CREATE INDEX IF NOT EXISTS idx_publish_batches_created ON publish_batches (created_at) INCLUDE (job_count);
