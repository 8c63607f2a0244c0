package io.raregen.broadcaster.utxo;

import io.raregen.core.jobs.Spends;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import io.raregen.broadcaster.store.Transactions;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The UTXO pool in Postgres ({@code utxos}, {@code spends}), plain JDBC. Every operation is one
 * short database transaction; reservation of a whole batch is one statement
 * ({@link PostgresReservations}); the figures are read by {@link PostgresPoolFigures}.
 */
@Singleton
public class PostgresUtxoPool implements UtxoPool {

    static final String NO_SPEND = "NOT EXISTS (SELECT 1 FROM spends s WHERE s.outpoint_txid = u.txid AND s.outpoint_vout = u.vout)";

    static final String RELEASE = """
            UPDATE utxos u SET status = 'available', reserved_at = NULL, reserved_until = NULL, reserved_by = NULL
            FROM unnest(?::char(64)[], ?::int[]) AS o(txid, vout)
            WHERE u.txid = o.txid AND u.vout = o.vout AND u.status = 'reserved' AND\s""" + NO_SPEND;

    static final String RELEASE_EXPIRED = """
            UPDATE utxos u SET status = 'available', reserved_at = NULL, reserved_until = NULL, reserved_by = NULL
            WHERE u.status = 'reserved' AND u.reserved_until < ? AND\s""" + NO_SPEND;

    static final String INPUT_DEPTH = """
            SELECT COALESCE(max(u.chain_depth), 0) FROM utxos u
            JOIN unnest(?::char(64)[], ?::int[]) AS o(txid, vout) ON u.txid = o.txid AND u.vout = o.vout
            """;

    /**
     * Outputs into the pool. A spent output left it (V51, {@link Spends#leaveThePool}) and its spends row is what
     * stays of it: every insert of an output skips an outpoint that has a spends row ({@link Spends#NOT_SPENT}), so a
     * deleted output never comes back.
     */
    static final String INSERT_OUTPUTS = """
            INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, chain_depth)
            SELECT o.txid, o.vout, o.sats, o.script, ?, ?, ?
            FROM unnest(?::char(64)[], ?::int[], ?::bigint[], ?::bytea[]) AS o(txid, vout, sats, script)
            WHERE\s""" + Spends.NOT_SPENT + """

            ON CONFLICT (txid, vout) DO UPDATE
               SET status = 'available',
                   chain_depth = CASE WHEN utxos.block_height IS NULL THEN EXCLUDED.chain_depth ELSE 0 END
             WHERE utxos.status = 'pending' AND EXCLUDED.status = 'available'
            """;


    /**
     * {@link #INSERT_OUTPUTS} with status 'available' for many transactions at once: each output's
     * depth is 1 + the deepest input of its own spending transaction (inputs not in the pool count 0),
     * exactly what {@link #INPUT_DEPTH} gives per transaction.
     */
    static final String INSERT_OUTPUTS_ALL = """
            WITH ins AS (
              SELECT i.spender, COALESCE(max(u.chain_depth), 0) + 1 AS depth
              FROM unnest(?::int[], ?::char(64)[], ?::int[]) AS i(spender, txid, vout)
              LEFT JOIN utxos u ON u.txid = i.txid AND u.vout = i.vout
              GROUP BY i.spender
            )
            INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, chain_depth)
            SELECT o.txid, o.vout, o.sats, o.script, o.purpose, 'available', COALESCE(ins.depth, 1)
            FROM unnest(?::char(64)[], ?::int[], ?::bigint[], ?::bytea[], ?::int[], ?::varchar[])
                   AS o(txid, vout, sats, script, spender, purpose)
            LEFT JOIN ins ON ins.spender = o.spender
            WHERE\s""" + Spends.NOT_SPENT + """

            ON CONFLICT (txid, vout) DO UPDATE
               SET status = 'available',
                   chain_depth = CASE WHEN utxos.block_height IS NULL THEN EXCLUDED.chain_depth ELSE 0 END
             WHERE utxos.status = 'pending'
            """;

    private final DataSource dataSource;
    private final PoolSettings settings;
    private final PostgresReservations reservations;
    private final PostgresPoolFigures figures;

    /** For tests and tools: any DataSource, typed settings, no application context. */
    public PostgresUtxoPool(DataSource dataSource, PoolSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.reservations = new PostgresReservations(settings);
        this.figures = new PostgresPoolFigures(dataSource, settings);
    }

    /** Micronaut wraps the DataSource for its own transactions; plain JDBC needs the real one. */
    @Inject
    public PostgresUtxoPool(DataSource dataSource, @Nullable DataSourceResolver resolver, PoolSettings settings) {
        this(resolver == null ? dataSource : resolver.resolve(dataSource), settings);
    }

    public PoolSettings settings() {
        return settings;
    }

    @Override
    public List<Reservation> reserve(List<ReservationRequest> requests, String holder, Duration lease) {
        if (requests.isEmpty()) {
            return List.of();
        }
        return inTransaction(c -> {
            Map<Integer, List<Row>> byOrd = reservations.reserveBatch(c, requests, holder, lease);
            for (int ord = 1; ord <= requests.size(); ord++) {
                if (!byOrd.containsKey(ord)) {
                    List<Row> rows = reservations.reserveSeveral(c, requests.get(ord - 1), holder, lease);
                    if (!rows.isEmpty()) {
                        byOrd.put(ord, rows);
                    }
                }
            }
            List<Reservation> out = new ArrayList<>(byOrd.size());
            for (int ord = 1; ord <= requests.size(); ord++) {
                List<Row> rows = byOrd.get(ord);
                if (rows != null) {
                    out.add(new Reservation(requests.get(ord - 1).jobId(),
                            rows.stream().map(Row::utxo).toList(),
                            rows.stream().mapToInt(Row::depth).max().orElse(0)));
                }
            }
            return out;
        });
    }

    @Override
    public void release(Collection<Outpoint> outpoints) {
        if (outpoints.isEmpty()) {
            return;
        }
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(RELEASE)) {
                setOutpoints(c, ps, 1, outpoints);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void confirmSpent(Txid spendingTxid, Collection<Outpoint> inputs, List<Utxo> newOutputs, Purpose purpose) {
        inTransaction(c -> {
            applySpend(c, inputs, newOutputs, purpose);
            return null;
        });
    }

    /**
     * One database transaction for the whole list, set-based: one UPDATE marks every input spent and
     * one INSERT adds every new output, each output's chain depth computed in SQL from its own
     * transaction's inputs. Same result as {@link #confirmSpent} once per element, in order, as
     * long as no element spends another element's new output (then that is exactly what runs).
     */
    @Override
    public void confirmSpentAll(List<Spend> spends) {
        if (spends.isEmpty()) {
            return;
        }
        if (!independent(spends)) {
            inTransaction(c -> {
                for (Spend s : spends) {
                    applySpend(c, s.inputs(), s.newOutputs(), s.purpose());
                }
                return null;
            });
            return;
        }
        // Inputs: each distinct outpoint once (the sequential form finds a repeated one already gone).
        Set<Outpoint> spent = new LinkedHashSet<>();
        // Depth per element (by its index in the list): all of its inputs, also one listed again later.
        List<Integer> depthOf = new ArrayList<>();
        List<String> depthInTxid = new ArrayList<>();
        List<Integer> depthInVout = new ArrayList<>();
        // Outputs: the first occurrence of an outpoint; a repeat in the sequential form only re-applies it.
        Map<Outpoint, Object[]> outputs = new LinkedHashMap<>();
        for (int k = 0; k < spends.size(); k++) {
            Spend s = spends.get(k);
            for (Outpoint o : s.inputs()) {
                spent.add(o);
                depthOf.add(k);
                depthInTxid.add(o.txid().hex());
                depthInVout.add(o.vout());
            }
            for (Utxo u : s.newOutputs()) {
                outputs.putIfAbsent(u.outpoint(), new Object[]{u, k, purposeName(s.purpose())});
            }
        }
        inTransaction(c -> {
            if (!outputs.isEmpty()) {
                // depths first: they are read from the inputs' rows, which the spend update does not change
                int n = outputs.size();
                String[] txids = new String[n];
                Integer[] vouts = new Integer[n];
                Long[] sats = new Long[n];
                byte[][] scripts = new byte[n][];
                Integer[] spenders = new Integer[n];
                String[] purposes = new String[n];
                int i = 0;
                for (Object[] v : outputs.values()) {
                    Utxo u = (Utxo) v[0];
                    txids[i] = u.outpoint().txid().hex();
                    vouts[i] = u.outpoint().vout();
                    sats[i] = u.satoshis().value();
                    scripts[i] = u.lockingScript();
                    spenders[i] = (Integer) v[1];
                    purposes[i++] = (String) v[2];
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT_OUTPUTS_ALL)) {
                    new OutputsAll(depthOf.toArray(), depthInTxid.toArray(), depthInVout.toArray(), txids, vouts, sats,
                            scripts, spenders, purposes).bind(c, ps);
                    ps.executeUpdate();
                }
            }
            Spends.leaveThePool(c, spent);
            return null;
        });
    }

    /**
     * The parameters of {@link #INSERT_OUTPUTS_ALL}, in its order: each input by the index of its spending element
     * (for the depth), then each new output with the index of the element that creates it and its purpose.
     */
    record OutputsAll(Object[] depthSpender, Object[] depthInTxid, Object[] depthInVout, Object[] txids,
                      Object[] vouts, Object[] sats, byte[][] scripts, Object[] spenders, Object[] purposes) {
        void bind(Connection c, PreparedStatement ps) throws SQLException {
            ps.setArray(1, c.createArrayOf("int4", depthSpender));
            ps.setArray(2, c.createArrayOf("bpchar", depthInTxid));
            ps.setArray(3, c.createArrayOf("int4", depthInVout));
            ps.setArray(4, c.createArrayOf("bpchar", txids));
            ps.setArray(5, c.createArrayOf("int4", vouts));
            ps.setArray(6, c.createArrayOf("int8", sats));
            ps.setArray(7, c.createArrayOf("bytea", scripts));
            ps.setArray(8, c.createArrayOf("int4", spenders));
            ps.setArray(9, c.createArrayOf("varchar", purposes));
        }
    }

    /** True when no element spends an output another element of the list creates. */
    private static boolean independent(List<Spend> spends) {
        Set<Txid> created = new HashSet<>();
        for (Spend s : spends) {
            created.add(s.spendingTxid());
        }
        for (Spend s : spends) {
            for (Outpoint o : s.inputs()) {
                if (created.contains(o.txid())) {
                    return false;
                }
            }
        }
        return true;
    }

    private void applySpend(Connection c, Collection<Outpoint> inputs, List<Utxo> newOutputs,
                            Purpose purpose) throws SQLException {
        int depth;
        try (PreparedStatement ps = c.prepareStatement(INPUT_DEPTH)) {
            setOutpoints(c, ps, 1, inputs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                depth = rs.getInt(1) + 1;
            }
        }
        Spends.leaveThePool(c, inputs);
        insertOutputs(c, newOutputs, purpose, "available", depth);
    }

    /** Inserts outputs with a status; used by confirmSpent ("available") and by write-ahead ("pending"). */
    public static int insertOutputs(Connection c, List<Utxo> outputs, Purpose purpose, String status, int depth)
            throws SQLException {
        if (outputs.isEmpty()) {
            return 0;
        }
        String[] txids = new String[outputs.size()];
        Integer[] vouts = new Integer[outputs.size()];
        Long[] sats = new Long[outputs.size()];
        byte[][] scripts = new byte[outputs.size()][];
        for (int i = 0; i < outputs.size(); i++) {
            Utxo u = outputs.get(i);
            txids[i] = u.outpoint().txid().hex();
            vouts[i] = u.outpoint().vout();
            sats[i] = u.satoshis().value();
            scripts[i] = u.lockingScript();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_OUTPUTS)) {
            ps.setString(1, purposeName(purpose));
            ps.setString(2, status);
            ps.setInt(3, depth);
            ps.setArray(4, c.createArrayOf("bpchar", txids));
            ps.setArray(5, c.createArrayOf("int4", vouts));
            ps.setArray(6, c.createArrayOf("int8", sats));
            ps.setArray(7, c.createArrayOf("bytea", scripts));
            return ps.executeUpdate();
        }
    }

    @Override
    public void markDirty(Outpoint outpoint, String reason) {
        update("""
                UPDATE utxos SET dirty = TRUE, dirty_reason = ?, dirty_at = now()
                WHERE txid = ? AND vout = ? AND status NOT IN ('spent', 'retired')
                """, reason == null || reason.isBlank() ? "conflict" : reason, outpoint.txid().hex(), outpoint.vout());
    }

    @Override
    public int releaseExpired(Instant now) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(RELEASE_EXPIRED)) {
                ps.setTimestamp(1, Timestamp.from(now));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Outputs of a mined transaction are no longer part of an unconfirmed chain. Descendants keep
     * their recorded depth (an over-estimate, the safe direction) until they are mined themselves,
     * which on BSV is normally the same block.
     */
    @Override
    public void markMined(Txid txid, int blockHeight) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE utxos SET chain_depth = 0, block_height = ? WHERE txid = ?")) {
                ps.setInt(1, blockHeight);
                ps.setString(2, txid.hex());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE pool_transactions SET status = 'mined', mined_at = now()
                    WHERE txid = ? AND status IN ('signed', 'sent')""")) {
                ps.setString(1, txid.hex());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public PoolDepth depth() {
        return figures.depth();
    }

    @Override
    public PoolSnapshot snapshot() {
        return figures.snapshot();
    }

    @Override
    public Optional<Utxo> find(Outpoint outpoint) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT txid, vout, satoshis, script_pub_key, chain_depth FROM utxos WHERE txid = ? AND vout = ?")) {
                ps.setString(1, outpoint.txid().hex());
                ps.setInt(2, outpoint.vout());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs, 1).utxo) : Optional.empty();
                }
            }
        });
    }

    @Override
    public int add(Collection<Utxo> utxos, Purpose purpose, int chainDepth) {
        return inTransaction(c -> {
            String[] txids = new String[utxos.size()];
            Integer[] vouts = new Integer[utxos.size()];
            Long[] sats = new Long[utxos.size()];
            byte[][] scripts = new byte[utxos.size()][];
            int i = 0;
            for (Utxo u : utxos) {
                txids[i] = u.outpoint().txid().hex();
                vouts[i] = u.outpoint().vout();
                sats[i] = u.satoshis().value();
                scripts[i++] = u.lockingScript();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, chain_depth)
                    SELECT o.txid, o.vout, o.sats, o.script, ?, 'available', ?
                    FROM unnest(?::char(64)[], ?::int[], ?::bigint[], ?::bytea[]) AS o(txid, vout, sats, script)
                    WHERE\s""" + Spends.NOT_SPENT + """

                    ON CONFLICT (txid, vout) DO NOTHING""")) {
                ps.setString(1, purposeName(purpose));
                ps.setInt(2, chainDepth);
                ps.setArray(3, c.createArrayOf("bpchar", txids));
                ps.setArray(4, c.createArrayOf("int4", vouts));
                ps.setArray(5, c.createArrayOf("int8", sats));
                ps.setArray(6, c.createArrayOf("bytea", scripts));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<DirtyUtxo> dirty(Instant olderThan, int limit) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT u.txid, u.vout, u.dirty_reason, u.dirty_at, s.spending_txid FROM utxos u
                    LEFT JOIN spends s ON s.outpoint_txid = u.txid AND s.outpoint_vout = u.vout
                    WHERE u.dirty = TRUE AND u.status NOT IN ('spent', 'retired') AND u.dirty_at < ?
                    ORDER BY u.dirty_at, u.id LIMIT ?""")) {
                ps.setTimestamp(1, Timestamp.from(olderThan));
                ps.setInt(2, limit);
                List<DirtyUtxo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String ours = rs.getString(5);
                        out.add(new DirtyUtxo(new Outpoint(Txid.fromHex(rs.getString(1)), rs.getInt(2)),
                                rs.getString(3), rs.getTimestamp(4).toInstant(),
                                Optional.ofNullable(ours).map(Txid::fromHex)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void restore(Outpoint outpoint) {
        update("""
                UPDATE utxos SET dirty = FALSE, dirty_reason = NULL, dirty_at = NULL
                WHERE txid = ? AND vout = ? AND dirty = TRUE AND status NOT IN ('spent', 'retired')
                """, outpoint.txid().hex(), outpoint.vout());
    }

    @Override
    public void retire(Outpoint outpoint, Txid spentBy, String reason) {
        update("""
                UPDATE utxos SET status = 'retired', spent_by_txid = COALESCE(?, spent_by_txid), spent_at = now(),
                       reserved_at = NULL, reserved_until = NULL, reserved_by = NULL,
                       dirty = TRUE, dirty_reason = ?, dirty_at = COALESCE(dirty_at, now())
                WHERE txid = ? AND vout = ? AND status <> 'spent'
                """, spentBy == null ? null : spentBy.hex(), reason == null ? "retired" : reason,
                outpoint.txid().hex(), outpoint.vout());
    }

    // ---------------------------------------------------------------------------------------------

    /** A pool row as the reservations read it: the output and its unconfirmed chain depth. */
    record Row(Utxo utxo, int depth) {
    }

    /** The row whose columns txid, vout, satoshis, script_pub_key, chain_depth start at {@code from}. */
    static Row row(ResultSet rs, int from) throws SQLException {
        Utxo u = new Utxo(new Outpoint(Txid.fromHex(rs.getString(from)), rs.getInt(from + 1)),
                Satoshis.of(rs.getLong(from + 2)), rs.getBytes(from + 3));
        return new Row(u, rs.getInt(from + 4));
    }

    static void setOutpoints(Connection c, PreparedStatement ps, int index, Collection<Outpoint> outpoints)
            throws SQLException {
        String[] txids = new String[outpoints.size()];
        Integer[] vouts = new Integer[outpoints.size()];
        int i = 0;
        for (Outpoint o : outpoints) {
            txids[i] = o.txid().hex();
            vouts[i++] = o.vout();
        }
        Array t = c.createArrayOf("bpchar", txids);
        Array v = c.createArrayOf("int4", vouts);
        ps.setArray(index, t);
        ps.setArray(index + 1, v);
    }

    static String purposeName(Purpose p) {
        return p == Purpose.FUNDING ? "funding" : "publish";
    }

    private void update(String sql, Object... params) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    /** Work done inside one database transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction on a pooled connection; commits, or rolls back and rethrows. */
    public <T> T inTransaction(TxWork<T> work) {
        return Transactions.run(dataSource, work::run,
                e -> new PoolStorageException("utxo pool database operation failed: " + e.getMessage(), e));
    }
}
