package io.raregen.broadcaster.callbacks;

import io.raregen.broadcaster.store.StoreException;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Txid;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL side of {@code arc_callbacks} (V21): takes pending rows with {@code FOR UPDATE SKIP LOCKED}
 * so two broadcasters never take the same row, lets a handler decide each one, and stamps
 * {@code applied_at} and {@code outcome} in the same transaction that locked them.
 */
public final class CallbackInbox {

    /** One stored callback, as the functions app wrote it. */
    public record Pending(long callbackId, Txid txid, String txStatus, String blockHash, Integer blockHeight,
                          byte[] merklePath, List<String> competingTxs, String extraInfo) {
    }

    /** A job that holds a txid, with its current status. */
    public record JobRef(JobId jobId, String status) {
    }

    /** An anchor batch whose transaction a txid is, with its current status. */
    public record AnchorRef(BatchId batchId, String status) {
    }

    /** Read-only look-ups, run in the claiming transaction. */
    public interface Lookups {
        /** The job in flight (signed or sent) whose transaction this is; empty for any other job, or none. */
        Optional<JobRef> jobByTxid(Txid txid) throws SQLException;

        boolean isPoolTransaction(Txid txid) throws SQLException;

        /** The anchor batch whose transaction this is. */
        default Optional<AnchorRef> anchorByTxid(Txid txid) throws SQLException {
            return Optional.empty();
        }
    }

    /** Decides one callback; returns its outcome, or empty to leave it pending for the next round. */
    @FunctionalInterface
    public interface Handler {
        Optional<String> handle(Pending p, Lookups lookups) throws SQLException;
    }

    private static final String TAKE = "SELECT callback_id, txid, tx_status, block_hash, block_height, merkle_path, "
            + "competing_txs, extra_info FROM arc_callbacks WHERE applied_at IS NULL "
            + "ORDER BY callback_id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String MARK = "UPDATE arc_callbacks SET applied_at = now(), outcome = ? "
            + "WHERE callback_id = ? AND applied_at IS NULL";
    /** Bounded, so one prune never holds many row locks; index arc_callbacks_applied (V23) finds the rows. */
    private static final String PRUNE = "DELETE FROM arc_callbacks WHERE callback_id IN (SELECT callback_id "
            + "FROM arc_callbacks WHERE applied_at < now() - make_interval(secs => ?) LIMIT ?)";
    private static final int PRUNE_CHUNK = 10_000;
    private static final String COUNT_ATTEMPT = "UPDATE arc_callbacks SET attempts = attempts + 1 WHERE callback_id = ? "
            + "RETURNING attempts";
    /** The outcome of a callback given up after {@code maxAttempts} failed applications. */
    public static final String FAILED = "failed";

    private final DataSource ds;

    public CallbackInbox(DataSource ds) {
        this.ds = ds;
    }

    /**
     * One transaction: lock up to {@code limit} pending rows (oldest first), hand each to the handler,
     * stamp the decided ones. A row the handler leaves undecided counts one attempt; at {@code maxAttempts}
     * it is stamped {@link #FAILED}. Returns callback id → outcome of the rows stamped, in order.
     */
    public Map<Long, String> applyPending(int limit, int maxAttempts, Handler handler) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<Long, String> done = new LinkedHashMap<>();
                ConnectionLookups lookups = new ConnectionLookups(c);
                for (Pending p : take(c, limit)) {
                    Optional<String> outcome = handler.handle(p, lookups);
                    if (outcome.isPresent()) {
                        done.put(p.callbackId(), outcome.get());
                    } else if (countAttempt(c, p.callbackId()) >= maxAttempts) {
                        done.put(p.callbackId(), FAILED);
                    }
                }
                mark(c, done);
                c.commit();
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("applying ARC callbacks failed", e);
        }
    }

    /**
     * Deletes callbacks applied longer than {@code retention} ago, in chunks; pending ones are never touched.
     *
     * @return how many rows were deleted
     */
    public int pruneApplied(Duration retention) {
        int total = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setDouble(1, retention.toMillis() / 1000.0);
            ps.setInt(2, PRUNE_CHUNK);
            int n;
            do {
                n = ps.executeUpdate();
                total += n;
            } while (n == PRUNE_CHUNK);
            return total;
        } catch (SQLException e) {
            throw new StoreException("pruning applied ARC callbacks failed", e);
        }
    }

    /** Rows not applied yet. */
    public long pendingCount() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM arc_callbacks WHERE applied_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("counting pending ARC callbacks failed", e);
        }
    }

    private static List<Pending> take(Connection c, int limit) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(TAKE)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int height = rs.getInt(5);
                    Integer blockHeight = rs.wasNull() ? null : height;
                    Array competing = rs.getArray(7);
                    List<String> txs = competing == null ? List.of() : Arrays.asList((String[]) competing.getArray());
                    out.add(new Pending(rs.getLong(1), Txid.fromHex(rs.getString(2)), rs.getString(3), rs.getString(4),
                            blockHeight, rs.getBytes(6), List.copyOf(txs), rs.getString(8)));
                }
            }
        }
        return out;
    }

    private static int countAttempt(Connection c, long callbackId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_ATTEMPT)) {
            ps.setLong(1, callbackId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void mark(Connection c, Map<Long, String> done) throws SQLException {
        if (done.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(MARK)) {
            for (Map.Entry<Long, String> e : done.entrySet()) {
                ps.setString(1, e.getValue());
                ps.setLong(2, e.getKey());
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                if (n != 1) {
                    // cannot happen while the rows are locked; if it does, roll back rather than count twice
                    throw new IllegalStateException("an ARC callback was applied by someone else meanwhile");
                }
            }
        }
    }

    /** The look-ups on {@code c}, in its transaction. */
    record ConnectionLookups(Connection c) implements Lookups {
        @Override
        public Optional<JobRef> jobByTxid(Txid txid) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    // a signed row of a sent batch is sent (V47); only a job in flight can take a callback, and the
                    // key over their txids (V58) holds only those: a job mined or failed is not found (no_job)
                    "SELECT j.job_id, s.status FROM publish_jobs j JOIN job_states s USING (job_id) "
                            + "WHERE j.txid = ? AND j.status IN ('signed', 'sent')")) {
                ps.setString(1, txid.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new JobRef(new JobId(rs.getString(1)), rs.getString(2))) : Optional.empty();
                }
            }
        }

        @Override
        public Optional<AnchorRef> anchorByTxid(Txid txid) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT batch_id, status FROM anchor_batches WHERE txid = ?")) {
                ps.setString(1, txid.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new AnchorRef(new BatchId(rs.getString(1)), rs.getString(2))) : Optional.empty();
                }
            }
        }

        @Override
        public boolean isPoolTransaction(Txid txid) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pool_transactions WHERE txid = ?")) {
                ps.setString(1, txid.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        }
    }
}
