package io.raregen.functions.accounts;

import io.raregen.core.accounts.EmailAddress;
import io.raregen.core.ratelimit.TokenBucketMath;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** {@link SignInCodes} on {@code account_codes} and {@code account_throttles} (V34). */
@Singleton
public class PostgresSignInCodes implements SignInCodes {

    // refill by elapsed time (the level before the take is read back as "level"), take one if there is one;
    // parameters: bucket, burst-1 (a new row), burst, per-second ×2, burst, per-second
    private static final String TAKE = """
            INSERT INTO account_throttles AS t (bucket, tokens, refilled_at) VALUES (?, ?, statement_timestamp())
            ON CONFLICT (bucket) DO UPDATE SET
              tokens = CASE WHEN LEAST(?::float8, t.tokens
                         + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - t.refilled_at)))::float8 * ?::float8) >= 1
                       THEN LEAST(?::float8, t.tokens
                         + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - t.refilled_at)))::float8 * ?::float8) - 1
                       ELSE t.tokens END,
              refilled_at = CASE WHEN LEAST(?::float8, t.tokens
                         + GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - t.refilled_at)))::float8 * ?::float8) >= 1
                       THEN statement_timestamp() ELSE t.refilled_at END
            RETURNING (xmax = 0) AS inserted, tokens, refilled_at = statement_timestamp() AS took,
              GREATEST(0, EXTRACT(EPOCH FROM (statement_timestamp() - refilled_at)))::float8 AS elapsed
            """;
    private static final String STORE = """
            INSERT INTO account_codes (email, code_hash, expires_at, tries, created_at) VALUES (?, ?, ?, 0, now())
            ON CONFLICT (email) DO UPDATE SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at,
              tries = 0, created_at = now()
            """;
    private static final String LOCK = "SELECT code_hash, expires_at > now(), tries FROM account_codes WHERE email = ? FOR UPDATE";
    private static final String DELETE = "DELETE FROM account_codes WHERE email = ?";
    private static final String MISS = "UPDATE account_codes SET tries = tries + 1 WHERE email = ?";

    private final DataSource dataSource;

    public PostgresSignInCodes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public long take(String bucket, int burst, Duration refill) {
        double perSecond = 1e9 / refill.toNanos();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TAKE)) {
            ps.setString(1, bucket);
            ps.setDouble(2, burst - 1);
            for (int i = 0; i < 3; i++) {
                ps.setDouble(3 + 2 * i, burst);
                ps.setDouble(4 + 2 * i, perSecond);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1) || rs.getBoolean(3)) {
                    return 0;
                }
                double level = Math.min(burst, rs.getDouble(2) + rs.getDouble(4) * perSecond);
                return TokenBucketMath.nanosUntilOneToken(level, perSecond);
            }
        } catch (SQLException e) {
            throw new StorageException("throttling sign-in codes", e);
        }
    }

    @Override
    public void store(EmailAddress to, byte[] codeHash, Instant expiresAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(STORE)) {
            ps.setString(1, to.value());
            ps.setBytes(2, codeHash);
            ps.setTimestamp(3, Timestamp.from(expiresAt));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("storing the sign-in code", e);
        }
    }

    @Override
    public void discard(EmailAddress to) {
        try (Connection c = dataSource.getConnection()) {
            run(c, DELETE, to);
        } catch (SQLException e) {
            throw new StorageException("discarding the sign-in code", e);
        }
    }

    @Override
    public boolean consume(EmailAddress to, Predicate<byte[]> matches, int maxTries) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean ok = consume(c, to, matches, maxTries);
                c.commit();
                return ok;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("checking the sign-in code", e);
        }
    }

    private static boolean consume(Connection c, EmailAddress to, Predicate<byte[]> matches, int maxTries) throws SQLException {
        byte[] hash;
        boolean live;
        int tries;
        try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setString(1, to.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                hash = rs.getBytes(1);
                live = rs.getBoolean(2);
                tries = rs.getInt(3);
            }
        }
        if (live && tries < maxTries && matches.test(hash)) {
            run(c, DELETE, to);
            return true;
        }
        // expired, used up, or wrong: a wrong try counts, and the last allowed one kills the code
        run(c, !live || tries + 1 >= maxTries ? DELETE : MISS, to);
        return false;
    }

    private static void run(Connection c, String sql, EmailAddress to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, to.value());
            ps.executeUpdate();
        }
    }
}
