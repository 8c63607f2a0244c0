package io.raregen.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.cli.support.InProcessCli;
import io.raregen.core.jobs.FailedJobs;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Ulid;
import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator SQL against the real schema (its triggers decide which re-drives are legal). */
class JobsAdminTest {
    private static TestDatabase db;
    private static final String PUBKEY = "02" + "ab".repeat(32);

    @BeforeAll
    static void database() throws SQLException {
        db = TestDatabase.create();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identities (pubkey) VALUES ('" + PUBKEY + "')");
        }
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static String job(Connection c, String status, boolean withTx) throws SQLException {
        // a job id as the intake makes it: a ULID of now (the operator queries read jobs by time through their ids)
        String id = Ulid.generate();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash)
                VALUES (?, ?, ?, '{}', 'sig', ?)""")) {
            ps.setString(1, id);
            ps.setString(2, PUBKEY);
            ps.setString(3, id);
            ps.setString(4, "0".repeat(64));
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            if (withTx) {
                s.execute("UPDATE publish_jobs SET status = 'processing' WHERE job_id = '" + id + "'");
                s.execute("UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x00'::bytea, txid = '" + "1".repeat(60)
                        + id.substring(22).toLowerCase().replaceAll("[^0-9a-f]", "a") + "' WHERE job_id = '" + id + "'");
            }
            if (status.equals("failed")) {
                s.execute("UPDATE publish_jobs SET status = 'failed', error_code = 'BROADCAST_REJECTED', error_detail = 'x', "
                        + "failed_at = now() WHERE job_id = '" + id + "'");
            }
        }
        return id;
    }

    @Test
    void retry_failedJobWithoutTransaction_goesBackToQueuedWithItsErrorCleared() throws Exception {
        try (Connection c = db.connect()) {
            String id = job(c, "failed", false);

            assertEquals(FailedJobs.RetryOutcome.REQUEUED, JobsAdmin.retry(c, new JobId(id)));

            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT status, error_code, failed_at FROM publish_jobs WHERE job_id = '" + id + "'")) {
                rs.next();
                assertEquals("queued", rs.getString(1));
                assertNull(rs.getString(2));
                assertNull(rs.getTimestamp(3));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT from_status, to_status FROM publish_job_transitions WHERE job_id = '" + id + "' ORDER BY id DESC LIMIT 1")) {
                rs.next();
                assertEquals("failed", rs.getString(1));
                assertEquals("queued", rs.getString(2));
            }
        }
    }

    @Test
    void retry_failedJobWithAStoredTransaction_isRefused() throws Exception {
        try (Connection c = db.connect()) {
            String id = job(c, "failed", true);

            assertEquals(FailedJobs.RetryOutcome.HAS_TRANSACTION, JobsAdmin.retry(c, new JobId(id)));
        }
    }

    @Test
    void retry_jobsThatAreNotFailedOrUnknown_areReportedAsSuch() throws Exception {
        try (Connection c = db.connect()) {
            assertEquals(FailedJobs.RetryOutcome.NOT_FAILED, JobsAdmin.retry(c, new JobId(job(c, "queued", false))));
            assertEquals(FailedJobs.RetryOutcome.NOT_FOUND, JobsAdmin.retry(c, new JobId("01JZZZZZZZZZZZZZZZZZZZZZZZ")));
        }
    }

    @Test
    void theRetryCommand_takesAJobIdInLowerCase_asEveryOtherCommandDoes(@TempDir Path home) throws Exception {
        String id;
        try (Connection c = db.connect()) {
            id = job(c, "failed", false);
        }
        InProcessCli cli = new InProcessCli(home, "http://127.0.0.1:9").env("RAREGEN_DB_URL", db.jdbcUrl());

        InProcessCli.Result r = cli.run("jobs", "retry", id.toLowerCase(Locale.ROOT), "--json");

        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode outcome = new ObjectMapper().readTree(r.out()).get(0);
        assertEquals(id, outcome.path("jobId").asText(), r.out());
        assertEquals("REQUEUED", outcome.path("outcome").asText(), r.out());
        InProcessCli.Result bad = cli.run("jobs", "retry", "not-a-job");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("JOB_ID_INVALID"), bad.err());
    }

    @Test
    void failed_listsFailedJobsWithTheirCode() throws Exception {
        try (Connection c = db.connect()) {
            String id = job(c, "failed", false);

            OpsQueries.Result r = JobsAdmin.failed(c, 500);

            assertEquals(1, r.rows().stream().filter(row -> row.get(0).equals(id) && row.get(1).equals("BROADCAST_REJECTED")).count());
        }
    }

    @Test
    void ops_allFourQueriesRunOnTheSchema_andBatchHealthSeesGaps() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO publish_batches (batch_id, job_count) VALUES ('B-GAPS', 2)");
            String a = job(c, "queued", false);
            String b = job(c, "queued", false);
            s.execute("UPDATE publish_jobs SET processing_batch_id = 'B-GAPS', batch_seq = 1 WHERE job_id = '" + a + "'");
            s.execute("UPDATE publish_jobs SET processing_batch_id = 'B-GAPS', batch_seq = 3 WHERE job_id = '" + b + "'");

            List<OpsQueries.Result> results = OpsQueries.all(c);

            assertEquals(4, results.size());
            List<String> gaps = results.get(1).rows().stream().filter(r -> r.get(0).equals("B-GAPS")).findFirst().orElseThrow();
            assertEquals("GAPS", gaps.get(4));
        }
    }
}
