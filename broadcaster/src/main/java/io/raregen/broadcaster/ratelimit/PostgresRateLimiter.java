package io.raregen.broadcaster.ratelimit;

import io.raregen.core.ratelimit.TokenBucketMath;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket in one Postgres row, shared by every broadcaster instance: each take refills by
 * the database clock's elapsed time and subtracts the grant in a single UPDATE, so instances
 * racing for tokens serialise on the row and together never exceed capacity per period.
 */
public final class PostgresRateLimiter implements RateLimiter {

    private static final String ENSURE =
            "INSERT INTO rate_limit_buckets (name, tokens, refilled_at) VALUES (?, ?, clock_timestamp()) "
                    + "ON CONFLICT (name) DO NOTHING";

    // One statement: lock the row, refill to at most capacity, grant floor(min(wanted, level)).
    private static final String TAKE =
            "WITH cur AS (SELECT name, clock_timestamp() AS ts, "
                    + "  LEAST(?::float8, tokens + GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - refilled_at)))::float8 * ?::float8) AS level "
                    + "  FROM rate_limit_buckets WHERE name = ? FOR UPDATE), "
                    + "g AS (SELECT name, ts, level, LEAST(?::float8, FLOOR(level)) AS granted FROM cur) "
                    + "UPDATE rate_limit_buckets b SET tokens = g.level - g.granted, refilled_at = g.ts "
                    + "FROM g WHERE b.name = g.name RETURNING g.granted, g.level";

    private final DataSource dataSource;
    private final String name;
    private final long capacity;
    private final long periodNanos;
    private final double perSecond;

    public PostgresRateLimiter(DataSource dataSource, String name, long capacity, Duration period) {
        if (capacity < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("capacity >= 1 and a positive period required");
        }
        this.dataSource = dataSource;
        this.name = name;
        this.capacity = capacity;
        this.periodNanos = period.toNanos();
        this.perSecond = capacity * 1e9 / periodNanos;
        ensureRow();
    }

    private void ensureRow() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ENSURE)) {
            ps.setString(1, name);
            ps.setDouble(2, capacity);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create rate limit bucket " + name, e);
        }
    }

    @Override
    public int acquire(int wanted) throws InterruptedException {
        while (true) {
            Take t = take(wanted);
            if (t.granted > 0) {
                return t.granted;
            }
            TimeUnit.NANOSECONDS.sleep(TokenBucketMath.nanosUntilOneToken(t.level, capacity, periodNanos));
        }
    }

    @Override
    public int tryAcquire(int wanted) {
        return take(wanted).granted;
    }

    private record Take(int granted, double level) {
    }

    private Take take(int wanted) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(TAKE)) {
                ps.setDouble(1, capacity);
                ps.setDouble(2, perSecond);
                ps.setString(3, name);
                ps.setDouble(4, wanted);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        ensureRow();
                        return new Take(0, 0);
                    }
                    return new Take((int) rs.getDouble(1), rs.getDouble(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rate limit bucket " + name + " unavailable", e);
        }
    }
}
