-- The contract step of V57 and V58 (#18, part 2): the two keys over the whole history of publish_jobs go.
--
-- publish_jobs_nonce_per_identity (V1, UNIQUE (pubkey, nonce)): since V57 the intake guards a nonce in
-- publish_nonces while its envelope can still be accepted (createdAt + TTL; after that the envelope is refused as
-- expired whatever its nonce), takes the guard before the job in one statement, and explains a refusal from there.
-- The chain reconciliation matches records to the unpublished jobs it reads and to the guards. The previous release
-- (V57 and V58) reads jobs by (pubkey, nonce) only for a guard that names no job, which its intake left only when this
-- key held an older job of the nonce; on this schema it leaves none, and this release's intake drops such a guard.
--
-- publish_jobs_txid_unique (V1; partial since V39, txid IS NOT NULL): since V58 publish_jobs_txid_in_flight keeps a
-- transaction id unique among the jobs in flight (signed, sent), which is where two jobs could ever share one (a
-- finished job's txid cannot come back: it hashes inputs that spends_pkey lets be spent once). The ARC callbacks,
-- the only readers by txid, name the jobs in flight since V58's release.
--
-- Both keys took an entry in every version of a job row, keyed by a random value (a client's nonce, a hash): with a
-- long history nearly a full-page image each per record after every checkpoint (docs/benchmarks/storage.md).
--
-- publish_batches.txids (V1): unread, and not written since the release before V57's (a batch's transactions are in
-- its jobs' rows, publish_job_transactions and the audit trail).
--
-- Dropping an index or a column only changes the catalogue: each statement needs an exclusive lock on its table for an
-- instant, once the transactions already using the table have ended. Undo: docs/OPERATIONS.md.
ALTER TABLE publish_jobs DROP CONSTRAINT publish_jobs_nonce_per_identity;
DROP INDEX publish_jobs_txid_unique;
ALTER TABLE publish_batches DROP COLUMN txids;
