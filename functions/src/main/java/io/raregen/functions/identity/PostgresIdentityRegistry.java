package io.raregen.functions.identity;

import io.raregen.core.types.PublicKey;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/** {@link IdentityRegistry} on the {@code identities} table. */
@Singleton
public class PostgresIdentityRegistry implements IdentityRegistry {

    private static final String INSERT = """
            INSERT INTO identities (pubkey) VALUES (?)
            ON CONFLICT (pubkey) DO NOTHING
            RETURNING pubkey, status, created_at, revoked_at
            """;
    private static final String SELECT = "SELECT pubkey, status, created_at, revoked_at FROM identities WHERE pubkey = ?";
    private static final String REVOKE = """
            UPDATE identities SET status = 'revoked', revoked_at = COALESCE(revoked_at, now())
            WHERE pubkey = ?
            RETURNING pubkey, status, created_at, revoked_at
            """;

    private final DataSource dataSource;

    public PostgresIdentityRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Registration register(PublicKey key) {
        try (Connection c = dataSource.getConnection()) {
            Optional<Identity> created = one(c, INSERT, key.hex());
            if (created.isPresent()) {
                return new Registration(created.get(), true);
            }
            return new Registration(one(c, SELECT, key.hex()).orElseThrow(
                    () -> new SQLException("identity neither inserted nor found")), false);
        } catch (SQLException e) {
            throw new StorageException("registering the identity", e);
        }
    }

    @Override
    public Optional<Identity> find(PublicKey key) {
        try (Connection c = dataSource.getConnection()) {
            return one(c, SELECT, key.hex());
        } catch (SQLException e) {
            throw new StorageException("reading the identity", e);
        }
    }

    @Override
    public Optional<Identity> revoke(PublicKey key) {
        try (Connection c = dataSource.getConnection()) {
            return one(c, REVOKE, key.hex());
        } catch (SQLException e) {
            throw new StorageException("revoking the identity", e);
        }
    }

    private static Optional<Identity> one(Connection c, String sql, String pubkey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pubkey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp revoked = rs.getTimestamp(4);
                return Optional.of(new Identity(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        revoked == null ? null : revoked.toInstant()));
            }
        }
    }
}
