package io.raregen.functions.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.jobs.FailedJobs;
import io.raregen.functions.verification.PostgresProofRepository;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator queries read only their window: with 200,000 jobs (600,000 transitions, 20,000 batches,
 * 40,000 pool samples) of history before a 24 h window, no plan scans a history table sequentially,
 * and the series' sources are index range reads. As a premise, without V26's indexes the same series
 * does scan the whole tables, so this test can fail.
 */
class OpsQueryPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HISTORY = Set.of("publish_jobs", "publish_job_transition_sets", "publish_batches",
            "pool_depth_samples", "utxos", "spends");
    private static final int HISTORY_JOBS = 200_000;
    /** A partition's name → its partitioned table's, a partition's index → the partitioned index (V49: the audit trail). */
    private static final java.util.Map<String, String> ROOTS = new java.util.HashMap<>();

    private static TestDatabase db;

    @BeforeAll
    static void history() throws SQLException {
        db = TestDatabase.create();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identities (pubkey) VALUES ('02" + "ab".repeat(32) + "')");
            // history older than the window, loaded in bulk: the guard triggers are bypassed for the load only. Ids are
            // ULIDs of their creation time, as the intake's; every 7th was generated 10 minutes before its row was
            // inserted (a slow insert), so its id's time lies before its created_at
            s.execute("ALTER TABLE publish_jobs DISABLE TRIGGER USER");
            s.execute("""
                    INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, status,
                                              raw_tx, txid, fee_sats, created_at, sent_at, mined_at, failed_at, error_code)
                    SELECT left(job_id_floor(CASE WHEN g %% 7 = 0 THEN t - interval '10 minutes' ELSE t END), 10)
                             || lpad(g::text, 16, '0'), '02%s', g::text, '{}', 'sig', repeat('0', 64),
                           CASE WHEN g %% 50 = 0 THEN 'failed' ELSE 'mined' END,
                           CASE WHEN g %% 50 = 0 THEN NULL ELSE '\\x00'::bytea END,
                           CASE WHEN g %% 50 = 0 THEN NULL ELSE md5(g::text) || md5('x' || g) END, 10,
                           t, CASE WHEN g %% 50 = 0 THEN NULL ELSE t + interval '2 seconds' END,
                           CASE WHEN g %% 50 = 0 THEN NULL ELSE t + interval '10 minutes' END,
                           CASE WHEN g %% 50 = 0 THEN t + interval '1 second' END,
                           CASE WHEN g %% 50 = 0 THEN 'ARC_REJECTED' END
                      FROM generate_series(1, %d) g,
                           LATERAL (SELECT now() - interval '30 days' + g * interval '12.96 seconds' AS t) x
                    """.formatted("ab".repeat(32), HISTORY_JOBS));
            s.execute("ALTER TABLE publish_jobs ENABLE TRIGGER USER");
            s.execute("""
                    INSERT INTO publish_job_transition_sets (id, job_ids, from_status, to_status, at)
                    SELECT nextval('publish_job_transition_sets_id_seq'), ARRAY[j.job_id], v.f,
                           CASE WHEN j.status = 'failed' AND v.tt = 'mined' THEN 'failed' ELSE v.tt END,
                           j.created_at + v.d
                      FROM publish_jobs j,
                           (VALUES (NULL, 'queued', interval '0'), ('queued', 'sent', interval '2 seconds'),
                                   ('sent', 'mined', interval '10 minutes')) v(f, tt, d)
                    """);
            s.execute("""
                    INSERT INTO publish_batches (batch_id, job_count, status, created_at)
                    SELECT 'b' || g, 10, 'completed', now() - interval '30 days' + g * interval '129.6 seconds'
                      FROM generate_series(1, 20000) g
                    """);
            s.execute("""
                    INSERT INTO pool_depth_samples (sampled_at, instance_id, publish_available, available, reserved, pending,
                                                    available_sats, funding_sats, alert_threshold)
                    SELECT now() - interval '7 days' + g * interval '15.12 seconds', 'i', 5000, 5000, 0, 0, 0, 0, 1000
                      FROM generate_series(1, 40000) g
                    """);
            s.execute("""
                    INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, spent_by_txid, spent_at)
                    SELECT md5('u' || g) || md5('v' || g), 0, 1000, '\\x76a9'::bytea, 'publish', 'spent', repeat('f', 64), now()
                      FROM generate_series(1, %d) g
                    """.formatted(HISTORY_JOBS));
            // each mined history job's input, and the inputs of 1,000 pool transactions (no job)
            s.execute("""
                    INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis)
                    SELECT md5('o' || job_id) || md5('p' || job_id), 0, txid, job_id, 1000 FROM publish_jobs WHERE txid IS NOT NULL
                    """);
            s.execute("""
                    INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis)
                    SELECT md5('q' || g) || md5('r' || g), 0, md5('pool' || g) || md5('tx' || g), NULL, 50000
                      FROM generate_series(1, 1000) g
                    """);
            s.execute("VACUUM ANALYZE");
            try (ResultSet rs = s.executeQuery(
                    "SELECT relname, pg_partition_root(oid)::regclass::text FROM pg_class WHERE relispartition")) {
                while (rs.next()) {
                    ROOTS.put(rs.getString(1), rs.getString(2));
                }
            }
        }
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void series_over24h_readsEachSourceByIndexRange_neverTheWholeHistory() throws SQLException {
        // V46 dropped idx_publish_jobs_created: the series reads jobs by creation time through their ids
        assertFalse(indexExists("idx_publish_jobs_created"));
        List<String> scans = scans(explainIn(PostgresOpsRepository.SERIES, true));
        assertTrue(scans.stream().noneMatch(n -> n.startsWith("Seq Scan")), "no sequential scan: " + scans);
        for (String index : List.of("publish_jobs_pkey", "idx_publish_jobs_sent_at",
                "idx_publish_job_transitions_outcomes", "idx_publish_batches_created", "pool_depth_samples_pkey")) {
            assertTrue(scans.stream().anyMatch(n -> n.endsWith(" " + index)), index + " in " + scans);
        }
    }

    @Test
    void proofInputs_areReadByTheirOwner_theSpendingTxidIndexGone() throws SQLException {
        String job;
        String jobTxid;
        String poolTxid;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT job_id, spending_txid FROM spends WHERE job_id IS NOT NULL OFFSET 777 LIMIT 1")) {
                rs.next();
                job = rs.getString(1);
                jobTxid = rs.getString(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT spending_txid FROM spends WHERE job_id IS NULL OFFSET 5 LIMIT 1")) {
                rs.next();
                poolTxid = rs.getString(1);
            }
        }
        // V46 dropped idx_spends_spending_txid
        assertFalse(indexExists("idx_spends_spending_txid"));
        List<String> ofJob = scans(explainIn(PostgresProofRepository.JOB_SPENDS
                .replaceFirst("\\?", "'" + jobTxid + "'").replaceFirst("\\?", "'" + job + "'"), false));
        List<String> ofAnchor = scans(explainIn(PostgresProofRepository.ANCHOR_SPENDS.replace("?", "'" + poolTxid + "'"), false));
        assertTrue(ofJob.contains("Index Scan spends idx_spends_job"), "" + ofJob);
        assertTrue(ofAnchor.stream().anyMatch(n -> n.endsWith("spends idx_spends_unowned_spender")), "" + ofAnchor);
        assertTrue(ofJob.stream().noneMatch(n -> n.startsWith("Seq Scan")) && ofAnchor.stream().noneMatch(n -> n.startsWith("Seq Scan")),
                ofJob + " " + ofAnchor);
    }

    @Test
    void series_countsEveryJobCreatedInTheWindow_alsoThoseWhoseIdIsOlderThanTheirRow() throws SQLException {
        Instant from = window();
        long counted = 0;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(PostgresOpsRepository.SERIES)) {
            PostgresOpsRepository.bindSeries(ps, from, 1440);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counted += rs.getLong(2);
                }
            }
            try (PreparedStatement all = c.prepareStatement(
                    "SELECT count(*), count(*) FILTER (WHERE left(job_id, 10) < left(job_id_floor(?), 10)) "
                            + "FROM publish_jobs WHERE created_at >= ? AND created_at < ?")) {
                all.setTimestamp(1, java.sql.Timestamp.from(from));
                all.setTimestamp(2, java.sql.Timestamp.from(from));
                all.setTimestamp(3, java.sql.Timestamp.from(from.plus(1440, ChronoUnit.MINUTES)));
                try (ResultSet rs = all.executeQuery()) {
                    rs.next();
                    assertEquals(rs.getLong(1), counted);
                    // the premise: some jobs of the window have an id from before it
                    assertTrue(rs.getLong(2) > 0, "jobs of the window with an older id: " + rs.getLong(2));
                }
            }
        }
    }

    @Test
    void premise_withoutTheV26Indexes_theSeriesScansWholeTables() throws SQLException {
        List<String> scans = scansWithout("idx_publish_jobs_sent_at, idx_publish_job_transitions_outcomes, idx_publish_batches_created",
                PostgresOpsRepository.SERIES, true);
        assertTrue(scans.contains("Seq Scan publish_jobs") || scans.contains("Seq Scan publish_job_transition_sets"), "" + scans);
    }

    @Test
    void summaryAndFailedJobQueries_useIndexes() throws SQLException {
        try (Connection c = db.connect()) {
            for (String sql : List.of(PostgresOpsRepository.FIGURES, PostgresOpsRepository.LATEST_SAMPLE, FailedJobs.COUNT,
                    FailedJobs.LIST.replace("?", "50"))) {
                List<String> scans = scans(explain(c, sql, false));
                assertTrue(scans.stream().noneMatch(n -> n.startsWith("Seq Scan")), sql + " → " + scans);
            }
        }
    }

    /** V55/V56: the pool figures need no index of all live rows (V56 dropped V22's): none reads utxos whole. */
    @Test
    void poolFigures_withoutTheIndexOfAllLiveRows_readNoSpentRow() throws SQLException {
        List<String> scans;
        try (Connection c = db.connect()) {
            scans = scans(explain(c, PostgresOpsRepository.FIGURES, false));
        }
        assertTrue(scans.stream().noneMatch(n -> n.equals("Seq Scan utxos")), "" + scans);
        assertTrue(scans.stream().anyMatch(n -> n.endsWith("utxos idx_utxos_selection")), "" + scans);
    }

    @Test
    void series_answersWithEveryMinute() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(PostgresOpsRepository.SERIES)) {
            PostgresOpsRepository.bindSeries(ps, window(), 1440);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
            assertEquals(1440, rows);
        }
    }

    private static Instant window() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1439, ChronoUnit.MINUTES);
    }

    private static boolean indexExists(String name) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + name + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static JsonNode explainIn(String sql, boolean series) throws SQLException {
        try (Connection c = db.connect()) {
            return explain(c, sql, series);
        }
    }

    /** The scans of {@code sql}'s plan with {@code indexes} dropped, in a transaction that is rolled back. */
    private static List<String> scansWithout(String indexes, String sql, boolean series) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("DROP INDEX " + indexes);
                return scans(explain(c, sql, series));
            } finally {
                c.rollback();
            }
        }
    }

    /** EXPLAIN (ANALYZE) of {@code sql} under the repository's planner costs; the text plan goes to the test log. */
    private static JsonNode explain(Connection c, String sql, boolean series) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute(PostgresOpsRepository.PLANNER_COSTS);
            }
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                if (series) {
                    PostgresOpsRepository.bindSeries(ps, window(), 1440);
                }
                StringBuilder text = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                }
                System.out.println("EXPLAIN ANALYZE (" + HISTORY_JOBS + " jobs of history):\n" + text);
            }
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
                if (series) {
                    PostgresOpsRepository.bindSeries(ps, window(), 1440);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return JSON.readTree(rs.getString(1)).get(0).get("Plan");
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (auto) {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /** "Node Type relation [index]" of every scan of a history table in the plan; a partition's as its table's. */
    private static List<String> scans(JsonNode plan) {
        List<String> out = new ArrayList<>();
        collect(plan, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        JsonNode relNode = node.get("Relation Name");
        String rel = relNode == null ? null : ROOTS.getOrDefault(relNode.asText(), relNode.asText());
        if (rel != null && HISTORY.contains(rel)) {
            JsonNode indexNode = node.get("Index Name");
            String index = indexNode == null ? null : ROOTS.getOrDefault(indexNode.asText(), indexNode.asText());
            out.add(node.get("Node Type").asText() + " " + (index == null ? rel : rel + " " + index));
        }
        JsonNode plans = node.get("Plans");
        if (plans != null) {
            plans.forEach(p -> collect(p, out));
        }
    }
}
