package io.raregen.broadcaster.utxo;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Writes each live pool reading to {@code pool_depth_samples} (V26), the pool's depth over time that the
 * functions app's operator series draws: {@code utxos} keeps no record of when an output became available
 * or was leased, so the history cannot be derived from it. Each write also drops the samples older than
 * the retention (one indexed range delete, about one row per round).
 */
public final class PoolDepthHistory {

    static final String INSERT = """
            INSERT INTO pool_depth_samples (sampled_at, instance_id, publish_available, available, reserved, pending,
                                            available_sats, funding_sats, alert_threshold, funding_address)
            VALUES (clock_timestamp(), ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """;
    static final String PRUNE = "DELETE FROM pool_depth_samples WHERE sampled_at < now() - make_interval(secs => ?)";

    private final DataSource dataSource;
    private final String instanceId;
    private final long alertThreshold;
    private final String fundingAddress;
    private final Duration retention;

    public PoolDepthHistory(DataSource dataSource, String instanceId, long alertThreshold, String fundingAddress,
                            Duration retention) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.alertThreshold = alertThreshold;
        this.fundingAddress = fundingAddress;
        this.retention = retention;
    }

    public void record(PoolDepth d) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, instanceId);
                ps.setLong(2, d.publishAvailable());
                ps.setLong(3, d.countByStatus().getOrDefault("available", 0L));
                ps.setLong(4, d.countByStatus().getOrDefault("reserved", 0L));
                ps.setLong(5, d.countByStatus().getOrDefault("pending", 0L));
                ps.setLong(6, d.satsByStatus().getOrDefault("available", 0L));
                ps.setLong(7, d.fundingAvailableSats());
                ps.setLong(8, alertThreshold);
                ps.setString(9, fundingAddress);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
                ps.setDouble(1, retention.toMillis() / 1000.0);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new PoolStorageException("writing the pool depth sample failed", e);
        }
    }
}
