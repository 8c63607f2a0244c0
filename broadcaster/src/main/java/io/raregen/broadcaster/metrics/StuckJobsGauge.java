package io.raregen.broadcaster.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code raregen_jobs_stuck}: jobs sitting in {@code processing} or {@code signed} for longer than
 * {@code stuckAfter}. The rescuer normally moves them on within minutes,
 * so a non-zero value that stays is what the stuck-jobs alarm pages on.
 */
public final class StuckJobsGauge {

    private static final String SQL = """
            SELECT count(*) FROM publish_jobs
             WHERE (status = 'processing' AND processing_at < now() - make_interval(secs => ?))
                OR (status = 'signed' AND signed_at < now() - make_interval(secs => ?))
            """;

    private final DataSource dataSource;
    private final Duration stuckAfter;
    private final AtomicLong stuck = new AtomicLong();

    public StuckJobsGauge(DataSource dataSource, Duration stuckAfter, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.stuckAfter = stuckAfter;
        Gauge.builder("raregen.jobs.stuck", stuck, AtomicLong::get)
                .description("jobs in processing or signed for longer than " + stuckAfter)
                .register(registry);
    }

    /** Re-counts from the database and returns the new value. */
    public long refresh() throws SQLException {
        double seconds = stuckAfter.toMillis() / 1000.0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setDouble(1, seconds);
            ps.setDouble(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                stuck.set(rs.getLong(1));
            }
        }
        return stuck.get();
    }

    public long value() {
        return stuck.get();
    }
}
