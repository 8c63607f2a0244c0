-- A batch's sends recorded once for the batch (#18, part 1).
--
-- Until now, after the network took a batch's transactions, every job row of the batch was rewritten signed -> sent:
-- one more version of each job row (a new heap tuple and an entry in each of its indexes, ~1.5 KB of WAL) and a
-- fifth of the drain's statement time. Now, when every transaction of a batch is settled in its first pass, the
-- broadcaster writes once, for the whole batch:
--   - publish_batches.sent_at (this column), in the batch's row;
--   - one publish_job_transition_sets row signed -> sent naming the batch's jobs (the audit trail and the event log
--     read it as before).
-- The job rows stay `signed` until they are mined (signed -> mined was already legal). A record-mode job whose row
-- says `signed` and whose batch has sent_at IS sent, since its batch's sent_at: every reader that tells sent from
-- signed reads the two together (job_states below, or the same join).
--
-- Jobs sent one by one (the rescuer's re-sends, a batch of which some transaction stayed open) still have their rows
-- rewritten `sent` as before, and their batch's sent_at stays NULL until the rescuer finds none of its jobs signed
-- any more: then it sets it, which changes no job (none is left signed in it). A batch row is written in the same
-- database transaction as its jobs' signed rows, so once it is visible the set of its signed jobs only shrinks: a
-- batch found with no signed job keeps none.
--
-- The previous release, during a deploy: its broadcaster writes no sent_at (its rows go `sent` one by one; the new
-- rescuer then closes its batches); its rescuer sees this release's sent-as-a-batch jobs as signed and, after
-- rebroadcast-after, sends the same bytes again (the network answers "already known"; the job row goes `sent`); its
-- status API shows them `signed` until the API stack is deployed. Nothing is lost or sent twice as different bytes.
ALTER TABLE publish_batches ADD COLUMN sent_at TIMESTAMPTZ;

-- Batches before this migration: their jobs were moved to sent one by one. A batch with no record-mode job left
-- signed is closed; one that still has some keeps sent_at NULL, and the rescuer re-sends those jobs (as before).
UPDATE publish_batches b SET sent_at = coalesce(b.completed_at, b.broadcasted_at, b.updated_at)
 WHERE NOT EXISTS (SELECT 1 FROM publish_jobs j
                    WHERE j.processing_batch_id = b.batch_id AND j.status = 'signed' AND j.mode = 'record');

-- the rescuer's way in: the batches not sent yet (few: those in flight and those a crash or an open answer left)
CREATE INDEX idx_publish_batches_unsent ON publish_batches (created_at) WHERE sent_at IS NULL;
-- the series and the CLI's rates: the jobs sent in a window, as batches
CREATE INDEX idx_publish_batches_sent_at ON publish_batches (sent_at) WHERE sent_at IS NOT NULL;
-- the confirmation tracker: jobs sent one by one, or signed in a sent batch, least recently checked first. It replaces
-- idx_publish_jobs_sent_check (status = 'sent' only), which the previous release's tracker still reads; the release
-- after drops it, and idx_publish_jobs_unsent, which only the previous release's rescuer reads.
CREATE INDEX idx_publish_jobs_unconfirmed ON publish_jobs (status_checked_at NULLS FIRST, signed_at)
  WHERE status IN ('signed', 'sent') AND mode = 'record';

-- What a job is, for readers: its row's status, except that a signed record-mode job of a sent batch is sent (and
-- was sent at its batch's sent_at).
CREATE VIEW job_states AS
  SELECT j.job_id,
         CASE WHEN b.sent_at IS NOT NULL THEN 'sent' ELSE j.status END::varchar(16) AS status,
         CASE WHEN b.sent_at IS NOT NULL THEN b.sent_at ELSE j.sent_at END AS sent_at
    FROM publish_jobs j
    LEFT JOIN publish_batches b
      ON j.status = 'signed' AND j.mode = 'record' AND b.batch_id = j.processing_batch_id AND b.sent_at IS NOT NULL;

-- Every job sent and when, whichever way it was recorded: rows that carry their own sent_at (sent one by one, or
-- mined: a mined row takes its batch's sent_at), and the signed jobs of sent batches (whose rows carry none: a job is
-- discarded with its sent_at cleared). A filter on sent_at reaches
-- both branches (idx_publish_jobs_sent_at, idx_publish_batches_sent_at).
CREATE VIEW job_sends AS
  SELECT j.job_id, j.created_at, j.sent_at FROM publish_jobs j WHERE j.sent_at IS NOT NULL
  UNION ALL
  SELECT j.job_id, j.created_at, b.sent_at
    FROM publish_batches b
    JOIN publish_jobs j ON j.processing_batch_id = b.batch_id AND j.status = 'signed' AND j.mode = 'record'
   WHERE b.sent_at IS NOT NULL;

-- V43's guard, with a job's status before the statement read as job_states does: a signed record-mode job of a sent
-- batch leaves `sent` (to mined, failed, or back to processing), and rewriting its row `sent` (a re-send) is no
-- change of status, so it writes no audit row.
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
  -- each old row's status as job_states reads it, computed once (inlined, its subquery would be copied into every
  -- test below); the batch is read only for a row leaving signed (CASE evaluates its branch lazily)
  WITH was AS MATERIALIZED (
    SELECT o.*,
           CASE WHEN o.status = 'signed' AND o.mode = 'record'
                THEN coalesce((SELECT 'sent'::varchar FROM publish_batches b
                                WHERE b.batch_id = o.processing_batch_id AND b.sent_at IS NOT NULL), o.status)
                ELSE o.status END AS was_status
      FROM old_rows o
  ), changed AS (
    SELECT n.job_id, o.was_status AS from_status, n.status AS to_status, n.txid,
           coalesce(CASE
             WHEN o.was_status = 'queued'     AND n.status = 'processing' THEN TRUE
             WHEN o.was_status = 'processing' AND n.status = 'signed'
               THEN n.anchor_batch_id IS NOT NULL OR n.raw_tx IS NOT NULL
                 OR EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.was_status = 'queued'     AND n.status = 'signed'
               THEN (n.mode = 'record' AND n.txid IS NOT NULL AND n.processing_batch_id IS NOT NULL
                     AND (n.raw_tx IS NOT NULL OR EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)))
                 OR (n.mode = 'anchor' AND n.anchor_batch_id IS NOT NULL AND n.txid IS NULL)
             WHEN o.was_status = 'signed'     AND n.status = 'sent'       THEN TRUE
             WHEN o.was_status = 'sent'       AND n.status = 'mined'      THEN TRUE
             WHEN o.was_status = 'signed'     AND n.status = 'mined'      THEN TRUE
             WHEN o.was_status IN ('queued', 'processing', 'signed', 'sent') AND n.status = 'failed' THEN TRUE
             WHEN o.was_status = 'processing' AND n.status = 'queued'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.was_status IN ('signed', 'sent') AND n.status = 'processing'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.was_status = 'failed'     AND n.status = 'queued'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = n.job_id)
             WHEN o.was_status = 'mined'      AND n.status = 'sent'
               THEN n.txid IS NOT DISTINCT FROM o.txid AND n.anchor_batch_id IS NOT DISTINCT FROM o.anchor_batch_id
                    AND n.block_hash IS NULL AND n.merkle_path IS NULL
                    AND coalesce(current_setting('raregen.transition_reason', true), '') <> ''
             ELSE FALSE
           END, FALSE) AS legal
      FROM was o JOIN new_rows n ON n.job_id = o.job_id
     WHERE n.status <> o.status AND n.status <> o.was_status
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
-- No JIT compilation for the guard's statement: its estimated cost (the transition tables have no statistics, so
-- Postgres guesses) crosses jit_above_cost, and compiling took 40-100 ms per 500-job statement, which runs in ~22 ms.
ALTER FUNCTION guard_job_transitions() SET jit = off;

-- A batch's sends, recorded once: the batch's sent_at and one audit row signed -> sent for its signed jobs. Takes the
-- batch row's lock first, so that a job sent one by one at the same moment (the rescuer, in another instance) is
-- either already `sent` in its row here (and left out) or waits and then sees the batch sent (and writes no audit
-- row). Only when every signed job of the batch is among the given ones; returns how many jobs it recorded sent
-- (0: nothing written; the caller records them one by one).
CREATE FUNCTION record_batch_sent(batch VARCHAR, sent_jobs VARCHAR[]) RETURNS INTEGER AS $$
DECLARE
  n INTEGER;
BEGIN
  PERFORM 1 FROM publish_batches WHERE batch_id = batch AND sent_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  -- an anti-join, which Postgres hashes (a `<> ALL (array)` test would compare every job with every element)
  IF EXISTS (SELECT 1 FROM publish_jobs j
              WHERE j.processing_batch_id = batch AND j.status = 'signed' AND j.mode = 'record'
                AND NOT EXISTS (SELECT 1 FROM unnest(sent_jobs) AS s(job_id) WHERE s.job_id = j.job_id)) THEN
    RETURN 0;
  END IF;
  INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids, txids)
    SELECT nextval('publish_job_transition_sets_id_seq'), 'signed', 'sent',
           array_agg(j.job_id ORDER BY j.job_id), array_agg(j.txid ORDER BY j.job_id)
      FROM publish_jobs j
     WHERE j.processing_batch_id = batch AND j.status = 'signed' AND j.mode = 'record'
    HAVING count(*) > 0
    RETURNING cardinality(job_ids) INTO n;
  IF n IS NULL THEN
    RETURN 0;
  END IF;
  UPDATE publish_batches
     SET sent_at = clock_timestamp(), status = 'completed', broadcasted_at = coalesce(broadcasted_at, now()),
         completed_at = now()
   WHERE batch_id = batch;
  RETURN n;
END;
$$ LANGUAGE plpgsql;
