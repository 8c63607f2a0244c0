-- The hex checks, written so that Postgres checks them in a tenth of the time (#18, part 1).
--
-- Every column that holds a hash as 64 lower-case hex digits (txids, block hashes, payload and envelope hashes) had
-- CHECK (col ~ '^[0-9a-f]{64}$'). Postgres evaluates every CHECK of a table for every row version it writes, whether
-- or not the column changed, and its regex engine expands the counted repetition {64} into 64 copies of the class:
-- 4-5 us per check (300,000 values, one session, a busy machine), against ~0.3 us for the same rule written as a
-- length and a class that must not occur: length(col) = 64 AND col !~ '[^0-9a-f]'. The drain wrote six such checks
-- per record (three in the store's version of the job row, one each for the change output, its reservation and the
-- spends row), the intake three more, the confirmation three more.
--
-- Same rule, same constraint names, same error (23514, check_violation) for the same values: exactly 64 characters,
-- each one of 0-9 a-f; NULL passes as before (char(64) values compare without their padding, as the regex saw them).
-- The new constraints are added NOT VALID: Postgres enforces them on every row written from now on, and does not read
-- the existing rows again under the migration's exclusive lock (each was checked by the old, equivalent constraint
-- when it was written). An operator may validate them later without blocking writers (docs/OPERATIONS.md).
-- The previous release runs on this unchanged. Undo: docs/OPERATIONS.md.
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_payload_hash_check,
  ADD CONSTRAINT publish_jobs_payload_hash_check CHECK (length(payload_hash) = 64 AND payload_hash !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_envelope_sha256_check,
  ADD CONSTRAINT publish_jobs_envelope_sha256_check CHECK (length(envelope_sha256) = 64 AND envelope_sha256 !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_txid_check,
  ADD CONSTRAINT publish_jobs_txid_check CHECK (length(txid) = 64 AND txid !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE utxos DROP CONSTRAINT utxos_txid_check,
  ADD CONSTRAINT utxos_txid_check CHECK (length(txid) = 64 AND txid !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE spends DROP CONSTRAINT spends_spending_txid_check,
  ADD CONSTRAINT spends_spending_txid_check CHECK (length(spending_txid) = 64 AND spending_txid !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE pool_transactions DROP CONSTRAINT pool_transactions_txid_check,
  ADD CONSTRAINT pool_transactions_txid_check CHECK (length(txid) = 64 AND txid !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE arc_callbacks DROP CONSTRAINT arc_callbacks_txid_check,
  ADD CONSTRAINT arc_callbacks_txid_check CHECK (length(txid) = 64 AND txid !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE arc_callbacks DROP CONSTRAINT arc_callbacks_block_hash_check,
  ADD CONSTRAINT arc_callbacks_block_hash_check CHECK (length(block_hash) = 64 AND block_hash !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE block_headers DROP CONSTRAINT block_headers_block_hash_check,
  ADD CONSTRAINT block_headers_block_hash_check CHECK (length(block_hash) = 64 AND block_hash !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE deposits DROP CONSTRAINT deposits_txid_check,
  ADD CONSTRAINT deposits_txid_check CHECK (length(txid) = 64 AND txid !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE anchor_batches DROP CONSTRAINT anchor_batches_txid_check,
  ADD CONSTRAINT anchor_batches_txid_check CHECK (length(txid) = 64 AND txid !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE anchor_batches DROP CONSTRAINT anchor_batches_root_check,
  ADD CONSTRAINT anchor_batches_root_check CHECK (length(root) = 64 AND root !~ '[^0-9a-f]') NOT VALID;
ALTER TABLE history_partitions DROP CONSTRAINT history_partitions_archive_sha256_check,
  ADD CONSTRAINT history_partitions_archive_sha256_check CHECK (length(archive_sha256) = 64 AND archive_sha256 !~ '[^0-9a-f]') NOT VALID;
