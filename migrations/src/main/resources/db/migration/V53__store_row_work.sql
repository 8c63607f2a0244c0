-- The store's per-row work in the database (#18, part 1).
--
-- The one statement of the drain that writes a version of each job row, the store's queued -> signed, spent as much
-- time in what runs beside it as in the update itself (EXPLAIN ANALYZE of a 500-job store: ~20 ms of update, ~16 ms
-- of the transition guard, ~2-3 ms of the foreign key's checks). Two of those costs did no work for any reader:
--
-- 1. The transition guard copied every old row whole (with the request body, ~2 KB) into its first step, and asked
--    "are this job's transaction bytes stored?" as EXISTS sub-selects. Postgres may run such a sub-select hashed:
--    read the whole of publish_job_transactions' key once per statement and look each job up in memory. It chose
--    that whenever the table looked small next to the statement's rows (for a 500-job store: still at 100,000 rows,
--    no longer at 200,000; a new deployment, or the benchmark's database), so each store read every key of the
--    table, a cost that grew with the table until the plan changed. The guard now copies only the columns it tests,
--    and asks the same question as a scalar sub-select (at most one row: job_id is the key), which Postgres never
--    hashes: one probe of the key per job that needs the answer. Same rules, same audit rows, same errors.
--
-- 2. The foreign key publish_jobs.processing_batch_id -> publish_batches ran a check per job row whose batch changed
--    (500 per store: a look-up of the batch row under a KEY SHARE lock). Its relation holds by construction: the
--    broadcaster inserts the batch row in the same database transaction as the jobs that name it (the store, the
--    anchoring window's store), nothing deletes a batch row, and a job leaves its batch by setting the column NULL.
--    As with V50's keys, the broadcaster's tests check the relation after every drain (Invariants.assertRowsHaveTheirJob).
--
-- The previous release runs on this unchanged (same function signature, same rules; it never relied on the key's
-- error). Undo: docs/OPERATIONS.md.
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_processing_batch_id_fkey;

-- V47's guard with the two changes above (the old rows' columns it reads; scalar sub-selects instead of EXISTS).
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
  -- test below); the batch is read only for a row leaving signed (CASE evaluates its branch lazily). Only the columns
  -- the tests read: a whole job row is ~2 KB with the request body, and 500 of them were copied for nothing.
  WITH was AS MATERIALIZED (
    SELECT o.job_id, o.status, o.txid, o.anchor_batch_id,
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
                 OR (SELECT TRUE FROM publish_job_transactions t WHERE t.job_id = n.job_id) IS NOT NULL
             WHEN o.was_status = 'queued'     AND n.status = 'signed'
               THEN (n.mode = 'record' AND n.txid IS NOT NULL AND n.processing_batch_id IS NOT NULL
                     AND (n.raw_tx IS NOT NULL OR (SELECT TRUE FROM publish_job_transactions t WHERE t.job_id = n.job_id) IS NOT NULL))
                 OR (n.mode = 'anchor' AND n.anchor_batch_id IS NOT NULL AND n.txid IS NULL)
             WHEN o.was_status = 'signed'     AND n.status = 'sent'       THEN TRUE
             WHEN o.was_status = 'sent'       AND n.status = 'mined'      THEN TRUE
             WHEN o.was_status = 'signed'     AND n.status = 'mined'      THEN TRUE
             WHEN o.was_status IN ('queued', 'processing', 'signed', 'sent') AND n.status = 'failed' THEN TRUE
             WHEN o.was_status = 'processing' AND n.status = 'queued'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND (SELECT TRUE FROM publish_job_transactions t WHERE t.job_id = n.job_id) IS NULL
             WHEN o.was_status IN ('signed', 'sent') AND n.status = 'processing'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND (SELECT TRUE FROM publish_job_transactions t WHERE t.job_id = n.job_id) IS NULL
             WHEN o.was_status = 'failed'     AND n.status = 'queued'
               THEN n.txid IS NULL AND n.anchor_batch_id IS NULL
                    AND (SELECT TRUE FROM publish_job_transactions t WHERE t.job_id = n.job_id) IS NULL
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

-- No JIT compilation for the guard's statement (as since V47: the transition tables have no statistics, so Postgres
-- guesses a cost above jit_above_cost, and compiling took longer than running).
ALTER FUNCTION guard_job_transitions() SET jit = off;
