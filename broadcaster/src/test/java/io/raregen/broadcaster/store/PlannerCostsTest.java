package io.raregen.broadcaster.store;

import io.raregen.broadcaster.utxo.PoolSettings;
import io.raregen.broadcaster.utxo.PostgresUtxoPool;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch statement that joins a few hundred outpoints to utxos must probe the index, not read the
 * whole table (whose size grows with every spent output), and the setting that makes it so must not
 * outlive its transaction. The pool's transactions are checked to run with it; PublishJobStore's
 * transactions make the same call first.
 */
class PlannerCostsTest {

    /** The shape of the pool's batch statements: 500 outpoints joined to utxos (here 20,000 rows). */
    private static final String BATCH_JOIN = """
            EXPLAIN DELETE FROM utxos u
            USING unnest((SELECT array_agg(md5(g::text) || md5(g::text || 'u')) FROM generate_series(1, 500) g)::char(64)[],
                        array_fill(0, ARRAY[500])::int[]) AS o(txid, vout)
            WHERE u.txid = o.txid AND u.vout = o.vout AND u.status IN ('available', 'reserved', 'pending')
            """;

    private static TestDatabase db;

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status)
                    SELECT md5(g::text) || md5(g::text || 'u'), 0, 1000, '\\x76a914'::bytea, 'publish', 'available'
                    FROM generate_series(1, 20000) g""");
            st.execute("ANALYZE utxos");
        }
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void aBatchJoinProbesTheOutpointIndexInsteadOfScanningUtxos() throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            // Postgres's default cost (4, whatever this server is configured with) reads the whole table:
            // what the setting is there to prevent
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL random_page_cost = 4");
            }
            assertTrue(plan(c).contains("Seq Scan on utxos"), "premise: the default plan scans utxos");
            PlannerCosts.inMemoryWorkingSet(c);
            String plan = plan(c);
            assertFalse(plan.contains("Seq Scan on utxos"), plan);
            assertTrue(plan.contains("utxos_outpoint_unique"), plan);
            c.rollback();
        }
    }

    @Test
    void theSettingEndsWithItsTransaction() throws SQLException {
        try (Connection c = connect()) {
            String before = show(c);
            c.setAutoCommit(false);
            PlannerCosts.inMemoryWorkingSet(c);
            assertEquals("1.1", show(c));
            c.commit();
            assertEquals(before, show(c));
        }
    }

    @Test
    void thePoolsTransactionsRunWithIt() {
        PostgresUtxoPool pool = new PostgresUtxoPool(db.dataSource(), new PoolSettings());
        assertEquals("1.1", pool.inTransaction(PlannerCostsTest::show));
    }

    private static String plan(Connection c) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement(BATCH_JOIN); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
        }
        return out.toString();
    }

    private static String show(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW random_page_cost")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl());
    }
}
