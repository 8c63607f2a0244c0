package io.raregen.broadcaster.store;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.jobs.JobTransactionBytes;
import io.raregen.core.jobs.Spends;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every write the pipeline makes to publish_jobs, publish_batches and spends, each one statement or
 * one transaction. Status changes are guarded in SQL by the expected current status (and batch or
 * txid), so a stale instance can never move a job another instance owns; the trigger
 * the job-transition triggers (guard_job_transitions) are the second line.
 *
 * <p>Job ids are {@link JobId}s on every method; they become strings only as SQL parameters and are parsed back from
 * each row read.
 */
public final class PublishJobStore {

    /**
     * The rescuer's way in: signed jobs of batches not sent (idx_publish_batches_unsent, then idx_publish_jobs_batch),
     * whose last attempt is older than the first two parameters (seconds); the third is the limit. Stamps them.
     */
    static final String TAKE_UNSENT = "UPDATE publish_jobs SET sending_started_at = now() WHERE job_id IN ("
            + " SELECT j.job_id FROM publish_batches b JOIN publish_jobs j ON j.processing_batch_id = b.batch_id "
            + " WHERE b.sent_at IS NULL AND b.created_at < now() - make_interval(secs => ?) "
            + " AND j.status = 'signed' AND j.txid IS NOT NULL "
            + " AND COALESCE(j.sending_started_at, j.signed_at) < now() - make_interval(secs => ?) "
            + " ORDER BY j.signed_at LIMIT ? FOR UPDATE OF j SKIP LOCKED) AND status = 'signed' "
            + "RETURNING job_id, processing_batch_id, batch_seq, " + JobTransactionBytes.rawTxOf("publish_jobs")
            + ", txid, fee_sats, created_at, attempts";
    /**
     * The confirmation tracker's: jobs sent (a row that says so, or a signed row of a sent batch) at least the first
     * parameter (seconds) ago, least recently checked first (idx_publish_jobs_unconfirmed); the second is the limit.
     * Stamps them.
     */
    static final String TAKE_UNCONFIRMED = "UPDATE publish_jobs SET status_checked_at = now() WHERE job_id IN ("
            + " SELECT j.job_id FROM publish_jobs j LEFT JOIN publish_batches b "
            + "   ON j.status = 'signed' AND b.batch_id = j.processing_batch_id AND b.sent_at IS NOT NULL "
            + " WHERE j.status IN ('signed', 'sent') AND j.mode = 'record' AND j.txid IS NOT NULL "
            + " AND CASE WHEN j.status = 'sent' THEN j.sent_at ELSE b.sent_at END < now() - make_interval(secs => ?) "
            + " ORDER BY j.status_checked_at NULLS FIRST, j.signed_at LIMIT ? FOR UPDATE OF j SKIP LOCKED) "
            + "RETURNING job_id, txid";
    /** Batches older than the parameter (seconds), not sent, with no job signed: closed (idx_publish_batches_unsent). */
    static final String CLOSE_SENT_BATCHES = "UPDATE publish_batches b SET sent_at = now() WHERE b.sent_at IS NULL "
            + "AND b.created_at < now() - make_interval(secs => ?) "
            + "AND NOT EXISTS (SELECT 1 FROM publish_jobs j WHERE j.processing_batch_id = b.batch_id AND j.status = 'signed')";

    /** The default of {@code raregen.broadcaster.claim-idle-limit}. */
    public static final Duration DEFAULT_CLAIM_IDLE_LIMIT = Duration.ofMinutes(1);

    private final DataSource ds;
    private final Duration claimIdleLimit;

    public PublishJobStore(DataSource ds) {
        this(ds, DEFAULT_CLAIM_IDLE_LIMIT);
    }

    /**
     * {@code claimIdleLimit}: how long a claim's transaction may sit idle (its holder neither storing nor ending it)
     * before Postgres ends the session, rolls the claim back and so frees its jobs for other claims: the bound on a
     * stalled holder (a long GC pause, a frozen process), which before V39 the rescuer's
     * {@code rescue-processing-after} gave.
     */
    public PublishJobStore(DataSource ds, Duration claimIdleLimit) {
        this.ds = ds;
        this.claimIdleLimit = claimIdleLimit;
    }

    /**
     * The queued record-mode jobs locked for one batch, in a database transaction left open on purpose: the batch is
     * reserved and signed while it holds the rows, and {@link #storeSigned} writes each job once (queued → signed with
     * its transaction) and commits. A claim that ends any other way ({@link #close()}, a failure, the process dying)
     * rolls back and leaves no trace: its jobs are simply queued again, never half-claimed. Used by one thread at a
     * time (the collector takes it, a preparer finishes it).
     */
    public static final class Claim implements AutoCloseable {
        private final BatchId batchId;
        private final String instanceId;
        private final List<ClaimedJob> jobs;
        private final Connection c;
        private volatile boolean ended;

        private Claim(BatchId batchId, String instanceId, List<ClaimedJob> jobs, Connection c) {
            this.batchId = batchId;
            this.instanceId = instanceId;
            this.jobs = jobs;
            this.c = c;
            this.ended = c == null;
        }

        public BatchId batchId() {
            return batchId;
        }

        /** The locked jobs, numbered 1..n by job id. */
        public List<ClaimedJob> jobs() {
            return jobs;
        }

        /**
         * Commits what the claim wrote so far (failures of unencodable jobs) and lets the other jobs go: they stay
         * queued, for a later batch.
         */
        public synchronized void release() {
            if (ended) {
                return;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                throw new StoreException("ending the claim of batch " + batchId + " failed: " + e.getMessage(), e);
            } finally {
                close();
            }
        }

        /** Rolls back anything not committed and returns the connection. Idempotent. */
        @Override
        public synchronized void close() {
            if (ended) {
                return;
            }
            ended = true;
            try (Connection conn = c) {
                if (!conn.getAutoCommit()) {
                    conn.rollback();
                }
            } catch (SQLException e) {
                // the connection is gone: the server rolled the transaction back with it
            }
        }
    }

    /** Back to the queue, out of any batch: legal only while the job has no stored transaction. */
    private static final String REQUEUE = "UPDATE publish_jobs SET status = 'queued', processing_batch_id = NULL, batch_seq = NULL ";

    // Both candidate sets lock with SKIP LOCKED so concurrent claims (other preparers, other instances) split the
    // work instead of queueing behind each other; batch_seq is numbered by job id, deterministic for a given set. The
    // backlog is oldest first, ties (one request's jobs share created_at) broken by job id, which is time-ordered too.
    // Only record-mode jobs: anchor-mode jobs are the anchoring window's (io.raregen.broadcaster.anchor).
    // Only jobs without a transaction row: this release never leaves one on a queued job (the store writes it with the
    // job's signed version, a discard deletes it before the requeue), but a release that records a job's signed state
    // in that row alone, leaving the job row queued, may run beside this one during a deploy; this claim must not sign
    // such a job again (the store's insert of its bytes would fail on the row's key, batch after batch).
    private static final String NO_TRANSACTION_ROW =
            " AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = publish_jobs.job_id)";
    static final String CLAIM =
            "WITH by_id AS (SELECT job_id FROM publish_jobs WHERE job_id = ANY(?) AND status = 'queued' AND mode = 'record' "
                    + NO_TRANSACTION_ROW + " FOR UPDATE SKIP LOCKED), "
                    + "backlog AS (SELECT job_id FROM publish_jobs WHERE status = 'queued' AND mode = 'record' AND NOT (job_id = ANY(?)) "
                    + NO_TRANSACTION_ROW + " ORDER BY created_at, job_id LIMIT ? FOR UPDATE SKIP LOCKED), "
                    + "picked AS (SELECT job_id FROM by_id UNION SELECT job_id FROM backlog) "
                    + "SELECT j.job_id, row_number() OVER (ORDER BY j.job_id), j.signed_payload, j.signature, j.pubkey, "
                    + "  j.created_at, j.attempts + 1 "
                    + "FROM publish_jobs j JOIN picked p ON p.job_id = j.job_id ORDER BY j.job_id";

    /**
     * Locks the queued jobs among {@code jobIds} plus up to {@code backlogLimit} of the oldest other queued jobs, and
     * holds them in an open transaction (see {@link Claim}). Nothing is written. Returns an empty, already ended claim
     * when nothing was claimable: jobs another claim holds or already stored, and unknown ids, claim nothing.
     */
    public Claim claim(BatchId batchId, String instanceId, Collection<JobId> jobIds, int backlogLimit) {
        Connection c = null;
        try {
            c = ds.getConnection();
            c.setAutoCommit(false);
            PlannerCosts.inMemoryWorkingSet(c);
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SET LOCAL idle_in_transaction_session_timeout = " + Math.max(1, claimIdleLimit.toMillis()));
            }
            List<ClaimedJob> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                Array ids = c.createArrayOf("varchar", values(jobIds));
                ps.setArray(1, ids);
                ps.setArray(2, ids);
                ps.setInt(3, Math.max(0, backlogLimit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(new ClaimedJob(new JobId(rs.getString(1)), batchId, rs.getInt(2),
                                new Envelope(rs.getString(3), rs.getString(4), rs.getString(5)),
                                rs.getTimestamp(6).toInstant(), rs.getInt(7)));
                    }
                }
            }
            if (jobs.isEmpty()) {
                c.rollback();
                c.close();
                return new Claim(batchId, instanceId, List.of(), null);
            }
            return new Claim(batchId, instanceId, jobs, c);
        } catch (SQLException e) {
            if (c != null) {
                try (Connection conn = c) {
                    conn.rollback();
                } catch (SQLException ignored) {
                    // gone with the connection
                }
            }
            throw new StoreException("claim of batch " + batchId + " failed: " + e.getMessage(), e);
        }
    }

    /** Of {@code jobIds}, those that exist at all (a message naming anything else is poison). */
    public Set<JobId> existing(Collection<JobId> jobIds) {
        Set<JobId> out = new HashSet<>();
        if (jobIds.isEmpty()) {
            return out;
        }
        out.addAll(queryList("job lookup", "SELECT job_id FROM publish_jobs WHERE job_id = ANY(?)",
                (c, ps) -> ps.setArray(1, c.createArrayOf("varchar", values(jobIds))), rs -> new JobId(rs.getString(1))));
        return out;
    }

    /**
     * A claimed job that can never be published (e.g. its record cannot be encoded): failed, nothing stored. Written
     * in the claim's transaction; it lasts once the claim is stored or {@link Claim#release() released}.
     */
    public boolean failUnsigned(Claim claim, JobId jobId, String errorCode, String detail) {
        try (PreparedStatement ps = claim.c.prepareStatement(
                "UPDATE publish_jobs SET status = 'failed', error_code = ?, error_detail = ?, failed_at = now(), "
                        + "attempts = attempts + 1 WHERE job_id = ? AND status = 'queued' AND txid IS NULL")) {
            ps.setString(1, errorCode);
            ps.setString(2, detail);
            ps.setString(3, jobId.value());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("fail of job " + jobId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The write-ahead step, and the claim's only write: in the claim's transaction every job of the batch moves
     * queued → signed with its batch, txid and fee in ONE statement (after its transaction's bytes, written once into
     * {@code publish_job_transactions}), every input is inserted into spends
     * (whose primary key makes a second spend of an outpoint impossible), the batch row is written once, and the
     * transaction commits. All or nothing: returns the ids stored (every job given), or throws — e.g. an input
     * already spent by a stored transaction — and then nothing of the batch is stored and its jobs are queued again.
     * With no jobs, it ends the claim keeping what it wrote ({@link Claim#release()}).
     */
    public Set<JobId> storeSigned(Claim claim, List<SignedJob> jobs) {
        if (claim.ended) {
            throw new StoreException("storing batch " + claim.batchId + " failed: its claim has ended", null);
        }
        if (jobs.isEmpty()) {
            claim.release();
            return Set.of();
        }
        int n = jobs.size();
        String[] ids = new String[n];
        Integer[] seqs = new Integer[n];
        List<JobId> jobIds = new ArrayList<>(n);
        List<byte[]> rawTxs = new ArrayList<>(n);
        String[] txids = new String[n];
        Long[] fees = new Long[n];
        Spends spends = new Spends();
        for (int i = 0; i < n; i++) {
            SignedJob j = jobs.get(i);
            ids[i] = j.jobId().value();
            seqs[i] = j.batchSeq();
            jobIds.add(j.jobId());
            rawTxs.add(j.tx().raw());
            txids[i] = j.tx().txid().hex();
            fees[i] = j.tx().fee().value();
            spends.add(j.tx(), j.jobId());
        }
        Connection c = claim.c;
        try {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO publish_batches (batch_id, job_count, status, instance_id, signed_at) "
                            + "VALUES (?, ?, 'broadcasting', ?, now())")) {
                ps.setString(1, claim.batchId.value());
                ps.setInt(2, n);
                ps.setString(3, claim.instanceId);
                ps.executeUpdate();
            }
            // the bytes first: the guard lets a job become signed only with its transaction's bytes stored
            JobTransactionBytes.insert(c, jobIds, rawTxs);
            Set<JobId> stored = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE publish_jobs j SET status = 'signed', processing_batch_id = ?, batch_seq = v.seq, "
                            + "processing_at = now(), attempts = j.attempts + 1, "
                            + "txid = v.txid, fee_sats = v.fee, signed_at = now() "
                            + "FROM unnest(?::varchar[], ?::int[], ?::char(64)[], ?::bigint[]) "
                            + "  AS v(job_id, seq, txid, fee) "
                            + "WHERE j.job_id = v.job_id AND j.status = 'queued' AND j.mode = 'record' AND j.txid IS NULL "
                            + "RETURNING j.job_id")) {
                ps.setString(1, claim.batchId.value());
                ps.setArray(2, c.createArrayOf("varchar", ids));
                ps.setArray(3, c.createArrayOf("int4", seqs));
                ps.setArray(4, c.createArrayOf("bpchar", txids));
                ps.setArray(5, c.createArrayOf("int8", fees));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.add(new JobId(rs.getString(1)));
                    }
                }
            }
            if (stored.size() != n) {
                // the claim holds its jobs' row locks, so only a job it never claimed can be missing
                throw new StoreException("storing batch " + claim.batchId + " failed: " + (n - stored.size())
                        + " of its jobs are not queued jobs of this claim", null);
            }
            spends.insert(c);
            c.commit();
            return stored;
        } catch (SQLException e) {
            throw new StoreException("storing signed batch " + claim.batchId + " failed: " + e.getMessage(), e);
        } finally {
            claim.close();
        }
    }

    /** Stamps the first broadcast attempt (the rescuer measures from it). */
    public void markSendingStarted(Collection<JobId> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        update("sending stamp", "UPDATE publish_jobs SET sending_started_at = now() WHERE job_id = ANY(?) AND status = 'signed'",
                (c, ps) -> ps.setArray(1, c.createArrayOf("varchar", values(jobIds))));
    }

    /** signed → sent for these (job, txid) pairs; idempotent. Returns the jobs that moved now. */
    public List<SentJob> markSent(Map<JobId, Txid> txidByJob) {
        if (txidByJob.isEmpty()) {
            return List.of();
        }
        String[] ids = new String[txidByJob.size()];
        String[] txids = new String[ids.length];
        int i = 0;
        for (Map.Entry<JobId, Txid> e : txidByJob.entrySet()) {
            ids[i] = e.getKey().value();
            txids[i++] = e.getValue().hex();
        }
        // a transaction for PlannerCosts: the join of a batch's ids to publish_jobs must probe the index
        return inTransaction(() -> "marking sent", c -> {
            List<SentJob> out = new ArrayList<>();
            // the jobs' batches first, as record_batch_sent takes them: a batch recorded sent at this moment by its
            // pipeline is either seen sent here (the rows' rewrite is then no change of status: no audit row) or waits
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM publish_batches WHERE batch_id IN (SELECT processing_batch_id FROM publish_jobs "
                            + "WHERE job_id = ANY(?)) ORDER BY batch_id FOR SHARE")) {
                ps.setArray(1, c.createArrayOf("varchar", ids));
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE publish_jobs j SET status = 'sent', sent_at = now() "
                            + "FROM unnest(?::varchar[], ?::char(64)[]) AS v(job_id, txid) "
                            + "WHERE j.job_id = v.job_id AND j.txid = v.txid AND j.status = 'signed' "
                            + "RETURNING j.job_id, j.created_at, j.sent_at")) {
                ps.setArray(1, c.createArrayOf("varchar", ids));
                ps.setArray(2, c.createArrayOf("bpchar", txids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SentJob(new JobId(rs.getString(1)), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Records that every job of the batch still signed was sent, once for the batch (V47's record_batch_sent: the
     * batch's sent_at and one audit row); the job rows are not written. Only when those are exactly among
     * {@code jobIds}. Returns how many jobs it recorded; 0 when it wrote nothing (the caller then records them one by
     * one with {@link #markSent}).
     */
    public int markBatchSent(BatchId batchId, Collection<JobId> jobIds) {
        if (jobIds.isEmpty()) {
            return 0;
        }
        List<Integer> n = queryList("recording batch " + batchId + " sent", "SELECT record_batch_sent(?, ?)",
                (c, ps) -> {
                    ps.setString(1, batchId.value());
                    ps.setArray(2, c.createArrayOf("varchar", values(jobIds)));
                }, rs -> rs.getInt(1));
        return n.get(0);
    }

    /**
     * Sets sent_at on the batches older than {@code olderThan} with no job left signed (their jobs were sent one by
     * one, discarded or failed): they leave the rescuer's way in. Changes no job. Returns how many it closed.
     */
    public int closeSentBatches(Duration olderThan) {
        return update("closing sent batches", CLOSE_SENT_BATCHES, (c, ps) -> ps.setDouble(1, olderThan.toMillis() / 1000.0));
    }

    /** signed|sent → mined with the block data; idempotent. A job sent with its batch takes the batch's sent_at. */
    public boolean markMined(JobId jobId, Txid txid, String blockHash, Integer blockHeight, byte[] merklePath) {
        return update("marking mined for " + jobId,
                "UPDATE publish_jobs SET status = 'mined', mined_at = now(), sent_at = COALESCE(CASE WHEN status = 'signed' "
                        + "THEN (SELECT b.sent_at FROM publish_batches b WHERE b.batch_id = processing_batch_id) END, "
                        + "sent_at, now()), "
                        + "block_hash = ?, block_height = ?, merkle_path = ? "
                        + "WHERE job_id = ? AND txid = ? AND status IN ('signed', 'sent')",
                (c, ps) -> {
                    ps.setString(1, blockHash);
                    if (blockHeight == null) {
                        ps.setNull(2, java.sql.Types.INTEGER);
                    } else {
                        ps.setInt(2, blockHeight);
                    }
                    ps.setBytes(3, merklePath);
                    ps.setString(4, jobId.value());
                    ps.setString(5, txid.hex());
                }) == 1;
    }

    /**
     * The network definitively refused this stored transaction (or a different transaction won an
     * input): discard it — its spends rows, bytes and txid — and put the job back in the queue to
     * be re-signed with another UTXO. One transaction; signed → processing → queued are both legal
     * because the txid becomes NULL in the same update and the bytes are deleted before it, and both audit rows carry {@code reason} (what the network
     * said). False when the job no longer holds that txid.
     */
    public boolean discardForResign(JobId jobId, Txid txid, String reason) {
        return inTransaction(() -> "discarding tx of job " + jobId, c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('raregen.transition_reason', ?, true)")) {
                String r = "re-sign: " + reason;
                ps.setString(1, r.length() > 500 ? r.substring(0, 500) : r);
                ps.execute();
            }
            JobTransactionBytes.delete(c, jobId);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE publish_jobs SET status = 'processing', raw_tx = NULL, txid = NULL, fee_sats = NULL, "
                            + "signed_at = NULL, sending_started_at = NULL, sent_at = NULL "
                            + "WHERE job_id = ? AND txid = ? AND status IN ('signed', 'sent')")) {
                ps.setString(1, jobId.value());
                ps.setString(2, txid.hex());
                n = ps.executeUpdate();
            }
            if (n != 1) {
                c.rollback();
                return false;
            }
            Spends.deleteForJob(c, jobId, txid);
            try (PreparedStatement ps = c.prepareStatement(
                    REQUEUE
                            + "WHERE job_id = ? AND status = 'processing' AND txid IS NULL")) {
                ps.setString(1, jobId.value());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Definitive failure of a stored transaction: job failed with the code, its spends rows deleted. */
    public boolean failSigned(JobId jobId, Txid txid, String errorCode, String detail) {
        return inTransaction(() -> "failing job " + jobId, c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE publish_jobs SET status = 'failed', error_code = ?, error_detail = ?, failed_at = now() "
                            + "WHERE job_id = ? AND txid = ? AND status = 'signed'")) {
                ps.setString(1, errorCode);
                ps.setString(2, detail);
                ps.setString(3, jobId.value());
                ps.setString(4, txid.hex());
                n = ps.executeUpdate();
            }
            if (n != 1) {
                c.rollback();
                return false;
            }
            Spends.deleteForJob(c, jobId, txid);
            return true;
        });
    }

    private <T> T inTransaction(java.util.function.Supplier<String> what, Transactions.Work<T> work) {
        return Transactions.run(ds, what, work);
    }

    /** The batch has had its broadcast attempt; jobs not sent yet are the rescuer's. */
    public void finishBatch(BatchId batchId, boolean allSent) {
        update("finishing batch " + batchId,
                "UPDATE publish_batches SET broadcasted_at = COALESCE(broadcasted_at, now()), "
                        + "status = CASE WHEN ? THEN 'completed' ELSE status END, "
                        + "completed_at = CASE WHEN ? THEN now() ELSE completed_at END WHERE batch_id = ?",
                (c, ps) -> {
                    ps.setBoolean(1, allSent);
                    ps.setBoolean(2, allSent);
                    ps.setString(3, batchId.value());
                });
    }

    // ---- recovery queries ----

    /** The reconciler's way in: see {@link #queuedWithoutBatch}; parameters: the age in seconds, the limit. */
    static final String QUEUED_WITHOUT_BATCH =
            "SELECT job_id FROM publish_jobs WHERE status = 'queued' AND mode = 'record' AND processing_batch_id IS NULL "
                    + NO_TRANSACTION_ROW + " AND created_at < now() - make_interval(secs => ?) ORDER BY created_at LIMIT ?";

    /**
     * Queued record-mode jobs older than {@code olderThan} that no batch holds (a lost message, a claim that ended
     * unstored), and that have no transaction row (see {@link #NO_TRANSACTION_ROW}).
     */
    public List<JobId> queuedWithoutBatch(Duration olderThan, int limit) {
        return queryList("reconcile query", QUEUED_WITHOUT_BATCH,
                (c, ps) -> {
                    ps.setDouble(1, olderThan.toMillis() / 1000.0);
                    ps.setInt(2, limit);
                }, rs -> new JobId(rs.getString(1)));
    }

    /**
     * The original batch mode's unstick, made safe: only jobs claimed longer than {@code olderThan} ago that have NO
     * stored transaction go back to queued. A signed job is never re-queued (it is re-broadcast).
     */
    public List<JobId> requeueStuckProcessing(Duration olderThan) {
        return queryList("rescue of processing jobs",
                REQUEUE
                        + "WHERE status = 'processing' AND txid IS NULL AND processing_at < now() - make_interval(secs => ?) "
                        + "RETURNING job_id",
                (c, ps) -> ps.setDouble(1, olderThan.toMillis() / 1000.0), rs -> new JobId(rs.getString(1)));
    }

    /**
     * Signed jobs with a transaction of their own (an anchor-mode job's is its batch's) in batches not sent (a job of
     * a sent batch is sent although its row says signed) whose last broadcast attempt
     * (or signing) is older than {@code olderThan}; stamps
     * them so a concurrent rescuer in another instance skips them. Inputs come from spends, their
     * locking scripts from the pool's utxos (else {@code defaultScript}, the pool key's).
     */
    public List<SignedJob> takeSignedForRebroadcast(Duration olderThan, int limit, byte[] defaultScript) {
        Map<JobId, Object[]> rows = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(TAKE_UNSENT)) {
                ps.setDouble(1, olderThan.toMillis() / 1000.0);
                ps.setDouble(2, olderThan.toMillis() / 1000.0);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(new JobId(rs.getString(1)), new Object[]{rs.getString(2), rs.getInt(3), rs.getBytes(4), rs.getString(5),
                                rs.getLong(6), rs.getTimestamp(7).toInstant(), rs.getInt(8)});
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            Map<JobId, List<Utxo>> inputs = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT s.job_id, s.outpoint_txid, s.outpoint_vout, s.satoshis, " + Spends.scriptOf("s")
                            + " FROM spends s WHERE s.job_id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("varchar", values(rows.keySet())));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] script = rs.getBytes(5);
                        inputs.computeIfAbsent(new JobId(rs.getString(1)), k -> new ArrayList<>()).add(new Utxo(
                                new Outpoint(Txid.fromHex(rs.getString(2)), rs.getInt(3)), Satoshis.of(rs.getLong(4)),
                                script != null ? script : defaultScript));
                    }
                }
            }
            List<SignedJob> out = new ArrayList<>();
            for (Map.Entry<JobId, Object[]> e : rows.entrySet()) {
                Object[] r = e.getValue();
                byte[] raw = (byte[]) r[2];
                RawTransaction parsed = RawTransaction.parse(raw);
                List<Utxo> ins = orderLike(parsed, inputs.getOrDefault(e.getKey(), List.of()));
                SignedTransaction tx = new SignedTransaction(Txid.fromHex((String) r[3]), raw, ins, parsed.outputs(),
                        Satoshis.of((Long) r[4]));
                out.add(new SignedJob(e.getKey(), r[0] == null ? null : new BatchId((String) r[0]), (Integer) r[1], tx, (Instant) r[5], (Integer) r[6]));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("rebroadcast query failed", e);
        }
    }

    /** EF needs the prevouts in input order. */
    private static List<Utxo> orderLike(RawTransaction tx, List<Utxo> found) {
        List<Utxo> out = new ArrayList<>();
        for (RawTransaction.Input in : tx.inputs()) {
            for (Utxo u : found) {
                if (u.outpoint().equals(in.prevout())) {
                    out.add(u);
                    break;
                }
            }
        }
        return out.size() == tx.inputs().size() ? out : found;
    }

    /** A sent job to poll for confirmation. */
    public record Unconfirmed(JobId jobId, Txid txid) {
    }

    /**
     * Sent jobs with a transaction of their own at least {@code minAge} old, least recently checked first; stamps them
     * as checked. Sent: a row that says so, or a signed row of a sent batch.
     */
    public List<Unconfirmed> takeUnconfirmed(Duration minAge, int limit) {
        return queryList("confirmation query", TAKE_UNCONFIRMED,
                (c, ps) -> {
                    ps.setDouble(1, minAge.toMillis() / 1000.0);
                    ps.setInt(2, limit);
                }, rs -> new Unconfirmed(new JobId(rs.getString(1)), Txid.fromHex(rs.getString(2))));
    }

    /** The ids as SQL parameters: a varchar[]'s elements. */
    private static String[] values(Collection<JobId> jobIds) {
        return jobIds.stream().map(JobId::value).toArray(String[]::new);
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(Connection c, PreparedStatement ps) throws SQLException;
    }

    /** Maps the current row. */
    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** One auto-committed write; returns how many rows it changed. {@code what} names it in errors. */
    private int update(String what, String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(c, ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(what + " failed", e);
        }
    }

    /** One auto-committed statement (a query, or a write with RETURNING) and its rows; {@code what} names it in errors. */
    private <T> List<T> queryList(String what, String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(c, ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(what + " failed", e);
        }
    }
}
