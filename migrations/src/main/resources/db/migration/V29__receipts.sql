-- Receipts (issue 17): what a signed receipt and its upgrades are assembled from.

-- The request body exactly as accepted: the receipt signs its SHA-256, and the upgraded receipt
-- carries it so that the hash can be checked offline. Jobs from before V29 have neither.
ALTER TABLE publish_jobs ADD COLUMN envelope BYTEA;
ALTER TABLE publish_jobs ADD COLUMN envelope_sha256 CHAR(64) CHECK (envelope_sha256 ~ '^[0-9a-f]{64}$');

-- Block headers the broadcaster fetched from its header source (not from ARC) and checked a
-- merkle path against before marking jobs mined; receipts embed them. A block that left the
-- chain (reorg) is deleted here when its jobs go back to sent.
CREATE TABLE block_headers (
  block_hash   CHAR(64)    PRIMARY KEY CHECK (block_hash ~ '^[0-9a-f]{64}$'),
  block_height INTEGER     NOT NULL CHECK (block_height >= 0),
  header       BYTEA       NOT NULL CHECK (octet_length(header) = 80),
  source       TEXT        NOT NULL,
  fetched_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- when the reorg watch last found the block still on the chain
  checked_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_block_headers_fetched ON block_headers (fetched_at);
-- a reorg moves the jobs of one block back to sent
CREATE INDEX idx_publish_jobs_block_hash ON publish_jobs (block_hash) WHERE block_hash IS NOT NULL;

-- Why a transition happened, when the writer said so (set_config('raregen.transition_reason', …, true)
-- in its transaction); today only the reorg's mined -> sent.
ALTER TABLE publish_job_transitions ADD COLUMN reason TEXT;

-- V25's statement-level guard, plus one backward move: mined -> sent when the block left the chain.
-- The block data must be cleared with it, and the audit row carries the writer's reason.
CREATE OR REPLACE FUNCTION guard_job_transitions() RETURNS trigger AS $$
DECLARE
  bad RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT n.job_id, n.status INTO bad FROM new_rows n WHERE n.status <> 'queued' LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'job % must start queued, not %', bad.job_id, bad.status
        USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO publish_job_transitions (job_id, from_status, to_status)
      SELECT n.job_id, NULL, 'queued' FROM new_rows n;
    RETURN NULL;
  END IF;
  WITH changed AS (
    SELECT n.job_id, o.status AS from_status, n.status AS to_status, n.txid,
           CASE
             WHEN o.status = 'queued'     AND n.status = 'processing' THEN TRUE
             WHEN o.status = 'processing' AND n.status = 'signed'     THEN TRUE
             WHEN o.status = 'signed'     AND n.status = 'sent'       THEN TRUE
             WHEN o.status = 'sent'       AND n.status = 'mined'      THEN TRUE
             WHEN o.status = 'signed'     AND n.status = 'mined'      THEN TRUE
             WHEN o.status IN ('queued', 'processing', 'signed', 'sent') AND n.status = 'failed' THEN TRUE
             WHEN o.status = 'processing' AND n.status = 'queued'     THEN n.raw_tx IS NULL
             WHEN o.status IN ('signed', 'sent') AND n.status = 'processing' THEN n.raw_tx IS NULL
             WHEN o.status = 'failed'     AND n.status = 'queued'     THEN n.raw_tx IS NULL
             -- a reorg: same transaction, the block forgotten
             WHEN o.status = 'mined'      AND n.status = 'sent'
               THEN n.txid = o.txid AND n.block_hash IS NULL AND n.merkle_path IS NULL
                    AND coalesce(current_setting('raregen.transition_reason', true), '') <> ''
             ELSE FALSE
           END AS legal
      FROM old_rows o JOIN new_rows n ON n.job_id = o.job_id
     WHERE n.status <> o.status
  ), recorded AS (
    INSERT INTO publish_job_transitions (job_id, from_status, to_status, txid, reason)
      SELECT c.job_id, c.from_status, c.to_status, c.txid,
             nullif(current_setting('raregen.transition_reason', true), '')
        FROM changed c WHERE c.legal
  )
  SELECT c.job_id, c.from_status, c.to_status INTO bad FROM changed c WHERE NOT c.legal LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'illegal job transition % -> % for job %', bad.from_status, bad.to_status, bad.job_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
