package io.raregen.broadcaster.utxo;

import io.raregen.broadcaster.utxo.PostgresUtxoPool.Row;
import io.raregen.broadcaster.utxo.UtxoPool.ReservationRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reservation statements of {@link PostgresUtxoPool}: a whole batch in one statement, and the fallback for a
 * request no single publish UTXO satisfies. Runs inside the pool's transaction ({@code Connection} given).
 */
final class PostgresReservations {

    /*
     * One statement reserves a whole batch. Requests are ranked by need (i = 1..n). For each distinct
     * need, the LATERAL scan locks the first (number of requests needing at most that much) usable rows
     * at or above it, skipping rows other reservers hold; their union is the candidate set, ranked
     * j = 1..m by (satoshis, chain_depth, id). The greedy "smallest unused sufficient row for the
     * smallest request first" assignment then has a closed form: request i takes row
     * j_i = max(j_{i-1} + 1, f_i) = i + max_{k<=i}(f_k - k), where f_k is the rank of the first
     * candidate >= need_k (counted once per distinct need, not once per request: a batch has few
     * distinct needs; class_firsts is MATERIALIZED because, inlined, the planner ran its count once
     * per request — 500 scans of the candidates per batch). Requests whose j_i exceeds m get nothing here.
     * The update finds each candidate by its outpoint, the pool's primary key since V56 (the id has no index: one
     * entry less per insert and per reservation). Not by its position (ctid), tried: with 16 threads reserving at
     * once 15,822 of 16,000 requests were served (a row that changed between the statement's snapshot and its lock
     * is locked in its newer version, which an update by the position the scan read can miss).
     */
    static final String RESERVE_BATCH = """
            WITH req AS (
              SELECT r.ord, r.need FROM unnest(?::bigint[]) WITH ORDINALITY AS r(need, ord)
            ), ranked AS (
              SELECT ord, need, row_number() OVER (ORDER BY need, ord) AS i FROM req
            ), classes AS (
              SELECT need, max(i) AS lim FROM ranked GROUP BY need
            ), locked AS MATERIALIZED (
              SELECT DISTINCT l.txid, l.vout, l.id, l.satoshis, l.chain_depth
              FROM classes c CROSS JOIN LATERAL (
                SELECT u.txid, u.vout, u.id, u.satoshis, u.chain_depth FROM utxos u
                WHERE u.purpose = 'publish' AND u.status = 'available' AND u.dirty = FALSE
                  AND u.chain_depth < ? AND u.satoshis >= c.need
                ORDER BY u.satoshis, u.chain_depth, u.id
                LIMIT c.lim
                FOR UPDATE SKIP LOCKED) l
            ), cand AS MATERIALIZED (
              SELECT txid, vout, satoshis, row_number() OVER (ORDER BY satoshis, chain_depth, id) AS j FROM locked
            ), class_firsts AS MATERIALIZED (
              SELECT k.need, (SELECT count(*) FROM cand c WHERE c.satoshis < k.need) + 1 AS f FROM classes k
            ), firsts AS (
              SELECT r.ord, r.i, cf.f FROM ranked r JOIN class_firsts cf ON cf.need = r.need
            ), assign AS (
              SELECT ord, i + max(f - i) OVER (ORDER BY i ROWS UNBOUNDED PRECEDING) AS j FROM firsts
            )
            UPDATE utxos u
               SET status = 'reserved', reserved_at = now(),
                   reserved_until = now() + ? * interval '1 millisecond', reserved_by = ?
              FROM assign a JOIN cand c ON c.j = a.j
             WHERE u.txid = c.txid AND u.vout = c.vout
            RETURNING a.ord, u.txid, u.vout, u.satoshis, u.script_pub_key, u.chain_depth
            """;

    /** Largest first, so a large request takes as few inputs as possible. */
    static final String LOCK_LARGEST = """
            SELECT txid, vout, satoshis, script_pub_key, chain_depth FROM utxos
            WHERE purpose = 'publish' AND status = 'available' AND dirty = FALSE AND chain_depth < ?
            ORDER BY satoshis DESC, chain_depth, id
            LIMIT ? FOR UPDATE SKIP LOCKED
            """;

    static final String LOCK_FUNDING = """
            SELECT txid, vout, satoshis, script_pub_key, chain_depth FROM utxos
            WHERE purpose = 'funding' AND status = 'available' AND dirty = FALSE AND chain_depth < ?
              AND satoshis >= ?
            ORDER BY satoshis, chain_depth, id
            LIMIT 1 FOR UPDATE SKIP LOCKED
            """;

    static final String RESERVE_OUTPOINTS = """
            UPDATE utxos u SET status = 'reserved', reserved_at = now(),
                   reserved_until = now() + ? * interval '1 millisecond', reserved_by = ?
            FROM unnest(?::char(64)[], ?::int[]) AS o(txid, vout)
            WHERE u.txid = o.txid AND u.vout = o.vout
            """;

    /** The fix for the seed's lease release: a UTXO bound to a stored transaction never expires. */
    private final PoolSettings settings;

    PostgresReservations(PoolSettings settings) {
        this.settings = settings;
    }

    Map<Integer, List<Row>> reserveBatch(Connection c, List<ReservationRequest> requests, String holder,
                                                 Duration lease) throws SQLException {
        Long[] needs = new Long[requests.size()];
        for (int i = 0; i < needs.length; i++) {
            needs[i] = requests.get(i).minimumValue().value();
        }
        Map<Integer, List<Row>> byOrd = new HashMap<>();
        planForThisBatch(c);
        try (PreparedStatement ps = c.prepareStatement(RESERVE_BATCH)) {
            ps.setArray(1, c.createArrayOf("bigint", needs));
            ps.setInt(2, settings.getMaxChainDepth());
            ps.setLong(3, lease.toMillis());
            ps.setString(4, holder);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byOrd.put(rs.getInt(1), new ArrayList<>(List.of(PostgresUtxoPool.row(rs, 2))));
                }
            }
        }
        return byOrd;
    }

    /**
     * How Postgres plans {@link #RESERVE_BATCH}, for the rest of the caller's database transaction.
     * <ul>
     * <li>A plan for the actual values every time: once the driver switches to a server-side prepared statement,
     * Postgres may pick a generic plan that is 100x slower (seconds instead of milliseconds, measured); the needs
     * array and the LATERAL limits are what the plan depends on.</li>
     * <li>No JIT compilation: the planner multiplies its guesses (a default 200 need classes times the rows each may
     * lock), so with a pool of some tens of thousands of outputs its cost estimate passes {@code jit_above_cost}
     * although the statement touches a batch's rows only; Postgres then compiled it at every call, ~34 ms of a
     * 500-job reservation that otherwise takes ~25 ms (measured with 150,000 pool outputs, docs/benchmarks/storage.md).</li>
     * </ul>
     */
    static void planForThisBatch(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL jit = off");
        }
    }

    /** A request no single publish UTXO satisfies: several inputs, else one funding UTXO, else nothing. */
    List<Row> reserveSeveral(Connection c, ReservationRequest request, String holder, Duration lease)
            throws SQLException {
        long perInput = request.extraPerInput().value() > 0 ? request.extraPerInput().value()
                : settings.getExtraInputAllowanceSats();
        long need = request.minimumValue().value();
        List<Row> chosen = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_LARGEST)) {
            ps.setInt(1, settings.getMaxChainDepth());
            ps.setInt(2, settings.getMaxInputsPerReservation());
            long sum = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && sum < need + perInput * Math.max(0, chosen.size() - 1)) {
                    Row r = PostgresUtxoPool.row(rs, 1);
                    chosen.add(r);
                    sum += r.utxo().satoshis().value();
                }
            }
            if (chosen.isEmpty() || sum < need + perInput * (chosen.size() - 1)) {
                chosen.clear();
            }
        }
        if (chosen.isEmpty() && settings.isFundingFallback() && need >= settings.getFundingFallbackMinSats()) {
            try (PreparedStatement ps = c.prepareStatement(LOCK_FUNDING)) {
                ps.setInt(1, settings.getMaxChainDepth());
                ps.setLong(2, need);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        chosen.add(PostgresUtxoPool.row(rs, 1));
                    }
                }
            }
        }
        if (chosen.isEmpty()) {
            return chosen;
        }
        try (PreparedStatement ps = c.prepareStatement(RESERVE_OUTPOINTS)) {
            ps.setLong(1, lease.toMillis());
            ps.setString(2, holder);
            PostgresUtxoPool.setOutpoints(c, ps, 3, chosen.stream().map(r -> r.utxo().outpoint()).toList());
            ps.executeUpdate();
        }
        return chosen;
    }
}
