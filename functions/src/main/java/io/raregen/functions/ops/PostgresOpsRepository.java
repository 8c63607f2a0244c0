package io.raregen.functions.ops;

import io.raregen.core.jobs.FailedJobs;
import io.raregen.core.jobs.LivePool;
import io.raregen.core.types.JobId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link OpsRepository} on Postgres. Every figure of the series is computed in the database, each from an
 * index range over the window only (V26): the history before the window is never read.
 */
@Singleton
public class PostgresOpsRepository implements OpsRepository {

    /*
     * Parameters: 1 = first minute, 2 = end (exclusive), 3 = last minute (generate_series is inclusive).
     * Every source is grouped by minute on its own, then joined to the minutes: gaps become zeros or nulls.
     * The planner costs of the broadcaster's PlannerCosts apply here too (SET LOCAL in the transaction):
     * the working set is in memory, so ranges are probed by index instead of a sequential scan.
     */
    static final String SERIES = """
            WITH minutes AS (
              SELECT generate_series(?::timestamptz, ?::timestamptz, interval '1 minute') AS t
            ), accepted AS (
              SELECT date_trunc('minute', created_at) AS t, count(*) AS n
                FROM publish_jobs WHERE job_id >= job_ids_from(?) AND job_id < job_ids_before(?)
                 AND created_at >= ? AND created_at < ? GROUP BY 1
            ), sent AS (
              SELECT date_trunc('minute', sent_at) AS t, count(*) AS n,
                     percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (
                       ORDER BY extract(epoch FROM sent_at - created_at) * 1000) AS p
                FROM job_sends WHERE sent_at >= ? AND sent_at < ? GROUP BY 1
            ), outcomes AS (
              SELECT date_trunc('minute', at) AS t,
                     count(*) FILTER (WHERE to_status = 'mined') AS mined,
                     count(*) FILTER (WHERE to_status = 'failed') AS failed
                FROM publish_job_transitions
               WHERE to_status IN ('mined', 'failed') AND at >= ? AND at < ? GROUP BY 1
            ), batches AS (
              SELECT date_trunc('minute', created_at) AS t, count(*) AS n, avg(job_count)::float8 AS avg_size
                FROM publish_batches WHERE created_at >= ? AND created_at < ? GROUP BY 1
            ), pool AS (
              SELECT DISTINCT ON (date_trunc('minute', sampled_at)) date_trunc('minute', sampled_at) AS t,
                     publish_available
                FROM pool_depth_samples WHERE sampled_at >= ? AND sampled_at < ?
               ORDER BY date_trunc('minute', sampled_at), sampled_at DESC
            )
            SELECT m.t, COALESCE(a.n, 0), COALESCE(s.n, 0), COALESCE(o.mined, 0), COALESCE(o.failed, 0),
                   COALESCE(b.n, 0), b.avg_size, s.p, p.publish_available
              FROM minutes m
              LEFT JOIN accepted a ON a.t = m.t
              LEFT JOIN sent s ON s.t = m.t
              LEFT JOIN outcomes o ON o.t = m.t
              LEFT JOIN batches b ON b.t = m.t
              LEFT JOIN pool p ON p.t = m.t
             ORDER BY m.t
            """;

    /* The live rows only (LivePool: one narrow index per status), whatever the history. */
    static final String FIGURES = """
            SELECT
              count(*) FILTER (WHERE purpose = 'publish' AND status = 'available' AND NOT dirty),
              count(*) FILTER (WHERE purpose = 'publish' AND status = 'reserved'),
              COALESCE(sum(satoshis) FILTER (WHERE purpose = 'publish' AND status = 'available' AND NOT dirty), 0),
              COALESCE(sum(satoshis) FILTER (WHERE purpose = 'funding' AND status = 'available' AND NOT dirty), 0)
            FROM\s""" + LivePool.ROWS + " AS u WHERE status IN ('available', 'reserved')";

    static final String LATEST_SAMPLE = """
            SELECT alert_threshold, funding_address FROM pool_depth_samples ORDER BY sampled_at DESC LIMIT 1
            """;

    private final DataSource dataSource;

    public PostgresOpsRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The same planner cost as the broadcaster's transactions (PlannerCosts) and the RDS parameter group. */
    static final String PLANNER_COSTS = "SET LOCAL random_page_cost = 1.1";

    @Override
    public List<SeriesView.Point> series(Instant from, int minutes) {
        List<SeriesView.Point> points = new ArrayList<>(minutes);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                try (PreparedStatement set = c.prepareStatement(PLANNER_COSTS)) {
                    set.execute();
                }
                try (PreparedStatement ps = c.prepareStatement(SERIES)) {
                    bindSeries(ps, from, minutes);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Double[] p = percentiles(rs.getArray(8));
                            long depth = rs.getLong(9);
                            Long poolDepth = rs.wasNull() ? null : depth;
                            double avg = rs.getDouble(7);
                            Double avgBatch = rs.getObject(7) == null ? null : avg;
                            points.add(new SeriesView.Point(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3),
                                    rs.getLong(4), rs.getLong(5), rs.getLong(6), avgBatch, p[0], p[1], p[2], poolDepth));
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("reading the operator series", e);
        }
        return points;
    }

    /**
     * Binds {@link #SERIES}: the minutes' first and last starts, then [from, end) for the accepted jobs' id range (V44:
     * jobs are read by creation time through their time-ordered ids) and for each of the five sources.
     */
    static void bindSeries(PreparedStatement ps, Instant from, int minutes) throws SQLException {
        Timestamp start = Timestamp.from(from);
        Timestamp end = Timestamp.from(from.plusSeconds(60L * minutes));
        ps.setTimestamp(1, start);
        ps.setTimestamp(2, Timestamp.from(from.plusSeconds(60L * (minutes - 1))));
        for (int i = 3; i <= 14; i += 2) {
            ps.setTimestamp(i, start);
            ps.setTimestamp(i + 1, end);
        }
    }

    private static Double[] percentiles(Array array) throws SQLException {
        if (array == null) {
            return new Double[3];
        }
        Object[] values = (Object[]) array.getArray();
        Double[] out = new Double[3];
        for (int i = 0; i < 3 && i < values.length; i++) {
            out[i] = values[i] == null ? null : Math.round(((Number) values[i]).doubleValue() * 10.0) / 10.0;
        }
        return out;
    }

    @Override
    public Figures figures() {
        try (Connection c = dataSource.getConnection()) {
            long available;
            long reserved;
            long availableSats;
            long fundingSats;
            try (PreparedStatement ps = c.prepareStatement(FIGURES); ResultSet rs = ps.executeQuery()) {
                rs.next();
                available = rs.getLong(1);
                reserved = rs.getLong(2);
                availableSats = rs.getLong(3);
                fundingSats = rs.getLong(4);
            }
            Long threshold = null;
            String address = null;
            try (PreparedStatement ps = c.prepareStatement(LATEST_SAMPLE); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    threshold = rs.getLong(1);
                    address = rs.getString(2);
                }
            }
            return new Figures(available, reserved, availableSats, threshold, address, fundingSats, FailedJobs.count(c));
        } catch (SQLException e) {
            throw new StorageException("reading the operator summary", e);
        }
    }

    @Override
    public List<FailedJobs.FailedJob> failedJobs(int limit) {
        try (Connection c = dataSource.getConnection()) {
            return FailedJobs.list(c, limit);
        } catch (SQLException e) {
            throw new StorageException("reading failed jobs", e);
        }
    }

    @Override
    public FailedJobs.RetryOutcome retry(JobId jobId) {
        try (Connection c = dataSource.getConnection()) {
            return FailedJobs.retry(c, jobId);
        } catch (SQLException e) {
            throw new StorageException("re-queueing the job", e);
        }
    }
}
