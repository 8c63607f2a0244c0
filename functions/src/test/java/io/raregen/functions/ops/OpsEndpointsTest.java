package io.raregen.functions.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.types.JobId;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator history API over real HTTP, against a real database (rows inserted here, figures checked
 * against them) and ElasticMQ (the publish queue and a dead-letter queue).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsEndpointsTest implements TestPropertyProvider {

    private static final String PUBKEY = "02" + "cd".repeat(32);

    private TestEnv env;
    private String dlqUrl;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        dlqUrl = ElasticMq.createQueue("publish-dlq");
        Map<String, String> p = new HashMap<>(env.properties());
        p.put("raregen.ops.dlq-url", dlqUrl);
        return p;
    }

    @BeforeAll
    void identity() {
        env.execute("INSERT INTO identities (pubkey) VALUES (?)", PUBKEY);
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    @BeforeEach
    void emptyQueues() {
        ElasticMq.drain(env.queueUrl());
        ElasticMq.drain(dlqUrl);
    }

    private ApiResponse send(ApiRequest r) {
        return new HttpTransport(server.getURI()).send(r);
    }

    // --- authorisation ---------------------------------------------------------------------------

    private static final List<ApiRequest> ALL = List.of(
            ApiRequest.get("/v1/ops/series"),
            ApiRequest.get("/v1/ops/summary"),
            ApiRequest.get("/v1/ops/failed-jobs"),
            ApiRequest.postJson("/v1/ops/jobs/" + JobId.generate().value() + "/retry", ""));

    @Test
    void everyEndpoint_withoutOrWithWrongToken_is401Unauthorized() {
        for (ApiRequest r : ALL) {
            for (ApiRequest attempt : List.of(r, r.withHeader("Authorization", "Bearer wrong"),
                    r.withHeader("Authorization", TestEnv.ADMIN_TOKEN))) {
                ApiResponse a = send(attempt);
                assertEquals(401, a.status(), r.path() + " " + a);
                assertEquals("UNAUTHORIZED", a.code());
                assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
            }
        }
    }

    @Test
    void everyEndpoint_withNoOperatorTokenConfigured_is403OperatorDisabled() {
        Map<String, Object> props = new HashMap<>(env.properties());
        props.remove("raregen.admin.token");
        try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, props)) {
            HttpTransport t = new HttpTransport(other.getURI());
            for (ApiRequest r : ALL) {
                ApiResponse a = t.send(r.asOperator());
                assertEquals(403, a.status(), r.path() + " " + a);
                assertEquals("OPERATOR_DISABLED", a.code());
            }
        }
    }

    // --- bad parameters ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10081", "abc", "1.5", "", "99999999999"})
    void series_minutesOutOfRange_is400ParameterInvalid(String minutes) {
        ApiResponse r = send(ApiRequest.get("/v1/ops/series?minutes=" + minutes).asOperator());
        assertEquals(400, r.status(), r.toString());
        assertEquals("PARAMETER_INVALID", r.code());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "x"})
    void failedJobs_limitOutOfRange_is400ParameterInvalid(String limit) {
        ApiResponse r = send(ApiRequest.get("/v1/ops/failed-jobs?limit=" + limit).asOperator());
        assertEquals(400, r.status(), r.toString());
        assertEquals("PARAMETER_INVALID", r.code());
    }

    @Test
    void retry_malformedJobId_is400JobIdInvalid() {
        ApiResponse r = send(ApiRequest.postJson("/v1/ops/jobs/not-a-ulid/retry", "").asOperator());
        assertEquals(400, r.status(), r.toString());
        assertEquals("JOB_ID_INVALID", r.code());
    }

    // --- series ----------------------------------------------------------------------------------------

    @Test
    void series_countsPercentilesBatchesAndPoolDepthPerMinute_fromTheRows() {
        Instant m = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
        // minute m: 4 jobs accepted; sent in minute m+1 after 1, 2, 3 and 4 s
        for (int i = 1; i <= 4; i++) {
            String id = job(m.plusSeconds(10), "sent", m.plusSeconds(60 + 10 + i));
            if (i == 4) {
                env.execute("UPDATE publish_jobs SET status = 'mined', mined_at = ? WHERE job_id = ?", ts(m.plusSeconds(130)), id);
                env.execute("UPDATE publish_job_transition_sets SET at = ? WHERE ? = ANY(job_ids) AND to_status = 'mined'",
                        ts(m.plusSeconds(130)), id);
            }
        }
        // minute m+2: one failed job, then retried: it still counts as failed in m+2
        String failed = job(m.plusSeconds(125), "failed", null);
        env.execute("UPDATE publish_job_transition_sets SET at = ? WHERE ? = ANY(job_ids) AND to_status = 'failed'", ts(m.plusSeconds(150)), failed);
        assertEquals(202, send(ApiRequest.postJson("/v1/ops/jobs/" + failed + "/retry", "").asOperator()).status());
        // batches of 3 and 1 in minute m
        batch("b-ops-1", m.plusSeconds(20), 3);
        batch("b-ops-2", m.plusSeconds(40), 1);
        // two pool samples in minute m+1: the later is the minute's depth
        sample(m.plusSeconds(65), 900, 5);
        sample(m.plusSeconds(80), 850, 5);

        ApiResponse r = send(ApiRequest.get("/v1/ops/series?minutes=30").asOperator());
        assertEquals(200, r.status(), r.toString());
        JsonNode s = r.json();
        assertEquals(60, s.get("stepSeconds").asInt());
        assertEquals(env.count("SELECT alert_threshold FROM pool_depth_samples ORDER BY sampled_at DESC LIMIT 1"),
                s.get("poolAlertThreshold").asLong(), "threshold from the latest sample");
        JsonNode points = s.get("points");
        assertEquals(30, points.size());
        Instant first = Instant.parse(points.get(0).get("t").asText());
        assertEquals(first, Instant.parse(s.get("from").asText()));
        for (int i = 1; i < points.size(); i++) {
            assertEquals(first.plusSeconds(60L * i), Instant.parse(points.get(i).get("t").asText()), "one point a minute, no gaps");
        }

        JsonNode p0 = point(points, m);
        assertEquals(4, p0.get("accepted").asLong());
        assertEquals(0, p0.get("sent").asLong());
        assertEquals(2, p0.get("batches").asLong());
        assertEquals(2.0, p0.get("avgBatchSize").asDouble(), 1e-9);
        assertTrue(p0.get("latencyP50Ms").isNull(), "nothing sent: no latency, written as null");
        assertTrue(p0.get("poolDepth").isNull());

        JsonNode p1 = point(points, m.plusSeconds(60));
        assertEquals(4, p1.get("sent").asLong());
        // latencies 61, 62, 63, 64 s (accepted at m+10 s, sent at m+71..74 s): percentile_cont interpolates
        assertEquals(62_500.0, p1.get("latencyP50Ms").asDouble(), 0.1);
        assertEquals(63_700.0, p1.get("latencyP90Ms").asDouble(), 0.1);
        assertEquals(63_970.0, p1.get("latencyP99Ms").asDouble(), 0.1);
        assertEquals(850, p1.get("poolDepth").asLong());
        assertEquals(0, p1.get("batches").asLong());
        assertTrue(p1.get("avgBatchSize").isNull());

        JsonNode p2 = point(points, m.plusSeconds(120));
        assertEquals(1, p2.get("mined").asLong());
        assertEquals(1, p2.get("failed").asLong());
        assertEquals(1, p2.get("accepted").asLong());

        JsonNode quiet = point(points, m.minusSeconds(60));
        for (String f : List.of("accepted", "sent", "mined", "failed", "batches")) {
            assertEquals(0, quiet.get(f).asLong(), f + " of a quiet minute is 0");
        }
    }

    @Test
    void series_countsJobsSentWithTheirBatch_atTheBatchsSentAt() {
        // minutes no other test of this class writes to (they share the database)
        Instant m = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(20, ChronoUnit.MINUTES);
        // two jobs accepted at m+10 s, sent with their batch at m+65 s (their rows stay signed); one sent by itself at m+70 s
        env.execute("INSERT INTO publish_batches (batch_id, job_count, status, created_at, sent_at) VALUES (?, 2, 'completed', ?, ?)",
                "b-ops-sent", ts(m.plusSeconds(20)), ts(m.plusSeconds(65)));
        for (int i = 0; i < 2; i++) {
            String id = job(m.plusSeconds(10), "signed", null);
            env.execute("UPDATE publish_jobs SET processing_batch_id = 'b-ops-sent' WHERE job_id = ?", id);
        }
        job(m.plusSeconds(10), "sent", m.plusSeconds(70));

        JsonNode points = send(ApiRequest.get("/v1/ops/series?minutes=30").asOperator()).json().get("points");
        JsonNode p1 = point(points, m.plusSeconds(60));
        assertEquals(3, p1.get("sent").asLong(), p1.toString());
        // latencies 55, 55 and 60 s
        assertEquals(55_000.0, p1.get("latencyP50Ms").asDouble(), 0.1);
        assertEquals(0, point(points, m).get("sent").asLong());
    }

    @Test
    void series_defaultsTo1440Minutes() {
        ApiResponse r = send(ApiRequest.get("/v1/ops/series").asOperator());
        assertEquals(200, r.status(), r.toString());
        assertEquals(1440, r.json().get("points").size());
        assertEquals(10080, send(ApiRequest.get("/v1/ops/series?minutes=10080").asOperator()).json().get("points").size());
    }

    // --- summary -----------------------------------------------------------------------------------------

    @Test
    void summary_readsPoolFundingFailedJobsAndTheDlq() {
        String tx = "e".repeat(63);
        env.execute("DELETE FROM utxos");
        utxo(tx + "1", 0, 1000, "publish", "available", false);
        utxo(tx + "1", 1, 1000, "publish", "available", false);
        utxo(tx + "1", 2, 500, "publish", "available", true);
        utxo(tx + "1", 3, 1000, "publish", "reserved", false);
        utxo(tx + "1", 4, 1000, "publish", "spent", false);
        utxo(tx + "1", 5, 70_000, "funding", "available", false);
        sample(Instant.now(), 2, 1234);
        long failedBefore = env.count("SELECT count(*) FROM publish_jobs WHERE status = 'failed'");
        job(Instant.now(), "failed", null);
        for (int i = 0; i < 2; i++) {
            ElasticMq.client().sendMessage(SendMessageRequest.builder().queueUrl(dlqUrl).messageBody("{\"jobId\":\"x\"}").build());
        }

        ApiResponse r = send(ApiRequest.get("/v1/ops/summary").asOperator());
        assertEquals(200, r.status(), r.toString());
        JsonNode s = r.json();
        assertEquals(2, s.get("pool").get("available").asLong(), "dirty and spent outputs are not available");
        assertEquals(1, s.get("pool").get("reserved").asLong());
        assertEquals(2000, s.get("pool").get("availableSatoshis").asLong());
        assertEquals(1234, s.get("pool").get("alertThreshold").asLong());
        assertEquals("mfundingaddressfortests", s.get("funding").get("address").asText());
        assertEquals(70_000, s.get("funding").get("balanceSatoshis").asLong());
        assertEquals(2, s.get("dlqDepth").asLong());
        assertEquals(failedBefore + 1, s.get("failedJobs").asLong());
    }

    @Test
    void summary_withoutDlqConfigured_writesDlqDepthNull() {
        Map<String, Object> props = new HashMap<>(env.properties());
        try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, props)) {
            ApiResponse r = new HttpTransport(other.getURI()).send(ApiRequest.get("/v1/ops/summary").asOperator());
            assertEquals(200, r.status(), r.toString());
            assertTrue(r.json().has("dlqDepth") && r.json().get("dlqDepth").isNull(), r.body());
        }
    }

    // --- failed jobs and retry --------------------------------------------------------------------------

    @Test
    void failedJobs_newestFirst_withLimit() {
        Instant t = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String older = job(t, "failed", null);
        String newer = job(t.plusSeconds(1), "failed", null);
        env.execute("UPDATE publish_jobs SET failed_at = ? WHERE job_id = ?", ts(t.plusSeconds(3600)), older);
        env.execute("UPDATE publish_jobs SET failed_at = ? WHERE job_id = ?", ts(t.plusSeconds(3601)), newer);

        ApiResponse r = send(ApiRequest.get("/v1/ops/failed-jobs?limit=2").asOperator());
        assertEquals(200, r.status(), r.toString());
        JsonNode jobs = r.json().get("jobs");
        assertEquals(2, jobs.size());
        assertEquals(newer, jobs.get(0).get("jobId").asText());
        assertEquals(older, jobs.get(1).get("jobId").asText());
        assertEquals("ARC_REJECTED: rejected by test", jobs.get(0).get("error").asText());
        assertEquals("ARC_REJECTED", jobs.get(0).get("errorCode").asText());
        assertEquals(t.plusSeconds(3601), Instant.parse(jobs.get(0).get("failedAt").asText()));
        assertTrue(jobs.get(0).get("retryable").asBoolean());
    }

    @Test
    void retry_failedJobWithoutTransaction_is202_requeuesAndSendsItToTheQueue() {
        String id = job(Instant.now(), "failed", null);
        ApiResponse r = send(ApiRequest.postJson("/v1/ops/jobs/" + id + "/retry", "").asOperator());
        assertEquals(202, r.status(), r.toString());
        assertEquals(id, r.json().get("jobId").asText());
        assertEquals("queued", r.json().get("status").asText());
        assertEquals("queued", env.string("SELECT status FROM publish_jobs WHERE job_id = ?", id));
        assertEquals(null, env.string("SELECT error_code FROM publish_jobs WHERE job_id = ?", id));
        assertEquals(1, env.count("SELECT count(*) FROM publish_job_transitions WHERE job_id = ? AND from_status = 'failed' AND to_status = 'queued'", id));
        assertEquals(List.of("{\"jobId\":\"" + id + "\"}"), ElasticMq.drain(env.queueUrl()));
    }

    @Test
    void retry_jobNotFailed_is409JobNotFailed_andChangesNothing() {
        String id = job(Instant.now(), "queued", null);
        ApiResponse r = send(ApiRequest.postJson("/v1/ops/jobs/" + id + "/retry", "").asOperator());
        assertEquals(409, r.status(), r.toString());
        assertEquals("JOB_NOT_FAILED", r.code());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(1, env.count("SELECT count(*) FROM publish_job_transitions WHERE job_id = ?", id));
        assertTrue(ElasticMq.drain(env.queueUrl()).isEmpty());
    }

    @Test
    void retry_failedJobHoldingATransaction_is409JobNotRetryable() {
        String id = job(Instant.now(), "failed-signed", null);
        ApiResponse r = send(ApiRequest.postJson("/v1/ops/jobs/" + id + "/retry", "").asOperator());
        assertEquals(409, r.status(), r.toString());
        assertEquals("JOB_NOT_RETRYABLE", r.code());
        assertEquals("failed", env.string("SELECT status FROM publish_jobs WHERE job_id = ?", id));
        ApiResponse list = send(ApiRequest.get("/v1/ops/failed-jobs?limit=500").asOperator());
        boolean listedNotRetryable = false;
        for (JsonNode j : list.json().get("jobs")) {
            if (j.get("jobId").asText().equals(id)) {
                listedNotRetryable = !j.get("retryable").asBoolean() && !j.get("txid").isNull();
            }
        }
        assertTrue(listedNotRetryable, list.body());
        assertTrue(ElasticMq.drain(env.queueUrl()).isEmpty());
    }

    @Test
    void retry_unknownJob_is404JobNotFound() {
        ApiResponse r = send(ApiRequest.postJson("/v1/ops/jobs/" + JobId.generate().value() + "/retry", "").asOperator());
        assertEquals(404, r.status(), r.toString());
        assertEquals("JOB_NOT_FOUND", r.code());
    }

    // --- fixtures ------------------------------------------------------------------------------------------

    private static JsonNode point(JsonNode points, Instant t) {
        for (JsonNode p : points) {
            if (Instant.parse(p.get("t").asText()).equals(t)) {
                return p;
            }
        }
        throw new AssertionError("no point at " + t);
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    /** A job created at {@code created}, moved through the real transitions to {@code status}. */
    private String job(Instant created, String status, Instant sentAt) {
        String id = JobId.generate().value();
        env.execute("""
                INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, created_at)
                VALUES (?, ?, ?, '{}', 'sig', ?, ?)""", id, PUBKEY, id, "0".repeat(64), ts(created));
        if (status.equals("queued")) {
            return id;
        }
        env.execute("UPDATE publish_jobs SET status = 'processing' WHERE job_id = ?", id);
        if (status.equals("failed")) {
            env.execute("UPDATE publish_jobs SET status = 'failed', error_code = 'ARC_REJECTED', error_detail = 'rejected by test', "
                    + "failed_at = now() WHERE job_id = ?", id);
            return id;
        }
        String txid = String.format("%064x", new java.math.BigInteger(1, id.getBytes()));
        env.execute("UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x00'::bytea, txid = ?, signed_at = ? WHERE job_id = ?",
                txid.substring(txid.length() - 64), ts(created), id);
        if (status.equals("signed")) {
            return id;
        }
        if (status.equals("failed-signed")) {
            env.execute("UPDATE publish_jobs SET status = 'failed', error_code = 'ARC_REJECTED', error_detail = 'x', failed_at = now() "
                    + "WHERE job_id = ?", id);
            return id;
        }
        env.execute("UPDATE publish_jobs SET status = 'sent', sent_at = ? WHERE job_id = ?", ts(sentAt), id);
        return id;
    }

    private void batch(String id, Instant created, int jobs) {
        env.execute("INSERT INTO publish_batches (batch_id, job_count, status, created_at) VALUES (?, ?, 'completed', ?)",
                id, jobs, ts(created));
    }

    private void sample(Instant at, long publishAvailable, long threshold) {
        env.execute("""
                INSERT INTO pool_depth_samples (sampled_at, instance_id, publish_available, available, reserved, pending,
                                                available_sats, funding_sats, alert_threshold, funding_address)
                VALUES (?, 'test', ?, ?, 0, 0, 0, 0, ?, 'mfundingaddressfortests')""", ts(at), publishAvailable, publishAvailable, threshold);
    }

    private void utxo(String txid, int vout, long sats, String purpose, String status, boolean dirty) {
        env.execute("""
                INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, reserved_until, dirty, dirty_reason,
                                   spent_by_txid)
                VALUES (?, ?, ?, '\\x76a9'::bytea, ?, ?, CASE WHEN ? = 'reserved' THEN now() + interval '5 minutes' END, ?,
                        CASE WHEN ? THEN 'test' END, CASE WHEN ? = 'spent' THEN ? END)""",
                txid, vout, sats, purpose, status, status, dirty, dirty, status, "f".repeat(64));
    }
}
