package io.raregen.core.jobs;

import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Failed jobs and their manual re-drive, shared by the CLI ({@code raregen jobs failed|retry}) and the
 * functions app ({@code /v1/ops/failed-jobs}, {@code /v1/ops/jobs/{jobId}/retry}) so both follow the
 * same rule: a failed job with no stored transaction goes back to {@code queued} outside any batch.
 * The job-transition trigger ({@code guard_job_transitions}, V25) allows failed → queued only without
 * a transaction, so a job whose transaction may still reach the chain is never signed twice (I2).
 * Plain JDBC: the callers bring their own connection (a pool in the app, DriverManager in the CLI).
 */
public final class FailedJobs {

    /** Outcome of one retry request. */
    public enum RetryOutcome { REQUEUED, NOT_FOUND, NOT_FAILED, HAS_TRANSACTION }

    /** One failed job, newest first in {@link #list}. */
    public record FailedJob(JobId jobId, String errorCode, String errorDetail, Instant failedAt, int attempts,
                            Txid txid, Instant createdAt) {
    }

    /** Newest failures first; served by idx_publish_jobs_failed (V26), which has exactly this order. */
    public static final String LIST = """
            SELECT job_id, error_code, error_detail, failed_at, attempts, txid, created_at
            FROM publish_jobs
            WHERE status = 'failed'
            ORDER BY failed_at DESC NULLS LAST, job_id DESC
            LIMIT ?
            """;

    public static final String COUNT = "SELECT count(*) FROM publish_jobs WHERE status = 'failed'";

    static final String REQUEUE = """
            UPDATE publish_jobs
               SET status = 'queued', error_code = NULL, error_detail = NULL, failed_at = NULL,
                   processing_batch_id = NULL, batch_seq = NULL
             WHERE job_id = ? AND status = 'failed' AND txid IS NULL
            """;

    static final String WHY_NOT = "SELECT s.status, j.txid IS NOT NULL FROM publish_jobs j JOIN job_states s USING (job_id) "
            + "WHERE job_id = ?";

    private FailedJobs() {
    }

    public static List<FailedJob> list(Connection c, int limit) throws SQLException {
        List<FailedJob> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String txid = rs.getString(6);
                    jobs.add(new FailedJob(new JobId(rs.getString(1)), rs.getString(2), rs.getString(3),
                            instant(rs.getTimestamp(4)), rs.getInt(5), txid == null ? null : Txid.fromHex(txid),
                            instant(rs.getTimestamp(7))));
                }
            }
        }
        return jobs;
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Re-queues {@code jobId} when it is failed and holds no transaction; otherwise says why not. The
     * caller wakes the broadcaster (a queue message) or leaves it to its reconciler.
     */
    public static RetryOutcome retry(Connection c, JobId jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REQUEUE)) {
            ps.setString(1, jobId.value());
            if (ps.executeUpdate() == 1) {
                return RetryOutcome.REQUEUED;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(WHY_NOT)) {
            ps.setString(1, jobId.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return RetryOutcome.NOT_FOUND;
                }
                if (!"failed".equals(rs.getString(1))) {
                    return RetryOutcome.NOT_FAILED;
                }
                return RetryOutcome.HAS_TRANSACTION;
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
