-- The contract step of V47 (#18): the two indexes of publish_jobs whose readers V47 moved elsewhere.
--
-- idx_publish_jobs_unsent (publish_jobs (status, signed_at) WHERE status = 'signed'): since V47 the rescuer finds the
-- jobs not sent yet through their batches (idx_publish_batches_unsent: the batches with no sent_at), because a signed
-- row of a sent batch is sent. It got an entry in every signed version of a job row, which since V47 lives until the
-- job is mined.
--
-- idx_publish_jobs_sent_check (publish_jobs (status_checked_at NULLS FIRST, sent_at) WHERE status = 'sent'): since V47
-- the confirmation tracker reads idx_publish_jobs_unconfirmed (status IN ('signed', 'sent')). It got an entry in
-- every version of a job sent one by one and in every status-check stamp of one.
--
-- The previous release (V47) reads through neither, so it runs on this schema during the deploy as it is.
-- Dropping an index takes an ACCESS EXCLUSIVE lock for a moment and reads nothing. Not CONCURRENTLY: Flyway holds its
-- lock in an open transaction (see V22).
DROP INDEX IF EXISTS idx_publish_jobs_unsent;
DROP INDEX IF EXISTS idx_publish_jobs_sent_check;
