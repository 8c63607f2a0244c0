-- The contract step of V44 and V45 (#18): the two indexes whose readers the previous release moved elsewhere.
--
-- idx_publish_jobs_created (publish_jobs (created_at)): since V44 the jobs created in a window are read through their
-- ids (job_ids_from / job_ids_before over the primary key). It got an entry in every version of a job row (the
-- intake's insert, signed, sent, each status-check stamp, mined).
--
-- idx_spends_spending_txid (spends (spending_txid)): since V45 a job's inputs are read by job id (idx_spends_job) and
-- a pool or anchor transaction's through idx_spends_unowned_spender. Its key is a txid, a hash: with a long history
-- every insert read a leaf page from outside shared_buffers.
--
-- The previous release (V45) reads through neither, so it runs on this schema during the deploy as it is.
-- Dropping an index takes an ACCESS EXCLUSIVE lock for a moment and reads nothing. Not CONCURRENTLY: Flyway holds its
-- lock in an open transaction (see V22).
DROP INDEX IF EXISTS idx_publish_jobs_created;
DROP INDEX IF EXISTS idx_spends_spending_txid;
