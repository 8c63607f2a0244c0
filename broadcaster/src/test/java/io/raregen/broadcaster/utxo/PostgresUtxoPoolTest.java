package io.raregen.broadcaster.utxo;

import com.zaxxer.hikari.HikariDataSource;
import io.raregen.broadcaster.replenish.PoolTransactionStore;
import io.raregen.broadcaster.utxo.UtxoPool.Purpose;
import io.raregen.core.jobs.LivePool;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static io.raregen.broadcaster.utxo.PoolTestData.randomTxid;
import static io.raregen.broadcaster.utxo.PoolTestData.utxo;
import static io.raregen.broadcaster.utxo.PoolTestData.utxos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The pool contract against a real, migrated Postgres, plus what only Postgres has (pending rows). */
class PostgresUtxoPoolTest extends UtxoPoolContract {

    private static TestDatabase db;
    private static HikariDataSource ds;
    private PostgresUtxoPool pool;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        ds = PoolTestData.pooled(db, 20);
    }

    @AfterAll
    static void drop() {
        ds.close();
        db.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE utxos, spends, pool_transactions");
        }
    }

    @Override
    protected UtxoPool pool() {
        PoolSettings s = new PoolSettings();
        s.setMaxChainDepth(MAX_DEPTH);
        pool = new PostgresUtxoPool(ds, s);
        return pool;
    }

    @Override
    protected void recordSpend(Outpoint outpoint, Txid spendingTxid) {
        // as the stores write it: the output's value and script, from its pool row
        exec("""
                INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis, script_pub_key)
                SELECT o.txid, o.vout, o.spender, COALESCE(u.satoshis, 0), u.script_pub_key
                FROM (VALUES (?::char(64), ?::int, ?::char(64))) AS o(txid, vout, spender)
                LEFT JOIN utxos u ON u.txid = o.txid AND u.vout = o.vout""",
                outpoint.txid().hex(), outpoint.vout(), spendingTxid.hex());
    }

    @Override
    protected void recordAcceptedPoolTxFee(Txid txid, long fee) {
        exec("INSERT INTO pool_transactions (txid, kind, raw_tx, fee_sats, status) VALUES (?, 'split', '\\x00', ?, 'sent')",
                txid.hex(), fee);
    }

    @Override
    protected Instant reservedUntil(Outpoint outpoint) {
        return query("SELECT reserved_until FROM utxos WHERE txid = ? AND vout = ?", outpoint,
                rs -> rs.getTimestamp(1).toInstant());
    }

    @Override
    protected String status(Outpoint outpoint) {
        return query("SELECT status FROM utxos WHERE txid = ? AND vout = ?", outpoint, rs -> rs.getString(1));
    }

    @Override
    protected boolean spent(Outpoint outpoint) {
        // since V51 a spent output's row is deleted; its spends row stays
        return query("""
                SELECT NOT EXISTS (SELECT 1 FROM utxos WHERE txid = o.txid AND vout = o.vout)
                   AND EXISTS (SELECT 1 FROM spends WHERE outpoint_txid = o.txid AND outpoint_vout = o.vout)
                FROM (VALUES (?::char(64), ?::int)) AS o(txid, vout)""", outpoint, rs -> rs.getBoolean(1));
    }

    @Override
    protected int chainDepth(Outpoint outpoint) {
        return query("SELECT chain_depth FROM utxos WHERE txid = ? AND vout = ?", outpoint, rs -> rs.getInt(1));
    }

    @Test
    void snapshot_countsASignedTransactionsFee_onceThePoolHasItsStoredInputsSpent() {
        // GIVEN a signed (stored, not yet accepted) transaction: its row and its spends row, its input still available
        UtxoPool p = pool();
        Utxo in = utxo(100);
        p.add(List.of(in), Purpose.PUBLISH, 0);
        Txid t = randomTxid();
        exec("INSERT INTO pool_transactions (txid, kind, raw_tx, fee_sats, status) VALUES (?, 'split', '\\x00', 1, 'signed')",
                t.hex());
        exec("INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis) VALUES (?, ?, ?, 100)",
                in.outpoint().txid().hex(), in.outpoint().vout(), t.hex());
        PoolSnapshot before = p.snapshot();
        assertEquals(0, before.feesPaidSats(), "not a fee while the pool still counts its input");
        assertEquals(0, before.conservationGapSats());

        // WHEN the results write the pool first (input spent by it, change added), the job still signed
        p.confirmSpent(t, List.of(in.outpoint()), List.of(new Utxo(new Outpoint(t, 1), Satoshis.of(99), in.lockingScript())),
                Purpose.PUBLISH);

        // THEN its fee counts, found through its spends row, and every satoshi is accounted for
        PoolSnapshot after = p.snapshot();
        assertEquals(1, after.feesPaidSats());
        assertEquals(99, after.totalUnspentSats());
        assertEquals(0, after.conservationGapSats());
    }

    @Test
    void confirmSpent_promotesWriteAheadPendingOutputsToAvailable() throws SQLException {
        UtxoPool p = pool();
        Utxo in = utxo(1_000);
        p.add(List.of(in), Purpose.FUNDING, 0);
        Txid split = randomTxid();
        Utxo out = new Utxo(new Outpoint(split, 0), Satoshis.of(100), PoolTestData.POOL_KEY.p2pkhLockingScript());
        try (Connection c = ds.getConnection()) {
            PostgresUtxoPool.insertOutputs(c, List.of(out), Purpose.PUBLISH, "pending", 1);
        }
        assertEquals("pending", status(out.outpoint()));
        assertEquals(0, p.snapshot().publishAvailable(), "pending outputs are not spendable yet");

        p.confirmSpent(split, List.of(in.outpoint()), List.of(out), Purpose.PUBLISH);

        assertEquals("available", status(out.outpoint()));
        assertEquals(1, p.snapshot().publishAvailable());
    }

    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Outpoint o, RowReader<T> reader) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, o.txid().hex());
            ps.setInt(2, o.vout());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no utxo " + o);
                }
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The batch reservation runs without JIT compilation. Its plan's cost estimate multiplies the planner's guesses
     * and passes {@code jit_above_cost} once the pool holds some tens of thousands of outputs; Postgres then compiled
     * the statement at every call, which took longer than running it. Here the threshold is 0, so that a small pool
     * shows what a deep one does: the plan compiles without the reservation's settings and does not with them.
     */
    @Test
    void theBatchReservation_isNotJitCompiled_evenAboveTheJitCostThreshold() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT pg_jit_available()");
            rs.next();
            assumeTrue(rs.getBoolean(1), "this Postgres server has no JIT provider");
        }
        PostgresUtxoPool p = (PostgresUtxoPool) pool();
        p.add(PoolTestData.utxos(50, 1000), Purpose.PUBLISH, 0);
        String[] plans = p.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL jit = on; SET LOCAL jit_above_cost = 0");
            }
            String before = explainReservation(c);
            PostgresReservations.planForThisBatch(c);
            return new String[]{before, explainReservation(c)};
        });
        assertTrue(plans[0].contains("JIT:"), "without the reservation's settings the plan compiles:\n" + plans[0]);
        assertFalse(plans[1].contains("JIT:"), plans[1]);
    }

    /**
     * The reservations find their rows by outpoint, the pool's primary key since V56 (whose constraint kept the name
     * utxos_outpoint_unique); the id has had no index since (an entry in it for every insert and every reservation).
     */
    @Test
    void theReservations_findTheirRowsWithoutTheIdIndex() throws SQLException {
        PostgresUtxoPool p = (PostgresUtxoPool) pool();
        p.add(utxos(2000, 1000), Purpose.PUBLISH, 0);
        exec("ANALYZE utxos");
        String[] plans = p.inTransaction(c -> {
            PostgresReservations.planForThisBatch(c);
            String several = explain(c, PostgresReservations.RESERVE_OUTPOINTS, ps -> {
                ps.setLong(1, 60_000);
                ps.setString(2, "test");
                PostgresUtxoPool.setOutpoints(c, ps, 3, List.of(new Outpoint(randomTxid(), 0), new Outpoint(randomTxid(), 1)));
            });
            return new String[]{explainReservation(c), several};
        });
        for (String plan : plans) {
            assertTrue(plan.contains("utxos_outpoint_unique"), plan);
            assertFalse(plan.contains("utxos_pkey"), plan);
            assertFalse(plan.contains("Seq Scan on utxos"), plan);
        }
    }

    private static String explainReservation(Connection c) throws SQLException {
        return explain(c, PostgresReservations.RESERVE_BATCH, ps -> {
            ps.setArray(1, c.createArrayOf("bigint", new Long[]{500L, 500L, 700L}));
            ps.setInt(2, MAX_DEPTH);
            ps.setLong(3, 60_000);
            ps.setString(4, "test");
        });
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** The text plan of {@code sql} in {@code c}, with its parameters bound by {@code binder}. */
    private static String explain(Connection c, String sql, Binder binder) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
        }
        return out.toString();
    }

    /**
     * V51: every insert of a batch's change outputs checks that none was spent already. With a long history that
     * check must probe the spends table's key for each output, not read the table.
     */
    @Test
    void theChangeInsert_probesTheSpendsOfItsOutpoints_insteadOfReadingTheHistory() {
        exec("""
                INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, satoshis, script_pub_key)
                SELECT md5(g::text) || md5(g::text || 's'), 1, md5(g::text || 't') || md5(g::text || 'x'), 975, '\\x76a9'
                FROM generate_series(1, 20000) g""");
        exec("ANALYZE spends");
        int n = 500;
        Object[] spender = new Object[n];
        Object[] txid = new Object[n];
        Object[] vout = new Object[n];
        Object[] sats = new Object[n];
        byte[][] script = new byte[n][];
        Object[] purpose = new Object[n];
        for (int i = 0; i < n; i++) {
            spender[i] = i;
            txid[i] = randomTxid().hex();
            vout[i] = 1;
            sats[i] = 975L;
            script[i] = new byte[]{0x76};
            purpose[i] = "publish";
        }
        PostgresUtxoPool p = (PostgresUtxoPool) pool();
        String plan = p.inTransaction(c -> explain(c, PostgresUtxoPool.INSERT_OUTPUTS_ALL,
                ps -> new PostgresUtxoPool.OutputsAll(spender, txid, vout, txid, vout, sats, script, spender, purpose).bind(c, ps)));
        assertTrue(plan.contains("spends_pkey"), plan);
        assertFalse(plan.contains("Seq Scan on spends"), plan);
    }

    /**
     * V55: the live figures read the pool one status at a time ({@link LivePool#ROWS}), through the indexes that hold
     * exactly those rows. Whatever mix of statuses, purposes and dirty flags, those branches give every live row once
     * and nothing else: the same rows as the table filtered on the live statuses.
     */
    @Test
    void theLivePool_isEveryPendingAvailableAndReservedRow_once_andNothingElse() {
        int i = 0;
        for (String status : List.of("pending", "available", "reserved", "spent", "retired")) {
            for (String purpose : List.of("publish", "funding")) {
                for (boolean dirty : List.of(false, true)) {
                    for (int k = 0; k < 3; k++, i++) {
                        exec("""
                                INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, reserved_until,
                                                   spent_by_txid, dirty, dirty_reason, chain_depth)
                                VALUES (?, 0, ?, '\\x76a9', ?, ?, CASE WHEN ? = 'reserved' THEN now() END,
                                        CASE WHEN ? = 'spent' THEN repeat('e', 64) END, ?, CASE WHEN ? THEN 'test' END, ?)""",
                                randomTxid().hex(), 1000L + i, purpose, status, status, status, dirty, dirty, i % 4);
                    }
                }
            }
        }
        String columns = "status, purpose, satoshis, dirty, chain_depth";
        assertEquals(rows("SELECT " + columns + " FROM utxos WHERE status IN ('pending', 'available', 'reserved')"),
                rows("SELECT " + columns + " FROM " + LivePool.ROWS + " AS u"));
        assertEquals(36, rows("SELECT " + columns + " FROM " + LivePool.ROWS + " AS u").size());
    }

    /**
     * V55/V56: the figures read every few seconds cost what the live pool holds without V22's index of all live rows
     * (two entries per record; V56 dropped it): with 20,000 rows rewritten 'spent' before V51 beside a live pool, none
     * of the figures reads utxos from end to end. The premise: their former form (one scan filtered on the live
     * statuses) does.
     */
    @Test
    void withoutTheIndexOfAllLiveRows_theLiveFiguresReadNoSpentRowOfBeforeV51() throws SQLException {
        exec("""
                INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, spent_by_txid)
                SELECT md5(g::text) || md5(g::text || 'u'), 0, 1000, '\\x76a9', 'publish', 'spent', repeat('e', 64)
                FROM generate_series(1, 20000) g""");
        pool().add(utxos(50, 1000), Purpose.PUBLISH, 0);
        exec("ANALYZE utxos");
        try (Connection c = ds.getConnection()) {
            for (String sql : List.of(PostgresPoolFigures.DEPTH, PoolTransactionStore.PUBLISH_DEPTH_INCLUDING_PENDING)) {
                String plan = explain(c, sql, ps -> ps.setInt(1, 25));
                assertFalse(plan.contains("Seq Scan on utxos"), plan);
            }
            String before = explain(c, "SELECT status, count(*) FROM utxos WHERE status IN ('pending', 'available', 'reserved')"
                    + " GROUP BY status", ps -> { });
            assertTrue(before.contains("Seq Scan on utxos"), before);
        }
    }

    /** The rows of {@code sql}, each as its columns joined, sorted (a multiset to compare). */
    private List<String> rows(String sql) {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int k = 1; k <= n; k++) {
                    row.append(rs.getString(k)).append('|');
                }
                out.add(row.toString());
            }
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
        out.sort(null);
        return out;
    }

    private void exec(String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
