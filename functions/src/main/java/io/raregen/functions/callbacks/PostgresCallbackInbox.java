package io.raregen.functions.callbacks;

import io.raregen.functions.web.StorageException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/** {@link CallbackInbox} over the {@code arc_callbacks} table (migration V21). */
@Singleton
public class PostgresCallbackInbox implements CallbackInbox {

    private static final String INSERT = "INSERT INTO arc_callbacks (txid, tx_status, block_hash, block_height, merkle_path, "
            + "competing_txs, extra_info, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final DataSource dataSource;

    public PostgresCallbackInbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public int store(List<ArcCallback> callbacks) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                int stored = 0;
                for (ArcCallback cb : callbacks) {
                    ps.setString(1, cb.txid());
                    ps.setString(2, cb.txStatus());
                    ps.setString(3, cb.blockHash());
                    if (cb.blockHeight() == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, cb.blockHeight());
                    }
                    ps.setBytes(5, cb.merklePath());
                    ps.setArray(6, cb.competingTxs().isEmpty() ? null : c.createArrayOf("text", cb.competingTxs().toArray()));
                    ps.setString(7, cb.extraInfo());
                    ps.setTimestamp(8, cb.reportedAt() == null ? null : Timestamp.from(cb.reportedAt()));
                    ps.addBatch();
                }
                // one round trip for a batched callback body; each count is 0 (a retry) or 1
                for (int n : ps.executeBatch()) {
                    stored += n;
                }
                c.commit();
                return stored;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("storing ARC callbacks", e);
        }
    }
}
