-- A job's signed transaction bytes in a table of their own (#18 part 1).
--
-- raw_tx (a few hundred bytes to kilobytes) is written once, when the job is signed, and read only to (re)send the
-- transaction and to build proofs and receipts. In publish_jobs it rode along in every later version of the row:
-- each non-heap-only update (sent, mined, status checks) wrote it to the WAL and to the heap again.
-- publish_job_transactions holds it once, keyed by job id (time-ordered, so its index stays hot).
--
-- Rows from before V43 keep their bytes in publish_jobs.raw_tx; readers take
-- COALESCE(publish_job_transactions.raw_tx, publish_jobs.raw_tx). Whether a job has a stored transaction of its own
-- is now told by publish_jobs.txid (before, raw_tx and txid were set and cleared together).
CREATE TABLE publish_job_transactions (
  job_id  VARCHAR(32) PRIMARY KEY REFERENCES publish_jobs (job_id) ON DELETE CASCADE,
  raw_tx  BYTEA       NOT NULL CHECK (octet_length(raw_tx) > 0)
);

-- raw_tx without a txid is never legal; a txid without bytes in publish_jobs is the new form. Both new constraints
-- follow from the ones they replace, which every existing row met, so they are added NOT VALID: no scan of the
-- table under this migration's lock (new and updated rows are checked as always).
ALTER TABLE publish_jobs ADD CONSTRAINT publish_jobs_tx_bytes_need_txid CHECK (raw_tx IS NULL OR txid IS NOT NULL) NOT VALID;
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_tx_pair;

-- signed / sent / mined still need a stored transaction: the job's own (txid; the guard below checks its bytes are
-- stored in the same transaction), or its anchor batch's
ALTER TABLE publish_jobs ADD CONSTRAINT publish_jobs_signed_has_txid_or_anchor
  CHECK (status NOT IN ('signed', 'sent', 'mined') OR txid IS NOT NULL
         OR (mode = 'anchor' AND anchor_batch_id IS NOT NULL AND txid IS NULL)) NOT VALID;
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_signed_has_tx_or_anchor;

-- V40's guard with "has a stored transaction" told by txid, and its bytes checked where a job becomes signed: a
-- record-mode job enters signed only with its transaction's bytes stored (publish_job_transactions, written
-- earlier in the same database transaction, or raw_tx), and leaves a stored transaction only with them deleted.
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
    INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids)
      SELECT nextval('publish_job_transition_sets_id_seq'), NULL, 'queued', g.job_ids
        FROM (SELECT array_agg(n.job_id ORDER BY n.job_id) AS job_ids
                FROM (SELECT n.job_id, (row_number() OVER (ORDER BY n.job_id) - 1) / 1000000 AS chunk
                        FROM new_rows n) n
               GROUP BY n.chunk) g;
    RETURN NULL;
  END IF;
  WITH changed AS (
    SELECT n.job_id, o.status AS from_status, n.status AS to_status, n.txid,
           coalesce(CASE
             WHEN o.status = 'queued'     AND n.status = 'processing' THEN TRUE
             WHEN o.status = 'processing' AND n.status = 'signed'
               THEN n.anchor_batch_id IS NOT NULL OR n.raw_tx IS NOT NULL
                 OR EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.status = 'queued'     AND n.status = 'signed'
               THEN (n.mode = 'record' AND n.txid IS NOT NULL AND n.processing_batch_id IS NOT NULL
                     AND (n.raw_tx IS NOT NULL OR EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)))
                 OR (n.mode = 'anchor' AND n.anchor_batch_id IS NOT NULL AND n.txid IS NULL)
             WHEN o.status = 'signed'     AND n.status = 'sent'       THEN TRUE
             WHEN o.status = 'sent'       AND n.status = 'mined'      THEN TRUE
             WHEN o.status = 'signed'     AND n.status = 'mined'      THEN TRUE
             WHEN o.status IN ('queued', 'processing', 'signed', 'sent') AND n.status = 'failed' THEN TRUE
             WHEN o.status = 'processing' AND n.status = 'queued'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.status IN ('signed', 'sent') AND n.status = 'processing'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.status = 'failed'     AND n.status = 'queued'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.status = 'mined'      AND n.status = 'sent'
               THEN n.txid IS NOT DISTINCT FROM o.txid AND n.anchor_batch_id IS NOT DISTINCT FROM o.anchor_batch_id
                    AND n.block_hash IS NULL AND n.merkle_path IS NULL
                    AND coalesce(current_setting('raregen.transition_reason', true), '') <> ''
             ELSE FALSE
           END, FALSE) AS legal
      FROM old_rows o JOIN new_rows n ON n.job_id = o.job_id
     WHERE n.status <> o.status
  ), recorded AS (
    INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids, txids, reason)
      SELECT nextval('publish_job_transition_sets_id_seq'), g.from_status, g.to_status, g.job_ids,
             CASE WHEN g.any_txid THEN g.txids END, nullif(current_setting('raregen.transition_reason', true), '')
        FROM (SELECT c.from_status, c.to_status, array_agg(c.job_id ORDER BY c.job_id) AS job_ids,
                     array_agg(c.txid ORDER BY c.job_id) AS txids, bool_or(c.txid IS NOT NULL) AS any_txid
                FROM (SELECT c.*, (row_number() OVER (PARTITION BY c.from_status, c.to_status ORDER BY c.job_id) - 1)
                                  / 1000000 AS chunk
                        FROM changed c WHERE c.legal) c
               GROUP BY c.from_status, c.to_status, c.chunk) g
  )
  SELECT c.job_id, c.from_status, c.to_status INTO bad FROM changed c WHERE NOT c.legal LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'illegal job transition % -> % for job %', bad.from_status, bad.to_status, bad.job_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
