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
 * {@code raregen_jobs_stuck}: jobs sitting in {@code processing}, or {@code signed} in a batch not sent (a signed row
 * of a sent batch is sent), for longer than {@code stuckAfter}. The rescuer normally moves them on within minutes,
 * so a non-zero value that stays is what the stuck-jobs alarm pages on.
 *
 * <p>{@code raregen_jobs_queued_oldest_seconds}: how long the oldest {@code queued} job has waited (0 when
 * none), the Prometheus side of the queue-backlog alarm (CloudWatch reads the SQS message age, which
 * Prometheus cannot see). One probe of the claim index ({@code idx_publish_jobs_claim}).
 */
public final class StuckJobsGauge {

    /** The count (public for the recovery query plan test); parameters: the stuck-after bound in seconds, twice. */
    public static final String SQL = """
            SELECT (SELECT count(*) FROM publish_jobs
                     WHERE status = 'processing' AND processing_at < now() - make_interval(secs => ?))
                 + (SELECT count(*) FROM publish_batches b JOIN publish_jobs j ON j.processing_batch_id = b.batch_id
                     WHERE b.sent_at IS NULL AND j.status = 'signed' AND j.signed_at < now() - make_interval(secs => ?))
            """;

    private final DataSource dataSource;
    private final Duration stuckAfter;
    private static final String OLDEST_QUEUED = """
            SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) FROM publish_jobs WHERE status = 'queued'
            """;

    private final AtomicLong stuck = new AtomicLong();
    private final AtomicLong oldestQueuedSeconds = new AtomicLong();

    public StuckJobsGauge(DataSource dataSource, Duration stuckAfter, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.stuckAfter = stuckAfter;
        Gauge.builder("raregen.jobs.stuck", stuck, AtomicLong::get)
                .description("jobs in processing or signed for longer than " + stuckAfter)
                .register(registry);
        Gauge.builder("raregen.jobs.queued.oldest", oldestQueuedSeconds, AtomicLong::get)
                .description("seconds the oldest queued job has waited; 0 when none").baseUnit("seconds")
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
            try (PreparedStatement oldest = c.prepareStatement(OLDEST_QUEUED); ResultSet rs = oldest.executeQuery()) {
                rs.next();
                oldestQueuedSeconds.set(Math.max(0, rs.getLong(1)));
            }
        }
        return stuck.get();
    }

    public long value() {
        return stuck.get();
    }
}
