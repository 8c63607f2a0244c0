package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.types.AccountId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link Sessions} on {@code account_sessions} (V34). */
@Singleton
public class PostgresSessions implements Sessions {

    private static final String COLUMNS = "session_id, account_id, created_at, expires_at, user_agent";
    private static final String INSERT = "INSERT INTO account_sessions (session_id, token_hash, account_id, expires_at, user_agent) "
            + "VALUES (?, ?, ?, ?, ?) RETURNING " + COLUMNS;
    private static final String ACTIVE = "SELECT " + COLUMNS + " FROM account_sessions "
            + "WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > now()";
    private static final String LIST = "SELECT " + COLUMNS + " FROM account_sessions "
            + "WHERE account_id = ? AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 100";
    private static final String REVOKE = "UPDATE account_sessions SET revoked_at = now() "
            + "WHERE account_id = ? AND session_id = ? AND revoked_at IS NULL AND expires_at > now()";

    /** Longest user agent kept. */
    private static final int USER_AGENT_MAX = 200;

    private final DataSource dataSource;

    public PostgresSessions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Session create(AccountId account, byte[] tokenHash, Instant expiresAt, @Nullable String userAgent) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setBytes(2, tokenHash);
            ps.setObject(3, account.value());
            ps.setTimestamp(4, Timestamp.from(expiresAt));
            ps.setString(5, userAgent == null ? null : printable(userAgent));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return session(rs);
            }
        } catch (SQLException e) {
            throw new StorageException("starting the session", e);
        }
    }

    @Override
    public Optional<Session> active(byte[] tokenHash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ACTIVE)) {
            ps.setBytes(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(session(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("reading the session", e);
        }
    }

    @Override
    public List<Session> list(AccountId account) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setObject(1, account.value());
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(session(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing sessions", e);
        }
    }

    @Override
    public boolean revoke(AccountId account, UUID sessionId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REVOKE)) {
            ps.setObject(1, account.value());
            ps.setObject(2, sessionId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException("revoking the session", e);
        }
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getObject(1, UUID.class), new AccountId(rs.getObject(2, UUID.class)),
                rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(), rs.getString(5));
    }

    /** Printable ASCII only, shortened: a user agent is shown back in a list, never trusted. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), USER_AGENT_MAX));
        for (int i = 0; i < s.length() && b.length() < USER_AGENT_MAX; i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }
}
