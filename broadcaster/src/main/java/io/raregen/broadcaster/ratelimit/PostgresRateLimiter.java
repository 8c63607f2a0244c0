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
 * racing for tokens serialise on the row and together never take more than burst + rate × t in any
 * time t.
 *
 * <p>The network counts a transaction when its request arrives, a little after its token was taken,
 * and by different delays for different requests, so arrivals can bunch more than takes. With an
 * {@code arrivalSpread} the bucket refills at capacity per period but holds at most
 * {@code capacity - rate × arrivalSpread} (its burst): arrivals in any window w then come from takes
 * in a span of w + arrivalSpread, at most burst + rate × (w + arrivalSpread) = capacity + rate × w,
 * as long as every request reaches the network within {@code arrivalSpread} of its take
 * ({@code raregen.ratelimit.arrival-spread}, {@link RateLimitSettings}).
 */
public final class PostgresRateLimiter implements RateLimiter {

    private static final String ENSURE =
            "INSERT INTO rate_limit_buckets (name, tokens, refilled_at) VALUES (?, ?, clock_timestamp()) "
                    + "ON CONFLICT (name) DO NOTHING";

    // One statement: lock the row, refill to at most the burst, grant floor(min(wanted, level)).
    private static final String TAKE =
            "WITH cur AS (SELECT name, clock_timestamp() AS ts, "
                    + "  LEAST(?::float8, tokens + GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - refilled_at)))::float8 * ?::float8) AS level "
                    + "  FROM rate_limit_buckets WHERE name = ? FOR UPDATE), "
                    + "g AS (SELECT name, ts, level, LEAST(?::float8, FLOOR(level)) AS granted FROM cur) "
                    + "UPDATE rate_limit_buckets b SET tokens = g.level - g.granted, refilled_at = g.ts "
                    + "FROM g WHERE b.name = g.name RETURNING g.granted, g.level";

    private final DataSource dataSource;
    private final String name;
    private final double burst;
    private final double perSecond;

    /** An exact bucket: capacity per period, bursts of capacity (no allowance for the network's delays). */
    public PostgresRateLimiter(DataSource dataSource, String name, long capacity, Duration period) {
        this(dataSource, name, capacity, period, Duration.ZERO);
    }

    /** Capacity per period, bursts of {@code capacity - rate × arrivalSpread} (see the class comment). */
    public PostgresRateLimiter(DataSource dataSource, String name, long capacity, Duration period, Duration arrivalSpread) {
        this.dataSource = dataSource;
        this.name = name;
        this.perSecond = TokenBucketMath.perSecond(capacity, period);
        this.burst = TokenBucketMath.burst(capacity, period, arrivalSpread);
        ensureRow();
    }

    private void ensureRow() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ENSURE)) {
            ps.setString(1, name);
            ps.setDouble(2, burst);
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
            TimeUnit.NANOSECONDS.sleep(TokenBucketMath.nanosUntilOneToken(t.level, perSecond));
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
                ps.setDouble(1, burst);
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
