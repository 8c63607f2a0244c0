package io.raregen.functions.verification;

import io.raregen.core.jobs.Spends;
import io.raregen.core.types.JobId;
import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ProofRepository} on {@code publish_jobs}, {@code spends} and {@code utxos}; a job's transaction bytes are in
 * {@code publish_job_transactions} (in {@code publish_jobs.raw_tx} for jobs signed before V43); an anchor-mode job's
 * transaction and block are its batch's ({@code anchor_batches}).
 */
@Singleton
public class PostgresProofRepository implements ProofRepository {

    private static final String JOB = """
            SELECT j.job_id, s.status, COALESCE(t.raw_tx, j.raw_tx, a.raw_tx), COALESCE(j.txid, a.txid), j.signed_payload,
                   j.signature, j.pubkey, COALESCE(j.merkle_path, a.merkle_path), COALESCE(j.block_hash, a.block_hash),
                   COALESCE(j.block_height, a.block_height), a.batch_id, j.anchor_leaf_index, a.tree_size, j.anchor_path, a.root
            FROM publish_jobs j JOIN job_states s ON s.job_id = j.job_id
            LEFT JOIN anchor_batches a ON a.batch_id = j.anchor_batch_id
            LEFT JOIN publish_job_transactions t ON t.job_id = j.job_id
            WHERE j.job_id = ?
            """;
    // the inputs of a job's own transaction, by its job id (idx_spends_job), or of its anchor batch's transaction, by
    // that txid among the rows of no job (idx_spends_unowned_spender, V45)
    private static final String SPENDS = """
            SELECT s.outpoint_txid, s.outpoint_vout, s.satoshis, %s
            FROM spends s
            WHERE s.spending_txid = ? AND %%s
            """.formatted(Spends.scriptOf("s"));
    /** Parameters: the txid, the job id (public for the operator query plan test). */
    public static final String JOB_SPENDS = SPENDS.formatted("s.job_id = ?");
    /** Parameter: the anchor transaction's txid (public for the operator query plan test). */
    public static final String ANCHOR_SPENDS = SPENDS.formatted("s.job_id IS NULL");

    private final DataSource dataSource;

    public PostgresProofRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<ProofSource> find(JobId jobId) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(JOB)) {
                ps.setString(1, jobId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String txid = rs.getString(4);
                    String batchId = rs.getString(11);
                    ProofSource.Anchored anchor = batchId == null ? null : new ProofSource.Anchored(batchId, rs.getInt(12),
                            rs.getInt(13), rs.getBytes(14), rs.getString(15));
                    return Optional.of(new ProofSource(rs.getString(1), rs.getString(2), rs.getBytes(3), txid,
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getString(9),
                            (Integer) rs.getObject(10), txid == null ? List.of() : spends(c, txid, anchor == null ? jobId : null),
                            anchor));
                }
            }
        } catch (SQLException e) {
            throw new StorageException("reading the proof", e);
        }
    }

    /** The inputs of transaction {@code txid}: the job's own ({@code owner}), or its anchor batch's (null). */
    private static List<ProofSource.Spend> spends(Connection c, String txid, JobId owner) throws SQLException {
        List<ProofSource.Spend> spends = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(owner == null ? ANCHOR_SPENDS : JOB_SPENDS)) {
            ps.setString(1, txid);
            if (owner != null) {
                ps.setString(2, owner.value());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    spends.add(new ProofSource.Spend(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getBytes(4)));
                }
            }
        }
        return spends;
    }
}
