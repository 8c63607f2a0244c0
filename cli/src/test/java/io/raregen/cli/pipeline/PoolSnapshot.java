package io.raregen.cli.pipeline;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The pool at one instant, read in one REPEATABLE READ transaction: the sats of every pool output not spent or retired
 * (available, reserved or pending; publish and funding purpose alike) and the txids of the pool's own transactions
 * (splits, consolidations, sweeps) stored so far.
 */
record PoolSnapshot(long sats, Set<String> poolTxids) {

    /** Work still in flight: jobs not yet sent and pool transactions stored but not yet broadcast. */
    private static final String IN_FLIGHT = """
            SELECT (SELECT count(*) FROM job_states WHERE status IN ('queued', 'processing', 'signed'))
                 + (SELECT count(*) FROM pool_transactions WHERE status = 'signed')""";

    static PoolSnapshot take(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            long sats;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(satoshis), 0) FROM utxos WHERE status NOT IN ('spent', 'retired')")) {
                rs.next();
                sats = rs.getLong(1);
            }
            Set<String> txids = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT txid FROM pool_transactions")) {
                while (rs.next()) {
                    txids.add(rs.getString(1));
                }
            }
            c.commit();
            return new PoolSnapshot(sats, txids);
        } finally {
            c.setAutoCommit(auto);
            c.setTransactionIsolation(isolation);
        }
    }

    /**
     * Waits until nothing is in flight and three snapshots 500 ms apart agree, then returns the last; null if that did
     * not happen within {@code timeout}.
     */
    static PoolSnapshot whenIdle(StackDb db, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PoolSnapshot last = null;
        int stable = 0;
        while (System.nanoTime() < deadline) {
            PoolSnapshot now = db.scalar(IN_FLIGHT) == 0 ? take(db.connection()) : null;
            stable = now != null && now.equals(last) ? stable + 1 : 0;
            if (stable == 2) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        return null;
    }
}
