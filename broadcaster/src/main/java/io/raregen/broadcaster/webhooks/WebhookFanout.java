package io.raregen.broadcaster.webhooks;

import io.raregen.core.events.EventId;
import io.raregen.core.events.JobEvent;
import io.raregen.core.events.JobEventLog;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Copies job events into the delivery outbox: one row per (active webhook of the event's key, event).
 * Reading the log, writing the rows and moving the cursor happen in one transaction that holds the
 * cursor row, so a crash leaves the cursor where the rows stop and two broadcasters take turns; the
 * unique (webhook, event) key makes a repeated batch harmless anyway.
 */
public final class WebhookFanout {

    private static final String INSERT = """
            INSERT INTO webhook_deliveries (webhook_id, event_id, job_id, body)
            SELECT id, ?, ?, ? FROM webhooks WHERE pubkey = ? AND disabled_at IS NULL
            ON CONFLICT (webhook_id, event_id) DO NOTHING""";

    /**
     * Rows written after which the fan-out runs ANALYZE on the outbox. The outbox can go from empty to thousands of
     * rows in seconds (a client's first big batch), long before autovacuum's analyze; until then the planner believes
     * the table is empty and may check "is this the job's oldest pending delivery" by scanning every pending row, for
     * every row (seen: 17 s per claim at 9,000 pending rows). One ANALYZE of a non-empty table is enough: the planner
     * scales its estimates with the table's size from then on.
     */
    static final int ANALYZE_AFTER_ROWS = 1_000;
    private static final long ANALYZE_AT_MOST_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    private final DataSource ds;
    private final int batch;
    private long writtenSinceAnalyze;
    private long lastAnalyze = System.nanoTime() - ANALYZE_AT_MOST_EVERY_NANOS;

    public WebhookFanout(DataSource ds, int batch) {
        this.ds = ds;
        this.batch = batch;
    }

    /** One round; returns the number of events read. */
    public int runOnce() throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                EventId cursor;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT after_xact, after_id FROM webhook_fanout_cursor FOR UPDATE");
                     ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("webhook_fanout_cursor has no row (V31 inserts it)");
                    }
                    cursor = new EventId(Long.parseLong(rs.getString(1)), rs.getLong(2));
                }
                List<JobEvent> events = JobEventLog.read(c, cursor, Optional.empty(), batch);
                if (events.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                int written = 0;
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (JobEvent e : events) {
                        ps.setString(1, e.id().toString());
                        ps.setString(2, e.jobId().value());
                        ps.setBytes(3, e.toJsonBytes());
                        ps.setString(4, e.publicKey().hex());
                        ps.addBatch();
                    }
                    for (int n : ps.executeBatch()) {
                        written += Math.max(0, n);
                    }
                }
                EventId last = events.get(events.size() - 1).id();
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE webhook_fanout_cursor SET after_xact = ?, after_id = ?, updated_at = now()")) {
                    ps.setString(1, Long.toString(last.xact()));
                    ps.setLong(2, last.id());
                    ps.executeUpdate();
                }
                c.commit();
                c.setAutoCommit(auto);
                analyzeIfGrown(c, written);
                return events.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private void analyzeIfGrown(Connection c, int written) {
        writtenSinceAnalyze += written;
        if (writtenSinceAnalyze < ANALYZE_AFTER_ROWS || System.nanoTime() - lastAnalyze < ANALYZE_AT_MOST_EVERY_NANOS) {
            return;
        }
        writtenSinceAnalyze = 0;
        lastAnalyze = System.nanoTime();
        try (java.sql.Statement st = c.createStatement()) {
            // a role that does not own the table gets a warning and no statistics: autovacuum's analyze then comes later
            st.execute("ANALYZE webhook_deliveries");
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(WebhookFanout.class).warn("ANALYZE webhook_deliveries failed: {}", e.toString());
        }
    }
}
