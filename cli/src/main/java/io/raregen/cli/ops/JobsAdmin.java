package io.raregen.cli.ops;

import io.raregen.core.jobs.FailedJobs;
import io.raregen.core.types.JobId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Manual re-drive of failed jobs ({@code raregen jobs retry}). The rule and its SQL are
 * {@link FailedJobs}, shared with the functions app's operator API: a failed job with no stored
 * transaction goes back to {@code queued} outside any batch, where the broadcaster's reconciler picks
 * it up.
 */
public final class JobsAdmin {

    private JobsAdmin() {
    }

    public static OpsQueries.Result failed(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FailedJobs.LIST)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return OpsQueries.toResult("Failed jobs", rs);
            }
        }
    }

    public static FailedJobs.RetryOutcome retry(Connection c, JobId jobId) throws SQLException {
        return FailedJobs.retry(c, jobId);
    }
}
