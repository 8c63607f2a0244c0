-- The per-row work Postgres did for every record on the drain's path without anyone reading its result (#18, parts
-- 1 and 2).
--
-- 1. The updated_at triggers of publish_jobs and utxos, and the columns they kept. update_updated_at_column() ran
--    as a row-level PL/pgSQL trigger in every update of a job row (signed, every status-check stamp, mined) and of a
--    pool row (reserved, spent, released, mined), and stored 8 bytes in every row version. No code reads either
--    column (the API, the broadcaster, the CLI and the operators' runbook read the status timestamps: created_at,
--    signed_at, mined_at, failed_at, reserved_at, spent_at). The other tables keep theirs; they are written per batch
--    or per operator action, not per record.
--
-- 2. The foreign keys of spends.job_id and publish_job_transactions.job_id to publish_jobs. Each insert into either
--    table ran a row-level check that read the job row through publish_jobs_pkey and locked it FOR KEY SHARE (a WAL
--    record each: two per record). Both rows are written by the store in the same database transaction that turns
--    the job signed, which the transition guard allows only for a job row that exists and whose transaction bytes
--    are stored (V43); jobs are never deleted. So the keys checked what the store already guarantees. They would
--    also have to go before publish_jobs can be split by ranges of job_id and its finished ranges leave the database
--    (#18 part 2): a partition that other tables' rows reference cannot be detached. The test suites check the
--    same relation after every drain (Invariants: no spends or transaction row without its job).
--    publish_job_transactions' ON DELETE CASCADE goes with its key; nothing deletes jobs.
--
-- 3. publish_jobs.enqueued_at, the contract step migrations/README.md announced: the intake stopped writing it long
--    ago, the operator re-drive (FailedJobs) since V48's release; nothing reads it. 8 bytes in the rows that had it.
--
-- The previous release (V49) writes none of the three columns and relies on neither key, so it runs on this schema during the
-- deploy as it is. Each statement takes an ACCESS EXCLUSIVE lock for a moment and reads no rows (dropping a column
-- only marks it dropped; its bytes leave the rows as they are rewritten). Undo: docs/OPERATIONS.md.
DROP TRIGGER IF EXISTS update_publish_jobs_updated_at ON publish_jobs;
DROP TRIGGER IF EXISTS update_utxos_updated_at ON utxos;
ALTER TABLE publish_jobs DROP COLUMN IF EXISTS updated_at;
ALTER TABLE utxos DROP COLUMN IF EXISTS updated_at;
ALTER TABLE publish_jobs DROP COLUMN IF EXISTS enqueued_at;

ALTER TABLE spends DROP CONSTRAINT IF EXISTS spends_job_id_fkey;
ALTER TABLE publish_job_transactions DROP CONSTRAINT IF EXISTS publish_job_transactions_job_id_fkey;
