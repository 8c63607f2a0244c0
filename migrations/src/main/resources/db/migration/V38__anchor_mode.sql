-- Anchor mode (docs/PROTOCOL.md#anchor-mode): a publish request may ask for "mode": "anchor"; the broadcaster then
-- publishes the records of a window as the leaves of one merkle tree whose root one transaction carries.
-- Additive: every existing job is a 'record' job (a constant default: no table rewrite), and no existing row or
-- index changes meaning.

-- One row per anchor transaction, stored (signed) before it is broadcast, like a job's raw_tx.
--   signed:   stored, not yet accepted by the network (the rescue loop re-sends these bytes, never others)
--   sent:     accepted; its inputs are spent and its change is in the pool
--   mined:    in a block, with the block and the merkle path (BUMP) of the transaction
--   rejected: definitively refused; its spends rows are gone and its jobs went back to the queue
CREATE TABLE anchor_batches (
  batch_id           VARCHAR(32)  PRIMARY KEY REFERENCES publish_batches (batch_id),
  tree_size          INTEGER      NOT NULL CHECK (tree_size >= 1),
  root               CHAR(64)     NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
  txid               CHAR(64)     NOT NULL CHECK (txid ~ '^[0-9a-f]{64}$'),
  raw_tx             BYTEA        NOT NULL,
  fee_sats           BIGINT       NOT NULL CHECK (fee_sats >= 0),
  status             VARCHAR(16)  NOT NULL DEFAULT 'signed'
                     CHECK (status IN ('signed', 'sent', 'mined', 'rejected')),
  instance_id        VARCHAR(128),
  attempts           INTEGER      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  signed_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
  sending_started_at TIMESTAMPTZ,
  sent_at            TIMESTAMPTZ,
  status_checked_at  TIMESTAMPTZ,
  mined_at           TIMESTAMPTZ,
  block_hash         CHAR(64),
  block_height       INTEGER      CHECK (block_height >= 0),
  merkle_path        BYTEA,
  error_detail       TEXT,
  created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT anchor_batches_txid_unique UNIQUE (txid),
  CONSTRAINT anchor_batches_mined_has_block CHECK (status <> 'mined' OR block_hash IS NOT NULL)
);
CREATE TRIGGER update_anchor_batches_updated_at BEFORE UPDATE ON anchor_batches
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE INDEX idx_anchor_batches_open ON anchor_batches (status, signed_at) WHERE status IN ('signed', 'sent');

ALTER TABLE publish_jobs ADD COLUMN mode VARCHAR(8) NOT NULL DEFAULT 'record';
ALTER TABLE publish_jobs ADD CONSTRAINT publish_jobs_mode CHECK (mode IN ('record', 'anchor')) NOT VALID;
ALTER TABLE publish_jobs VALIDATE CONSTRAINT publish_jobs_mode;

-- an anchor-mode job's place in its batch's tree; its transaction is the batch's (anchor_batches.raw_tx), so its
-- own raw_tx and txid stay NULL (a txid is unique per job row)
ALTER TABLE publish_jobs ADD COLUMN anchor_batch_id VARCHAR(32) REFERENCES anchor_batches (batch_id);
ALTER TABLE publish_jobs ADD COLUMN anchor_leaf_index INTEGER CHECK (anchor_leaf_index >= 0);
-- its inclusion proof's audit path (RFC 6962: sibling hashes, lowest first, 32 bytes each, at most 31), written
-- with the leaf index when the batch is stored, so a receipt reads its own row and never rebuilds the tree
ALTER TABLE publish_jobs ADD COLUMN anchor_path BYTEA CHECK (length(anchor_path) % 32 = 0 AND length(anchor_path) <= 992);
ALTER TABLE publish_jobs ADD CONSTRAINT publish_jobs_anchor_pair
  CHECK ((anchor_batch_id IS NULL) = (anchor_leaf_index IS NULL)) NOT VALID;
ALTER TABLE publish_jobs VALIDATE CONSTRAINT publish_jobs_anchor_pair;

-- signed / sent / mined still need a stored transaction: the job's own, or its anchor batch's
ALTER TABLE publish_jobs ADD CONSTRAINT publish_jobs_signed_has_tx_or_anchor
  CHECK (status NOT IN ('signed', 'sent', 'mined') OR (raw_tx IS NOT NULL AND txid IS NOT NULL)
         OR (mode = 'anchor' AND anchor_batch_id IS NOT NULL AND raw_tx IS NULL)) NOT VALID;
ALTER TABLE publish_jobs VALIDATE CONSTRAINT publish_jobs_signed_has_tx_or_anchor;
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_signed_has_tx;

-- the anchoring window claims the oldest queued anchor jobs; the jobs of a batch move together
CREATE INDEX idx_publish_jobs_anchor_queued ON publish_jobs (created_at) WHERE status = 'queued' AND mode = 'anchor';
CREATE INDEX idx_publish_jobs_anchor_batch ON publish_jobs (anchor_batch_id) WHERE anchor_batch_id IS NOT NULL;

-- The job-transition rules (V29's) with an anchor-mode job's transaction being its batch's: such a job goes
-- queued -> signed when the anchoring window claims it and stores its batch in one transaction; a job leaves a stored
-- transaction (signed|sent -> processing, processing -> queued) only when it has neither its own (raw_tx) nor a
-- batch's (anchor_batch_id); a reorg keeps the job's transaction, whichever it is (IS NOT DISTINCT FROM: an
-- anchor-mode job's txid is NULL). A rule that cannot be decided counts as illegal, never as silently unrecorded.
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
           coalesce(CASE
             WHEN o.status = 'queued'     AND n.status = 'processing' THEN TRUE
             WHEN o.status = 'processing' AND n.status = 'signed'     THEN TRUE
             -- an anchor-mode job is claimed and stored into its batch in one transaction
             WHEN o.status = 'queued'     AND n.status = 'signed'
               THEN n.mode = 'anchor' AND n.anchor_batch_id IS NOT NULL AND n.raw_tx IS NULL
             WHEN o.status = 'signed'     AND n.status = 'sent'       THEN TRUE
             WHEN o.status = 'sent'       AND n.status = 'mined'      THEN TRUE
             WHEN o.status = 'signed'     AND n.status = 'mined'      THEN TRUE
             WHEN o.status IN ('queued', 'processing', 'signed', 'sent') AND n.status = 'failed' THEN TRUE
             WHEN o.status = 'processing' AND n.status = 'queued'
               THEN n.raw_tx IS NULL AND n.anchor_batch_id IS NULL
             WHEN o.status IN ('signed', 'sent') AND n.status = 'processing'
               THEN n.raw_tx IS NULL AND n.anchor_batch_id IS NULL
             WHEN o.status = 'failed'     AND n.status = 'queued'
               THEN n.raw_tx IS NULL AND n.anchor_batch_id IS NULL
             -- a reorg: same transaction, the block forgotten
             WHEN o.status = 'mined'      AND n.status = 'sent'
               THEN n.txid IS NOT DISTINCT FROM o.txid AND n.anchor_batch_id IS NOT DISTINCT FROM o.anchor_batch_id
                    AND n.block_hash IS NULL AND n.merkle_path IS NULL
                    AND coalesce(current_setting('raregen.transition_reason', true), '') <> ''
             ELSE FALSE
           END, FALSE) AS legal
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
