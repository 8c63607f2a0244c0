package io.raregen.broadcaster.headers;

import io.raregen.broadcaster.store.StoreException;
import io.raregen.core.proof.BlockHeader;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code block_headers}, and moving a block's jobs back to sent when the block left the chain. */
public final class HeaderStore {

    /** A stored header with the height the check accepted it at. */
    public record Stored(String blockHash, long height, BlockHeader header) {
    }

    /** A job moved back to sent. */
    public record Reorged(JobId jobId, Txid txid) {
    }

    private final DataSource dataSource;

    public HeaderStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Stored> find(String blockHash) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT block_height, header FROM block_headers WHERE block_hash = ?")) {
            ps.setString(1, blockHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(blockHash, rs.getLong(1), new BlockHeader(rs.getBytes(2)))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading block header " + blockHash, e);
        }
    }

    public void save(String blockHash, long height, BlockHeader header, String source) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO block_headers (block_hash, block_height, header, source) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (block_hash) DO NOTHING")) {
            ps.setString(1, blockHash);
            ps.setLong(2, height);
            ps.setBytes(3, header.raw());
            ps.setString(4, source);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("storing block header " + blockHash, e);
        }
    }

    /** Blocks fetched within {@code window}, least recently re-checked first; stamps them as checked. */
    public List<Stored> takeRecent(Duration window, int limit) {
        List<Stored> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE block_headers SET checked_at = now() WHERE block_hash IN ("
                        + " SELECT block_hash FROM block_headers WHERE fetched_at > now() - make_interval(secs => ?)"
                        + " ORDER BY checked_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING block_hash, block_height, header")) {
            ps.setDouble(1, window.toMillis() / 1000.0);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getString(1), rs.getLong(2), new BlockHeader(rs.getBytes(3))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading recent block headers", e);
        }
    }

    /**
     * The block left the chain: in one transaction its mined jobs go back to sent (block data cleared,
     * the transition audited with {@code reason}), and so do its anchor batches with their jobs, and its header is
     * forgotten. Returns the record-mode jobs moved (an anchor batch's proof is fetched again by the anchoring
     * window's confirmation poll).
     */
    public List<Reorged> reorg(String blockHash, String reason) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT set_config('raregen.transition_reason', ?, true)")) {
                    ps.setString(1, reason);
                    ps.execute();
                }
                List<Reorged> moved = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE publish_jobs SET status = 'sent', block_hash = NULL, block_height = NULL, merkle_path = NULL, "
                                + "mined_at = NULL, status_checked_at = NULL WHERE block_hash = ? AND status = 'mined' "
                                + "RETURNING job_id, txid")) {
                    ps.setString(1, blockHash);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            moved.add(new Reorged(new JobId(rs.getString(1)), Txid.fromHex(rs.getString(2))));
                        }
                    }
                }
                // anchor batches mined in that block, and their jobs, go back to sent too; the anchoring window's
                // confirmation poll takes them on to the new block
                try (PreparedStatement ps = c.prepareStatement("""
                        WITH b AS (
                          UPDATE anchor_batches SET status = 'sent', block_hash = NULL, block_height = NULL, merkle_path = NULL,
                                 mined_at = NULL, status_checked_at = NULL
                          WHERE block_hash = ? AND status = 'mined' RETURNING batch_id
                        )
                        UPDATE publish_jobs j SET status = 'sent', mined_at = NULL, status_checked_at = NULL
                        FROM b WHERE j.anchor_batch_id = b.batch_id AND j.status = 'mined'""")) {
                    ps.setString(1, blockHash);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM block_headers WHERE block_hash = ?")) {
                    ps.setString(1, blockHash);
                    ps.executeUpdate();
                }
                c.commit();
                return moved;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("moving the jobs of block " + blockHash + " back to sent", e);
        }
    }
}
