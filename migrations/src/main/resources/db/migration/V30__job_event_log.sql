-- The job event log (issue 17): webhooks and the event stream (GET /v1/events) read the audit rows of
-- publish_job_transitions as a durable, replayable log of status changes.
--
-- A reader that remembers "the last id I saw" would miss rows: ids come from a sequence when a row is
-- inserted, and a transaction that took a lower id can commit after one that took a higher id. So each
-- row also records the id of the transaction that wrote it, and readers order by (xact, id) and read
-- only rows whose transaction is older than the oldest one still running
-- (xact < pg_snapshot_xmin(pg_current_snapshot())). Every such row is committed (or was rolled back)
-- and every row written later sorts after it, so a cursor (xact, id) never skips an event. The price is
-- a delay of at most the longest running transaction.
--
-- Rows written before this migration have no xact and are not events (the log starts here). The column
-- gets its default separately, so adding it rewrites no existing row.
ALTER TABLE publish_job_transitions ADD COLUMN xact xid8;
ALTER TABLE publish_job_transitions ALTER COLUMN xact SET DEFAULT pg_current_xact_id();

-- Only the statuses a client is told about are events: sent (also the way back from mined in a reorg),
-- mined and failed. The partial index keeps the other transitions (queued, processing, signed) free of
-- the extra index entry.
CREATE INDEX idx_publish_job_transitions_events ON publish_job_transitions (xact, id)
  WHERE to_status IN ('sent', 'mined', 'failed') AND xact IS NOT NULL;
