package io.raregen.functions.receipts;

import io.raregen.core.types.JobId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@link ReceiptRepository} on {@code publish_jobs} and {@code block_headers}. The accepted body is the row's
 * {@code envelope}, or, where the intake found it equal to the canonical body of the row's own columns and stored
 * it once, {@code publish_body(...)} of those columns (migration V42): the same bytes either way.
 */
@Singleton
public class PostgresReceiptRepository implements ReceiptRepository {

    private static final String FIND = """
            SELECT j.job_id, s.status, j.created_at,
                   CASE WHEN j.envelope_sha256 IS NOT NULL
                        THEN COALESCE(j.envelope, publish_body(j.signed_payload, j.signature, j.pubkey, j.mode)) END,
                   j.envelope_sha256, h.header
            FROM publish_jobs j JOIN job_states s ON s.job_id = j.job_id
            LEFT JOIN anchor_batches a ON a.batch_id = j.anchor_batch_id
            LEFT JOIN block_headers h ON h.block_hash = COALESCE(j.block_hash, a.block_hash)
            WHERE j.job_id = ?
            """;

    private final DataSource dataSource;

    public PostgresReceiptRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Stored> find(JobId jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setString(1, jobId.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(JobId.parse(rs.getString(1)), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getBytes(4), rs.getString(5), rs.getBytes(6)));
            }
        } catch (SQLException e) {
            throw new StorageException("reading the receipt", e);
        }
    }
}
