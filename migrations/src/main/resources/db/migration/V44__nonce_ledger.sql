-- The used nonces in a ledger of their own (#18, parts 1 and 2).
--
-- A key's nonce may be used once. Until now UNIQUE (pubkey, nonce) on publish_jobs said so: an index entry in every
-- version of a job row (the insert, then signed, sent, mined, each status-check stamp: none of those updates is
-- heap-only), ~100 bytes of WAL each. publish_nonces holds each used (pubkey, nonce) once, with the job it went to,
-- written once when the job is inserted and never updated.
--
-- It also lets publish_jobs be split by time later: a unique constraint on a partitioned table must contain the
-- partition key, so "once per key, forever" cannot live on a partitioned publish_jobs. And it outlives the job row on
-- purpose: a job row deleted (by hand: no code deletes job rows) or archived leaves its nonce used, so an old request
-- replayed is still refused.
--
-- Every insert into publish_jobs records its nonces here, in the same statement (the trigger below), so the database
-- guarantees the uniqueness whatever inserts a job; a second use of a nonce fails that statement with 23505 on
-- publish_nonces_pkey. A job's pubkey and nonce cannot change afterwards.
--
-- Expand, then contract: this migration keeps UNIQUE (pubkey, nonce) on publish_jobs, because the previous release's
-- intake names it (ON CONFLICT ON CONSTRAINT publish_jobs_nonce_per_identity) and looks nonces up through its index,
-- and that code still runs between the broadcaster's deploy (which migrates) and the API's. This release's code no
-- longer uses it; the next release drops it (docs/OPERATIONS.md, "Migration rollback plan", V44). Until then a
-- record pays for both: the ledger row and the old index entries.
CREATE TABLE publish_nonces (
  pubkey  VARCHAR(66)  NOT NULL,
  nonce   VARCHAR(128) NOT NULL,
  job_id  VARCHAR(32)  NOT NULL,
  -- job_id rides in the index: a key's jobs, newest first, are read from it alone (the account page)
  CONSTRAINT publish_nonces_pkey PRIMARY KEY (pubkey, nonce) INCLUDE (job_id)
);

-- the nonces used so far; the migration's transaction holds publish_jobs' lock meanwhile (no job is inserted while
-- it runs), so none is missed between this and the trigger
INSERT INTO publish_nonces (pubkey, nonce, job_id) SELECT pubkey, nonce, job_id FROM publish_jobs ORDER BY pubkey, nonce;

-- in (pubkey, nonce) order: two statements that insert overlapping nonces take their index entries in one order,
-- so they wait for each other instead of deadlocking
CREATE FUNCTION record_job_nonces() RETURNS trigger AS $$
BEGIN
  INSERT INTO publish_nonces (pubkey, nonce, job_id)
    SELECT n.pubkey, n.nonce, n.job_id FROM new_rows n ORDER BY n.pubkey, n.nonce;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER record_publish_job_nonces AFTER INSERT ON publish_jobs
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_job_nonces();

CREATE FUNCTION refuse_job_nonce_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'job %: pubkey and nonce cannot change', OLD.job_id USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

-- fires only for an UPDATE that names pubkey or nonce in its SET list (none of the pipeline's do)
CREATE TRIGGER publish_jobs_nonce_fixed BEFORE UPDATE OF pubkey, nonce ON publish_jobs
  FOR EACH ROW WHEN (OLD.pubkey IS DISTINCT FROM NEW.pubkey OR OLD.nonce IS DISTINCT FROM NEW.nonce)
  EXECUTE FUNCTION refuse_job_nonce_change();
