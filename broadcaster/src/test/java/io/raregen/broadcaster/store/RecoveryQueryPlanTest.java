package io.raregen.broadcaster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.broadcaster.metrics.StuckJobsGauge;
import io.raregen.core.types.BatchId;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Since V47 a job sent with its batch keeps a signed row until it is mined, so at any moment most signed rows are
 * sent. The recovery loops must still find their few jobs without reading those: with 100,000 mined jobs, 50,000
 * signed jobs of sent batches and 200,000 batches of history, the rescuer's, the tracker's, the batch closing's and the stuck-jobs gauge's queries
 * read by index (no sequential scan of publish_jobs or publish_batches) and return exactly their jobs. The claim and
 * the reconciler, which skip queued jobs that have a transaction row, probe publish_job_transactions (100,000 rows of
 * history here) by its key and take the oldest queued jobs without one.
 */
class RecoveryQueryPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TABLES = Set.of("publish_jobs", "publish_batches", "publish_job_transactions");
    private static TestDatabase db;

    @BeforeAll
    static void history() throws SQLException {
        db = TestDatabase.create();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identities (pubkey) VALUES ('02" + "ab".repeat(32) + "')");
            // 300 sent batches (200 of mined jobs, 100 of jobs awaiting a block), 1 batch not sent with signed jobs
            // (the rescuer's), 10 not sent whose jobs all went out one by one (to be closed); all an hour old
            s.execute("""
                    INSERT INTO publish_batches (batch_id, job_count, status, created_at, sent_at)
                    SELECT 'b' || lpad(g::text, 4, '0'), 500, 'completed', now() - interval '1 hour',
                           CASE WHEN g <= 300 THEN now() - interval '1 hour' END
                      FROM generate_series(1, 311) g""");
            // and the history of a few months of batches, all sent (at 500 records each, 100 M records)
            s.execute("""
                    INSERT INTO publish_batches (batch_id, job_count, status, created_at, sent_at)
                    SELECT 'h' || g, 500, 'completed', now() - interval '90 days', now() - interval '90 days'
                      FROM generate_series(1, 200000) g""");
            s.execute("ALTER TABLE publish_jobs DISABLE TRIGGER USER");
            s.execute("""
                    INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, status,
                                              txid, fee_sats, created_at, signed_at, sent_at, mined_at,
                                              processing_batch_id, batch_seq)
                    SELECT '0' || lpad(g::text, 25, '0'), '02%s', g::text, '{}', 'sig', repeat('0', 64),
                           CASE WHEN g <= 100000 THEN 'mined' ELSE 'signed' END,
                           md5(g::text) || md5('x' || g), 10, now() - interval '1 hour', now() - interval '1 hour',
                           CASE WHEN g <= 100000 THEN now() - interval '1 hour' END,
                           CASE WHEN g <= 100000 THEN now() - interval '50 minutes' END,
                           'b' || lpad(((g - 1) / 500 + 1)::text, 4, '0'), (g - 1) %% 500 + 1
                      FROM generate_series(1, 150500) g""".formatted("ab".repeat(32)));
            s.execute("""
                    INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, status,
                                              txid, fee_sats, created_at, signed_at, sent_at, processing_batch_id, batch_seq)
                    SELECT '1' || lpad(g::text, 25, '0'), '02%s', 'one-by-one-' || g, '{}', 'sig', repeat('0', 64), 'sent',
                           md5('s' || g) || md5('y' || g), 10, now() - interval '1 hour', now() - interval '1 hour',
                           now() - interval '1 hour', 'b' || lpad((301 + (g - 1) / 10 + 1)::text, 4, '0'), (g - 1) %% 10 + 1
                      FROM generate_series(1, 100) g""".formatted("ab".repeat(32)));
            s.execute("ALTER TABLE publish_jobs ENABLE TRIGGER USER");
            s.execute("""
                    INSERT INTO publish_job_transactions (job_id, raw_tx)
                    SELECT job_id, '\\x00'::bytea FROM publish_jobs WHERE processing_batch_id = 'b0301'""");
            // the transaction rows of the mined history, and 1,000 queued jobs of the last minutes, the oldest 10 with a
            // transaction row (as a later release that keeps a signed job's row queued would leave them)
            s.execute("""
                    INSERT INTO publish_job_transactions (job_id, raw_tx)
                    SELECT job_id, '\\x00'::bytea FROM publish_jobs WHERE status = 'mined'""");
            s.execute("""
                    INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, created_at)
                    SELECT '2' || lpad(g::text, 25, '0'), '02%s', 'queued-' || g, '{}', 'sig', repeat('0', 64),
                           now() - interval '10 minutes' + g * interval '100 milliseconds'
                      FROM generate_series(1, 1000) g""".formatted("ab".repeat(32)));
            s.execute("""
                    INSERT INTO publish_job_transactions (job_id, raw_tx)
                    SELECT '2' || lpad(g::text, 25, '0'), '\\x00'::bytea FROM generate_series(1, 10) g""");
            s.execute("VACUUM ANALYZE");
        }
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void theRescuer_readsTheBatchesNotSent_andTakesOnlyTheirSignedJobs() throws SQLException {
        List<String> scans = scans(explain(PublishJobStore.TAKE_UNSENT, 60.0, 60.0, 1000));
        assertTrue(scans.contains("Index Scan publish_batches idx_publish_batches_unsent")
                || scans.contains("Bitmap Index Scan publish_batches idx_publish_batches_unsent"), "" + scans);
        assertTrue(scans.stream().noneMatch(n -> n.startsWith("Seq Scan")), "no sequential scan: " + scans);

        // the statement itself, rolled back (the store would also parse each transaction's stored bytes)
        List<String> batches = new ArrayList<>();
        int taken = 0;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(PublishJobStore.TAKE_UNSENT)) {
                ps.setDouble(1, 60.0);
                ps.setDouble(2, 60.0);
                ps.setInt(3, 1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        if (!batches.contains(rs.getString(2))) {
                            batches.add(rs.getString(2));
                        }
                    }
                }
            }
            taken = ids.size();
            c.rollback();
        }
        assertEquals(500, taken, "the signed jobs of the batch not sent, none of the 50,000 of sent batches");
        assertEquals(List.of("b0301"), batches);
    }

    @Test
    void theTracker_readsItsIndex_andTakesSentJobs() throws SQLException {
        List<String> scans = scans(explain(PublishJobStore.TAKE_UNCONFIRMED, 60.0, 100));
        assertTrue(scans.stream().anyMatch(n -> n.endsWith("publish_jobs idx_publish_jobs_unconfirmed")), "" + scans);
        assertTrue(scans.stream().noneMatch(n -> n.startsWith("Seq Scan publish_jobs")), "no sequential scan: " + scans);

        List<PublishJobStore.Unconfirmed> taken = new PublishJobStore(db.dataSource()).takeUnconfirmed(Duration.ofSeconds(60), 100);
        assertEquals(100, taken.size());
        Set<String> ids = new HashSet<>();
        taken.forEach(u -> ids.add(u.jobId().value()));
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM job_states WHERE job_id = ANY(?) AND status = 'sent'")) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(100, rs.getLong(1), "every job taken is sent, none of the batch not sent: " + ids);
            }
        }
    }

    @Test
    void closingBatches_readsTheBatchesNotSent_andClosesOnlyThoseWithNoSignedJob() throws SQLException {
        List<String> scans = scans(explain(PublishJobStore.CLOSE_SENT_BATCHES, 60.0));
        assertTrue(scans.stream().noneMatch(n -> n.startsWith("Seq Scan")), "no sequential scan: " + scans);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(PublishJobStore.CLOSE_SENT_BATCHES)) {
                ps.setDouble(1, 60.0);
                assertEquals(10, ps.executeUpdate(), "the 10 batches whose jobs went out one by one");
            }
            c.rollback();
        }
    }

    @Test
    void theStuckJobsGauge_readsTheBatchesNotSent() throws SQLException {
        List<String> scans = scans(explain(StuckJobsGauge.SQL, 300.0, 300.0));
        assertTrue(scans.stream().noneMatch(n -> n.startsWith("Seq Scan")), "no sequential scan: " + scans);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(StuckJobsGauge.SQL)) {
            ps.setDouble(1, 300.0);
            ps.setDouble(2, 300.0);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(500, rs.getLong(1), "the signed jobs of the batch not sent; those of sent batches are sent");
            }
        }
    }

    @Test
    void theClaimAndTheReconciler_skipQueuedJobsWithATransactionRow_byItsKey() throws SQLException {
        // the claim's backlog share (no job named) and the reconciler: neither reads publish_job_transactions whole
        List<String> claimScans = scans(explain(PublishJobStore.CLAIM, new String[0], new String[0], 100));
        assertTrue(claimScans.stream().noneMatch(n -> n.startsWith("Seq Scan")), "no sequential scan: " + claimScans);
        assertTrue(claimScans.stream().anyMatch(n -> n.endsWith("publish_job_transactions publish_job_transactions_pkey")),
                "" + claimScans);
        List<String> reconcileScans = scans(explain(PublishJobStore.QUEUED_WITHOUT_BATCH, 60.0, 100));
        assertTrue(reconcileScans.stream().noneMatch(n -> n.startsWith("Seq Scan")), "no sequential scan: " + reconcileScans);

        // and what they return: the oldest queued jobs after the 10 with a transaction row
        List<String> oldest = new ArrayList<>();
        for (int g = 11; g <= 110; g++) {
            oldest.add("2" + "0".repeat(25 - Integer.toString(g).length()) + g);
        }
        PublishJobStore store = new PublishJobStore(db.dataSource());
        try (PublishJobStore.Claim claim = store.claim(BatchId.generate(), "plan", List.of(), 100)) {
            assertEquals(oldest, claim.jobs().stream().map(j -> j.jobId().value()).toList());
        }
        assertEquals(oldest, store.queuedWithoutBatch(Duration.ofSeconds(60), 100).stream().map(id -> id.value()).toList());
    }

    @Test
    void theIndexesTheRecoveryNoLongerReads_areGone() throws SQLException {
        // V48 dropped what V47 moved the rescuer and the tracker away from
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'publish_jobs' ORDER BY indexname")) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            assertTrue(names.contains("idx_publish_jobs_unconfirmed"), "" + names);
            assertFalse(names.contains("idx_publish_jobs_unsent"), "" + names);
            assertFalse(names.contains("idx_publish_jobs_sent_check"), "" + names);
        }
    }

    /** EXPLAIN (FORMAT JSON) of {@code sql} with {@code params} bound (the server's planner costs). */
    private static JsonNode explain(String sql, Object... params) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode plan = JSON.readTree(rs.getString(1)).get(0).get("Plan");
                System.out.println(sql + "\n" + plan.toPrettyString());
                return plan;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "Node Type relation [index]" of every scan of publish_jobs or publish_batches in the plan. */
    private static List<String> scans(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode node : plan.findParents("Relation Name")) {
            String rel = node.get("Relation Name").asText();
            if (TABLES.contains(rel)) {
                out.add(node.get("Node Type").asText() + " " + rel + (node.has("Index Name") ? " " + node.get("Index Name").asText() : ""));
            }
        }
        return out;
    }
}
