package io.raregen.functions.backup;

import io.raregen.core.types.PublicKey;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link BackupShareStore} on the {@code backup_shares} table (V28). */
@Singleton
public class PostgresBackupShareStore implements BackupShareStore {

    // one statement: a write wins only if it was signed after the last accepted one
    private static final String UPSERT = """
            INSERT INTO backup_shares (pubkey, share, signed_at, nonce) VALUES (?, ?, ?, ?)
            ON CONFLICT (pubkey) DO UPDATE
              SET share = EXCLUDED.share, signed_at = EXCLUDED.signed_at, nonce = EXCLUDED.nonce
              WHERE backup_shares.signed_at < EXCLUDED.signed_at
            RETURNING pubkey
            """;
    private static final String SELECT = "SELECT share, signed_at, nonce FROM backup_shares WHERE pubkey = ?";

    private final DataSource dataSource;

    public PostgresBackupShareStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public WriteResult write(PublicKey key, String shareJsonOrNull, Instant signedAt, String nonce) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                ps.setString(1, key.hex());
                ps.setString(2, shareJsonOrNull);
                ps.setTimestamp(3, Timestamp.from(signedAt));
                ps.setString(4, nonce);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return WriteResult.WRITTEN;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SELECT)) {
                ps.setString(1, key.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && nonce.equals(rs.getString(3)) && Objects.equals(shareJsonOrNull, rs.getString(1))) {
                        return WriteResult.REPEATED;
                    }
                }
            }
            return WriteResult.STALE;
        } catch (SQLException e) {
            throw new StorageException("storing the backup share", e);
        }
    }

    @Override
    public Optional<StoredShare> find(PublicKey key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, key.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(new StoredShare(rs.getString(1), rs.getTimestamp(2).toInstant()));
            }
        } catch (SQLException e) {
            throw new StorageException("reading the backup share", e);
        }
    }
}
