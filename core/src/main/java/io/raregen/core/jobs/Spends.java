package io.raregen.core.jobs;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one writer of {@code spends} (the broadcaster's stores and the chain reconciliation both go through it): a row
 * per input of each signed transaction, stored in the same database transaction as the transaction's bytes (a
 * publication's, with its job id, or a pool transaction's, without; one multi-row statement per call), and deleted
 * with a transaction that is discarded, in the caller's database transaction. The table's primary key (the outpoint)
 * makes a second stored spend of one outpoint fail. Since V51 a pool output leaves {@code utxos} once the network
 * accepted its spender ({@link #leaveThePool}, the one statement that takes a spent output out), and its spends row
 * (with the output's value and locking script) is what stays of it: every insert of an output skips an outpoint that
 * has one ({@link #NOT_SPENT}).
 */
public final class Spends {
    private static final String INSERT = "INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis, "
            + "script_pub_key) SELECT * FROM unnest(?::char(64)[], ?::int[], ?::char(64)[], ?::varchar[], ?::bigint[], ?::bytea[])";

    /** A pool row a spend takes out: live, not one an operator retired. */
    private static final String IN_THE_POOL = "u.status IN ('available', 'reserved', 'pending')";

    private static final String LEAVE_THE_POOL = """
            DELETE FROM utxos u
            USING unnest(?::char(64)[], ?::int[]) AS o(txid, vout)
            WHERE u.txid = o.txid AND u.vout = o.vout AND\s""" + IN_THE_POOL;

    /**
     * SQL condition, true when the outpoint {@code <alias>.txid}, {@code <alias>.vout} has no spends row: an output
     * spent (and deleted from the pool) must not be inserted again, e.g. by a result applied twice or a deposit
     * scan that lags behind the chain.
     */
    public static String notSpent(String alias) {
        return "NOT EXISTS (SELECT 1 FROM spends sp WHERE sp.outpoint_txid = " + alias + ".txid AND sp.outpoint_vout = "
                + alias + ".vout)";
    }

    /** {@link #notSpent} for the alias {@code o}. */
    public static final String NOT_SPENT = notSpent("o");

    /**
     * SQL for the locking script of the output the spends row {@code alias} spends: the row's own (since V51), else
     * the pool row's (rows written before V51, whose output stayed in {@code utxos} rewritten 'spent').
     */
    public static String scriptOf(String alias) {
        return "COALESCE(" + alias + ".script_pub_key, (SELECT u.script_pub_key FROM utxos u WHERE u.txid = " + alias
                + ".outpoint_txid AND u.vout = " + alias + ".outpoint_vout))";
    }

    /**
     * SQL condition, true when the output the spends row {@code alias} spends has left the pool: its row was
     * deleted (since V51) or rewritten 'spent' (before).
     */
    public static String outputGone(String alias) {
        return "NOT EXISTS (SELECT 1 FROM utxos u WHERE u.txid = " + alias + ".outpoint_txid AND u.vout = " + alias
                + ".outpoint_vout AND u.status <> 'spent')";
    }

    /**
     * SQL for the spent outputs that left the pool since V51, as one {@code (status, count, satoshis)} row with status
     * {@code 'spent'}; the rows rewritten 'spent' before V51 are still counted from {@code utxos}.
     */
    public static final String SPENT_SINCE_V51 = "SELECT 'spent'::varchar, count(*), COALESCE(sum(s.satoshis), 0) "
            + "FROM spends s WHERE " + leftThePool("s");

    /**
     * SQL condition, true when the output the spends row {@code alias} spends has no pool row any more (spent since
     * V51); {@link #outputGone} also takes the rows rewritten 'spent' before.
     */
    public static String leftThePool(String alias) {
        return "NOT EXISTS (SELECT 1 FROM utxos u WHERE u.txid = " + alias + ".outpoint_txid AND u.vout = " + alias
                + ".outpoint_vout)";
    }

    private final List<String> outpointTxids = new ArrayList<>();
    private final List<Integer> outpointVouts = new ArrayList<>();
    private final List<String> spenders = new ArrayList<>();
    private final List<String> jobIds = new ArrayList<>();
    private final List<Long> satoshis = new ArrayList<>();
    private final List<byte[]> scripts = new ArrayList<>();

    /** Every input of {@code tx}, spent for {@code jobId} (null: a pool transaction). */
    public Spends add(SignedTransaction tx, JobId jobId) {
        for (Utxo in : tx.inputs()) {
            add(in.outpoint(), in.satoshis(), in.lockingScript(), tx.txid(), jobId);
        }
        return this;
    }

    /**
     * One input: {@code outpoint}, worth {@code value}, locked by {@code script} (null: not known), spent by
     * {@code spender} for {@code jobId} (null: none). Since V51 the spends row is all that stays of a spent pool
     * output, so its script is kept here for receipts and re-sends.
     */
    public Spends add(Outpoint outpoint, Satoshis value, byte[] script, Txid spender, JobId jobId) {
        scripts.add(script);
        outpointTxids.add(outpoint.txid().hex());
        outpointVouts.add(outpoint.vout());
        spenders.add(spender.hex());
        jobIds.add(jobId == null ? null : jobId.value());
        satoshis.add(value.value());
        return this;
    }

    /** Inserts what was added, in {@code c}'s transaction; nothing when nothing was added. */
    public void insert(Connection c) throws SQLException {
        insert(c, INSERT);
    }

    /**
     * {@link #insert}, skipping an outpoint that already has its row (whichever spender it names): for a spend found
     * after the fact, such as one the chain reconciliation reads from the chain.
     */
    public void insertMissing(Connection c) throws SQLException {
        insert(c, INSERT + " ON CONFLICT DO NOTHING");
    }

    private void insert(Connection c, String sql) throws SQLException {
        if (outpointTxids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bpchar", outpointTxids.toArray()));
            ps.setArray(2, c.createArrayOf("int4", outpointVouts.toArray()));
            ps.setArray(3, c.createArrayOf("bpchar", spenders.toArray()));
            ps.setArray(4, c.createArrayOf("varchar", jobIds.toArray()));
            ps.setArray(5, c.createArrayOf("int8", satoshis.toArray()));
            ps.setArray(6, c.createArrayOf("bytea", scripts.toArray(new byte[0][])));
            ps.executeUpdate();
        }
    }

    /**
     * Takes the pool rows of the {@code spent} outputs out of {@code utxos}, in {@code c}'s transaction: their spender
     * was accepted, and each one's spends row, written when the spender was stored, is what stays of it (V51). Rows
     * already gone (or retired) are left as they are. Returns how many rows left the pool.
     */
    public static int leaveThePool(Connection c, Collection<Outpoint> spent) throws SQLException {
        if (spent.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(LEAVE_THE_POOL)) {
            ps.setArray(1, c.createArrayOf("bpchar", spent.stream().map(o -> o.txid().hex()).toArray()));
            ps.setArray(2, c.createArrayOf("int4", spent.stream().map(Outpoint::vout).toArray()));
            return ps.executeUpdate();
        }
    }

    /**
     * {@link #leaveThePool} for every input of the pool transaction {@code spender} (a split, a consolidation: its
     * spends rows name no job), read from its spends rows through {@code idx_spends_unowned_spender}.
     */
    public static int leaveThePoolSpentBy(Connection c, Txid spender) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM utxos u
                USING spends s
                WHERE s.spending_txid = ? AND s.job_id IS NULL AND u.txid = s.outpoint_txid AND u.vout = s.outpoint_vout
                  AND\s""" + IN_THE_POOL)) {
            ps.setString(1, spender.hex());
            return ps.executeUpdate();
        }
    }

    /**
     * Deletes the rows of every input {@code spender} spends (a discarded anchor or pool transaction: rows of no job,
     * read through the partial index {@code idx_spends_unowned_spender}, V45).
     */
    public static void deleteBySpender(Connection c, Txid spender) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM spends WHERE spending_txid = ? AND job_id IS NULL")) {
            ps.setString(1, spender.hex());
            ps.executeUpdate();
        }
    }

    /** Deletes the rows of a job's discarded transaction {@code spender} (through {@code idx_spends_job}). */
    public static void deleteForJob(Connection c, JobId jobId, Txid spender) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM spends WHERE job_id = ? AND spending_txid = ?")) {
            ps.setString(1, jobId.value());
            ps.setString(2, spender.hex());
            ps.executeUpdate();
        }
    }
}
