package io.raregen.cli.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Manual re-drive of failed jobs ({@code raregen jobs retry}): a failed job with no stored transaction goes back to
 * {@code queued} outside any batch, where the broadcaster's reconciler picks it up (the database
 * trigger allows failed → queued only without a transaction, so I2 holds).
 */
public final class JobsAdmin {

    /** Outcome of one retry request. */
    public enum RetryOutcome { REQUEUED, NOT_FOUND, NOT_FAILED, HAS_TRANSACTION }

    static final String FAILED = """
            SELECT job_id, error_code, error_detail, failed_at, attempts, txid, created_at
            FROM publish_jobs
            WHERE status = 'failed'
            ORDER BY failed_at DESC NULLS LAST, job_id DESC
            LIMIT ?
            """;

    static final String REQUEUE = """
            UPDATE publish_jobs
               SET status = 'queued', error_code = NULL, error_detail = NULL, failed_at = NULL,
                   processing_batch_id = NULL, batch_seq = NULL, enqueued_at = NULL
             WHERE job_id = ? AND status = 'failed' AND raw_tx IS NULL
            """;

    private JobsAdmin() {
    }

    public static OpsQueries.Result failed(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FAILED)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return OpsQueries.toResult("Failed jobs", rs);
            }
        }
    }

    public static RetryOutcome retry(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REQUEUE)) {
            ps.setString(1, jobId);
            if (ps.executeUpdate() == 1) {
                return RetryOutcome.REQUEUED;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT status, raw_tx IS NOT NULL FROM publish_jobs WHERE job_id = ?")) {
            ps.setString(1, jobId);
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
}
