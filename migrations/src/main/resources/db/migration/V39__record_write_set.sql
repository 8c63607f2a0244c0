-- The record path's write set, smaller (#18): fewer row versions of publish_jobs and fewer index entries per version.
--
-- 1. A record-mode job is claimed and stored signed in ONE statement (queued -> signed), inside the transaction that
--    holds its row lock from the claim: no 'processing' row version, no 'processing' audit row. The rule demands what
--    that statement writes: the transaction (raw_tx) and the batch that stored it. processing -> signed stays legal
--    for jobs claimed by an older broadcaster during a rolling deploy, and for re-signs.
-- 2. Indexes a queued row never needs an entry in are partial: the txid's uniqueness (NULL until signed; NULLs never
--    conflicted, so the rule is unchanged) and the batch lookup (NULL until signed).
--
-- (Kept out on purpose: moving the write-once wide columns to TOAST. Postgres only tries to move values out of line
-- when a row is over ~2 KB, and a job row is ~1.5 KB, so toast_tuple_target/STORAGE EXTERNAL change nothing here:
-- measured, docs/benchmarks/storage.md.)

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
             -- claimed and stored in one statement: a record-mode job with its own transaction and the batch
             -- that stored it, or an anchor-mode job into its anchor batch
             WHEN o.status = 'queued'     AND n.status = 'signed'
               THEN (n.mode = 'record' AND n.raw_tx IS NOT NULL AND n.processing_batch_id IS NOT NULL)
                 OR (n.mode = 'anchor' AND n.anchor_batch_id IS NOT NULL AND n.raw_tx IS NULL)
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

-- 2. partial indexes: the unique index is built before the constraint goes, so txids stay unique throughout
CREATE UNIQUE INDEX publish_jobs_txid_unique_signed ON publish_jobs (txid) WHERE txid IS NOT NULL;
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_txid_unique;
ALTER INDEX publish_jobs_txid_unique_signed RENAME TO publish_jobs_txid_unique;

DROP INDEX idx_publish_jobs_batch;
CREATE INDEX idx_publish_jobs_batch ON publish_jobs (processing_batch_id) WHERE processing_batch_id IS NOT NULL;

