-- A nonce is unique per identity only while its envelope can still be accepted: the expand step (#18, part 2).
--
-- The intake refuses an envelope whose createdAt lies more than its TTL (raregen.intake.ttl, 5 minutes by default)
-- before or after the server's clock, so a (pubkey, nonce) needs guarding only until createdAt + TTL; after that the
-- envelope is refused as expired whatever the nonce. Until now publish_jobs_nonce_per_identity guarded every nonce
-- ever accepted: an index that grows with every record, keyed by the clients' random nonces, that takes an entry in
-- every version of a job row and, once it is far larger than the buffers, a full-page image of a leaf per record after
-- each checkpoint (measured: 0.66-0.70 per record with 2 M records of history).
--
-- publish_nonces holds the nonces that are still guarded: one row per accepted job, written in the intake's statement
-- before the job (a nonce already there: the job is not inserted), expires_at = the envelope's createdAt + the TTL
-- the intake ran with. It is keyed by nonce_key(pubkey, nonce), the SHA-256 of the two: 32 bytes instead of the
-- up to 194 characters of the pair, so that its row and its index entry cost the intake less WAL. The broadcaster's
-- retention deletes a row some minutes after it expires (raregen.retention.nonce-grace), so the table holds minutes
-- of records, not years.
--
-- Expand release: the intake reads and writes publish_nonces; publish_jobs_nonce_per_identity stays and still stops
-- a duplicate written by the previous release's intake, which may run beside this one. A later release drops it.
-- The backfill covers the jobs of the last hour (an envelope accepted then stays acceptable at most 2 x TTL after its
-- acceptance, so TTLs up to 30 minutes). Undo: docs/OPERATIONS.md.
CREATE FUNCTION nonce_key(pubkey text, nonce text) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT sha256(convert_to(pubkey || ':' || nonce, 'UTF8'))
$$;

CREATE TABLE publish_nonces (
  nonce_key  BYTEA        NOT NULL,
  job_id     VARCHAR(32)  NOT NULL,
  expires_at TIMESTAMPTZ  NOT NULL,
  CONSTRAINT publish_nonces_pkey PRIMARY KEY (nonce_key)
);

INSERT INTO publish_nonces (nonce_key, job_id, expires_at)
SELECT nonce_key(pubkey, nonce), job_id, created_at + interval '1 hour'
FROM publish_jobs
WHERE job_id >= job_ids_from(now() - interval '1 hour') AND created_at >= now() - interval '1 hour'
ON CONFLICT DO NOTHING;
