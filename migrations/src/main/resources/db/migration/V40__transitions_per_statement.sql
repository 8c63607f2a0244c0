-- The audit trail, one row per statement instead of one row per job (#18, part 1).
--
-- Every status change of a job is still recorded, by the same statement-level guard, in the same transaction, with the
-- same rules. What changes is the row it writes: a statement that moves 500 jobs from one status to another writes ONE
-- row of publish_job_transition_sets (the jobs and their txids as arrays) instead of 500 rows of
-- publish_job_transitions, each with its own heap tuple and three index entries. Per record that is three heap rows
-- and ~9 index entries less (queued, signed, sent): ~1 KB of WAL.
--
-- Readers do not change: publish_job_transitions is now a view that gives back one row per job and transition, with
-- the same columns. Each set owns the ids [id, id + number of jobs - 1]: the view's id of the k-th job of a set is
-- id + k - 1, so ids stay unique and increase in the order rows were written, and an event id (xact, id) a client
-- holds keeps its meaning. New sets take their id from a sequence that steps by 1,000,000, so a set may hold up to a
-- million jobs (a statement that changes more writes several sets).
--
-- Rows written before this migration become sets of one job each, keeping their id: their ids were below where the
-- sequence now starts.

CREATE TABLE publish_job_transition_sets (
  -- the view id of the first job of the set
  id          BIGINT       PRIMARY KEY,
  from_status VARCHAR(16),
  to_status   VARCHAR(16)  NOT NULL,
  -- the jobs, in job id order, and their txids in the same order (NULL when no job of the set has one)
  job_ids     VARCHAR(32)[] NOT NULL CHECK (cardinality(job_ids) BETWEEN 1 AND 1000000),
  txids       CHAR(64)[]   CHECK (txids IS NULL OR cardinality(txids) = cardinality(job_ids)),
  reason      TEXT,
  at          TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
  xact        xid8         DEFAULT pg_current_xact_id()
);

INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids, txids, reason, at, xact)
  SELECT id, from_status, to_status, ARRAY[job_id], CASE WHEN txid IS NOT NULL THEN ARRAY[txid] END, reason, at, xact
    FROM publish_job_transitions;

CREATE SEQUENCE publish_job_transition_sets_id_seq INCREMENT BY 1000000 MINVALUE 1000000
  OWNED BY publish_job_transition_sets.id;
SELECT setval('publish_job_transition_sets_id_seq',
              greatest(1000000, ((SELECT coalesce(max(id), 0) FROM publish_job_transitions) / 1000000 + 1) * 1000000),
              false);

DROP TABLE publish_job_transitions;

-- the same two indexes as before (V26, V30), one entry per set
CREATE INDEX idx_publish_job_transitions_events ON publish_job_transition_sets (xact, id)
  WHERE to_status IN ('sent', 'mined', 'failed') AND xact IS NOT NULL;
CREATE INDEX idx_publish_job_transitions_outcomes ON publish_job_transition_sets (at) INCLUDE (to_status)
  WHERE to_status IN ('mined', 'failed');
-- the audit trail has no index by job any more (it was one entry per job and transition): one job's story is read
-- by time instead, from its creation on (docs/OPERATIONS.md); one entry per set
CREATE INDEX idx_publish_job_transition_sets_at ON publish_job_transition_sets (at);

CREATE VIEW publish_job_transitions AS
  SELECT s.id + u.ord - 1 AS id, u.job_id::varchar(32) AS job_id, s.from_status, s.to_status,
         u.txid::char(64) AS txid, s.at, s.reason, s.xact
    FROM publish_job_transition_sets s
    CROSS JOIN LATERAL unnest(s.job_ids, s.txids) WITH ORDINALITY AS u(job_id, txid, ord);

-- V39's guard, writing sets: one per (from, to) pair of the statement, split every million jobs.
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
             WHEN o.status = 'processing' AND n.status = 'signed'     THEN TRUE
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
