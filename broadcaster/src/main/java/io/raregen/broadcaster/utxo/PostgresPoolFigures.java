package io.raregen.broadcaster.utxo;

import io.raregen.core.jobs.LivePool;
import io.raregen.core.jobs.Spends;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool's figures in Postgres: the cheap live {@link PoolDepth} (read every few seconds) and the
 * history-wide {@link PoolSnapshot} audit (read rarely).
 */
final class PostgresPoolFigures {

    private final DataSource dataSource;
    private final PoolSettings settings;

    PostgresPoolFigures(DataSource dataSource, PoolSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** The live rows only ({@link LivePool}, one narrow index per status), however long the history. */
    static final String DEPTH = """
            SELECT status, count(*), COALESCE(sum(satoshis), 0),
              count(*) FILTER (WHERE purpose = 'publish' AND status = 'available' AND NOT dirty AND chain_depth < ?),
              COALESCE(sum(satoshis) FILTER (WHERE purpose = 'funding' AND status = 'available' AND NOT dirty), 0)
            FROM\s""" + LivePool.ROWS + " AS u GROUP BY status";

    /** The pool rows by status, and the outputs spent since V51 (gone from utxos: their spends rows) as 'spent'. */
    static final String SNAPSHOT_GROUPS = "SELECT status, count(*), COALESCE(sum(satoshis), 0) FROM utxos GROUP BY status"
            + " UNION ALL " + Spends.SPENT_SINCE_V51;

    /**
     * Fees count from the moment the pool counts a transaction's inputs as spent: sent or mined, or still signed with
     * its inputs already gone from the pool (the results write the pool first; since V51 a spent output's row is
     * deleted, before it was rewritten 'spent'). Its inputs are its {@code spends} rows; {@code %1$s} is the alias of
     * the row whose {@code txid} and {@code status} are asked, {@code %2$s} says whose rows they are: a job's by its
     * id ({@code idx_spends_job}), a pool or anchor transaction's by its txid among the rows of no job
     * ({@code idx_spends_unowned_spender}, V45).
     */
    private static final String FEE_COUNTS = """
            %1$s.status IN ('sent', 'mined')
                 OR (%1$s.status = 'signed' AND EXISTS (SELECT 1 FROM spends sp
                   WHERE %2$s AND sp.spending_txid = %1$s.txid AND\s""" + Spends.outputGone("sp") + "))";

    /**
     * {@code funded}: every output that came from outside (no transaction of ours made it), live or spent. A sum over
     * the whole history, read rarely ({@link PoolMetrics#refreshAll()}); it asks {@code publish_jobs} by txid for each
     * output, which without a key over every job's txid (V59 dropped it) Postgres answers by one hash
     * anti-join over the table rather than one probe per output.
     */
    static final String SNAPSHOT_FIGURES = """
            SELECT
              (SELECT count(*) FROM utxos WHERE purpose = 'publish' AND status = 'available' AND dirty = FALSE
                 AND chain_depth < ?) AS publish_available,
              (SELECT COALESCE(sum(satoshis), 0) FROM utxos WHERE purpose = 'funding' AND status = 'available'
                 AND dirty = FALSE) AS funding_available_sats,
              (SELECT COALESCE(sum(j.fee_sats), 0) FROM publish_jobs j WHERE %s)
              + (SELECT COALESCE(sum(t.fee_sats), 0) FROM pool_transactions t WHERE %s)
              + (SELECT COALESCE(sum(a.fee_sats), 0) FROM anchor_batches a WHERE %s) AS fees,
              (SELECT COALESCE(sum(o.satoshis), 0) FROM (
                   SELECT u.txid, u.satoshis FROM utxos u WHERE u.status <> 'pending'
                   UNION ALL
                   SELECT s.outpoint_txid, s.satoshis FROM spends s WHERE %s) AS o
                 WHERE NOT EXISTS (SELECT 1 FROM publish_jobs j WHERE j.txid = o.txid)
                   AND NOT EXISTS (SELECT 1 FROM pool_transactions p WHERE p.txid = o.txid)
                   AND NOT EXISTS (SELECT 1 FROM anchor_batches a WHERE a.txid = o.txid)) AS funded
            """.formatted(FEE_COUNTS.formatted("j", "sp.job_id = j.job_id"), FEE_COUNTS.formatted("t", "sp.job_id IS NULL"),
                    FEE_COUNTS.formatted("a", "sp.job_id IS NULL"), Spends.leftThePool("s"));

    public PoolDepth depth() {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> sats = new LinkedHashMap<>();
        for (String s : List.of("pending", "available", "reserved")) {
            counts.put(s, 0L);
            sats.put(s, 0L);
        }
        long publishAvailable = 0;
        long fundingSats = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DEPTH)) {
            ps.setInt(1, settings.getMaxChainDepth());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                    sats.put(rs.getString(1), rs.getLong(3));
                    publishAvailable += rs.getLong(4);
                    fundingSats += rs.getLong(5);
                }
            }
        } catch (SQLException e) {
            throw new PoolStorageException("reading the pool depth failed", e);
        }
        return new PoolDepth(counts, sats, publishAvailable, fundingSats);
    }

    /** One REPEATABLE READ transaction, so every figure describes the same instant. */
    public PoolSnapshot snapshot() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Map<String, Long> counts = new LinkedHashMap<>();
                Map<String, Long> sats = new LinkedHashMap<>();
                for (String s : List.of("pending", "available", "reserved", "spent", "retired")) {
                    counts.put(s, 0L);
                    sats.put(s, 0L);
                }
                try (PreparedStatement ps = c.prepareStatement(SNAPSHOT_GROUPS); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
                        sats.merge(rs.getString(1), rs.getLong(3), Long::sum);
                    }
                }
                PoolSnapshot snap;
                try (PreparedStatement ps = c.prepareStatement(SNAPSHOT_FIGURES)) {
                    ps.setInt(1, settings.getMaxChainDepth());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        snap = new PoolSnapshot(counts, sats, rs.getLong(1), rs.getLong(2),
                                sats.get("available") + sats.get("reserved"), rs.getLong(3), sats.get("retired"),
                                rs.getLong(4));
                    }
                }
                c.commit();
                return snap;
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new PoolStorageException("snapshot failed", e);
        }
    }
}
