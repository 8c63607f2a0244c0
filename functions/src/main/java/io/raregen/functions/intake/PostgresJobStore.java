package io.raregen.functions.intake;

import io.raregen.core.envelope.VerifiedEnvelope;
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
 * {@link JobStore} on Postgres. The happy path is one auto-committed statement: the insert is
 * guarded by the identity check and made race-safe by the UNIQUE (pubkey, nonce) constraint,
 * so concurrent identical requests produce exactly one row.
 */
@Singleton
public class PostgresJobStore implements JobStore {

    private static final String INSERT = """
            INSERT INTO publish_jobs (job_id, pubkey, nonce, record_id, signed_payload, signature, payload_hash)
            SELECT ?, ?, ?, ?, ?, ?, ?
            WHERE EXISTS (SELECT 1 FROM identities WHERE pubkey = ? AND status = 'active')
            ON CONFLICT ON CONSTRAINT publish_jobs_nonce_per_identity DO NOTHING
            RETURNING created_at
            """;

    private static final String EXPLAIN_MISS = """
            SELECT i.status, j.job_id, j.payload_hash, j.status
            FROM identities i
            LEFT JOIN publish_jobs j ON j.pubkey = i.pubkey AND j.nonce = ?
            WHERE i.pubkey = ?
            """;

    private final DataSource dataSource;

    public PostgresJobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Insertion insert(JobId jobId, VerifiedEnvelope envelope) {
        String pubkey = envelope.publicKey().hex();
        try (Connection c = dataSource.getConnection()) {
            // a second attempt only when the identity was registered between the two statements
            for (int attempt = 0; attempt < 2; attempt++) {
                Optional<Insertion> created = tryInsert(c, jobId, pubkey, envelope);
                if (created.isPresent()) {
                    return created.get();
                }
                Optional<Insertion> explained = explainMiss(c, pubkey, envelope);
                if (explained.isPresent()) {
                    return explained.get();
                }
            }
            throw new SQLException("job for nonce neither inserted nor found");
        } catch (SQLException e) {
            throw new StorageException("storing the job", e);
        }
    }

    private static Optional<Insertion> tryInsert(Connection c, JobId jobId, String pubkey, VerifiedEnvelope envelope)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, jobId.value());
            ps.setString(2, pubkey);
            ps.setString(3, envelope.nonce());
            ps.setString(4, envelope.recordId().orElse(null));
            ps.setString(5, envelope.envelope().signedPayload());
            ps.setString(6, envelope.envelope().signature());
            ps.setString(7, envelope.payloadHashHex());
            ps.setString(8, pubkey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Insertion.Created(jobId, rs.getTimestamp(1).toInstant())) : Optional.empty();
            }
        }
    }

    /** Why nothing was inserted; empty when the key is active and the nonce free (a race: try again). */
    private static Optional<Insertion> explainMiss(Connection c, String pubkey, VerifiedEnvelope envelope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXPLAIN_MISS)) {
            ps.setString(1, envelope.nonce());
            ps.setString(2, pubkey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of(new Insertion.UnknownIdentity());
                }
                if ("revoked".equals(rs.getString(1))) {
                    return Optional.of(new Insertion.RevokedIdentity());
                }
                String existing = rs.getString(2);
                if (existing == null) {
                    return Optional.empty();
                }
                boolean same = envelope.payloadHashHex().equals(rs.getString(3));
                return Optional.of(new Insertion.Existing(JobId.parse(existing), rs.getString(4), same));
            }
        }
    }
}
