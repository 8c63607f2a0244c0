package io.raregen.broadcaster.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raregen.broadcaster.loops.Loop;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes the nonces the intake no longer needs to guard (V57): a row of {@code publish_nonces} expires when its
 * envelope can no longer be accepted, and goes {@code raregen.retention.nonce-grace} later (room for the clocks of
 * the intake's instances and the database to differ). So the table holds minutes of records, however long the history.
 */
public final class ExpiredNonces implements Loop {
    private static final String DELETE = "DELETE FROM publish_nonces WHERE expires_at < now() - make_interval(secs => ?)";

    private final DataSource dataSource;
    private final RetentionSettings settings;
    private final Counter deleted;

    public ExpiredNonces(DataSource dataSource, RetentionSettings settings, MeterRegistry registry) {
        settings.validate();
        this.dataSource = dataSource;
        this.settings = settings;
        this.deleted = registry.counter("raregen.retention.nonces.deleted");
    }

    @Override
    public String name() {
        return "expired-nonces";
    }

    @Override
    public Duration interval() {
        return settings.getNonceInterval();
    }

    @Override
    public int runOnce() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setDouble(1, settings.getNonceGrace().toMillis() / 1000.0);
            int n = ps.executeUpdate();
            deleted.increment(n);
            return n;
        }
    }
}
