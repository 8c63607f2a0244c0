package io.raregen.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Bumps;
import io.raregen.functions.support.Chain;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Sse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.TestEnv;
import io.raregen.functions.support.Transport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint, run once over real HTTP on Netty and once through the Lambda handler
 * (the subclasses choose the host); real Postgres and a real SQS-compatible queue behind both.
 */
abstract class AbstractEndpointsTest {

    protected abstract TestEnv env();

    protected abstract Transport transport();

    protected ApiResponse send(ApiRequest request) {
        return transport().send(request);
    }

    @BeforeEach
    void emptyQueue() {
        ElasticMq.drain(env().queueUrl());
    }

    protected KeyPair registeredKey() {
        KeyPair key = KeyPair.generate();
        ApiResponse r = send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))));
        assertEquals(201, r.status(), r.toString());
        return key;
    }

    protected String publishedJob(KeyPair key) {
        ApiResponse r = send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))));
        assertEquals(202, r.status(), r.toString());
        return r.json().get("jobId").asText();
    }

    /** A new batch row, as the broadcaster's store writes one; returns its id. */
    protected String newBatch(String status, int jobs) {
        String batchId = io.raregen.core.types.Ulid.generate();
        env().execute("INSERT INTO publish_batches (batch_id, job_count, status) VALUES (?, ?, ?)", batchId, jobs, status);
        return batchId;
    }

    /** Moves a published job to sent the way the broadcaster does (processing, signed, sent), and returns its txid. */
    protected String markSent(String jobId) {
        String txid = Chain.randomTxid();
        env().execute("UPDATE publish_jobs SET status = 'processing' WHERE job_id = ?", jobId);
        env().execute("UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x00'::bytea, txid = ?, signed_at = now() WHERE job_id = ?",
                txid, jobId);
        env().execute("UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = ?", jobId);
        return txid;
    }

    /**
     * Reads {@code GET path} (an event stream that ends after its window) until its body holds {@code needle}:
     * the log shows an event only once every older transaction on the server has ended, which another
     * test's transaction can delay.
     */
    protected ApiResponse eventsUntil(ApiRequest request, String needle) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        ApiResponse r = send(request);
        while (r.status() == 200 && !r.body().contains(needle) && System.nanoTime() < deadline) {
            r = send(request);
        }
        return r;
    }

    @Test
    void events_streamOneKeysJobEventsAndResumeAfterTheLastIdSeen() {
        KeyPair alice = registeredKey();
        KeyPair bob = registeredKey();
        String aliceJob = publishedJob(alice);
        String bobJob = publishedJob(bob);
        String txid = markSent(aliceJob);
        markSent(bobJob);

        ApiResponse r = eventsUntil(ApiRequest.get("/v1/events?pubkey=" + alice.publicKey().hex()), aliceJob);
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
        List<Sse> events = Sse.parse(r.body());
        assertEquals("ready", events.get(0).name(), r.body());
        assertEquals("0-0", events.get(0).id(), "without Last-Event-ID the stream starts at the beginning");
        List<Sse> jobEvents = events.stream().filter(e -> e.name().startsWith("job.")).toList();
        assertEquals(1, jobEvents.size(), r.body());
        Sse sent = jobEvents.get(0);
        assertEquals("job.sent", sent.name());
        JsonNode data = sent.json();
        assertEquals(aliceJob, data.get("jobId").asText());
        assertEquals(txid, data.get("txid").asText());
        assertEquals(sent.id(), data.get("id").asText());
        assertFalse(r.body().contains(bobJob), "another key's events are not in this key's stream");

        // resuming after the last id seen gives what came after it, and not the event again
        markSent(publishedJob(alice));
        ApiResponse resumed = send(ApiRequest.get("/v1/events?pubkey=" + alice.publicKey().hex()).withHeader("Last-Event-ID", sent.id()));
        assertEquals(200, resumed.status(), resumed.toString());
        assertFalse(resumed.body().contains(aliceJob), resumed.body());
        assertEquals(sent.id(), Sse.parse(resumed.body()).get(0).id(), "ready carries the position it resumes from");

        // the operator sees every key's events
        ApiResponse all = eventsUntil(ApiRequest.get("/v1/events?lastEventId=" + events.get(0).id()).asOperator(), bobJob);
        assertEquals(200, all.status(), all.toString());
        assertTrue(all.body().contains(aliceJob) && all.body().contains(bobJob), all.body());
    }

    @Test
    void events_badRequestsAnswerTheirCodeBeforeAnyStream() {
        String key = KeyPair.generate().publicKey().hex();
        assertEquals("PUBKEY_INVALID", send(ApiRequest.get("/v1/events")).code());
        assertEquals("PUBKEY_INVALID", send(ApiRequest.get("/v1/events?pubkey=02abc")).code());
        assertEquals("UNAUTHORIZED", send(ApiRequest.get("/v1/events").withHeader("Authorization", "Bearer wrong")).code());
        assertEquals("PARAMETER_INVALID", send(ApiRequest.get("/v1/events?from=yesterday&pubkey=" + key)).code());
        for (String garbage : List.of("abc", "12", "-1-2", "1-2-3", "99999999999999999999-1", "1_2")) {
            ApiResponse r = send(ApiRequest.get("/v1/events?pubkey=" + key).withHeader("Last-Event-ID", garbage));
            assertEquals(400, r.status(), garbage + ": " + r);
            assertEquals("EVENT_ID_INVALID", r.code(), garbage);
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        }
        ApiResponse future = send(ApiRequest.get("/v1/events?pubkey=" + key + "&lastEventId=999999999999999999-1"));
        assertEquals(400, future.status(), future.toString());
        assertEquals("EVENT_ID_FUTURE", future.code());
    }

    @Test
    void register_newKey_returns201AndStoresActiveIdentity() {
        KeyPair key = KeyPair.generate();
        ApiResponse r = send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))));
        assertEquals(201, r.status(), r.toString());
        assertEquals(key.publicKey().hex(), r.json().get("pubkey").asText());
        assertEquals("active", r.json().get("status").asText());
        assertEquals("active", env().string("SELECT status FROM identities WHERE pubkey = ?", key.publicKey().hex()));
    }

    @Test
    void backupShare_storedReadAndDeleted_onThisHost() {
        KeyPair key = registeredKey();
        String path = "/v1/identities/" + key.publicKey().hex() + "/backup-share";
        com.fasterxml.jackson.databind.node.ObjectNode sealed = new io.raregen.core.backup.EncryptedShare(
                io.raregen.core.backup.EncryptedShare.MIN_ITERATIONS, new byte[16], new byte[12], new byte[40]).toJson();
        String put = EnvelopeSigner.sign(io.raregen.core.envelope.Payloads.backupShare(key.publicKey(), sealed, Envelopes.nonce(),
                Instant.now().minusSeconds(1)), key).toJson();
        // a quoted UTF-8 charset is read like any other spelling of UTF-8 (the body is taken as bytes)
        ApiResponse stored = send(new ApiRequest("PUT", path, put, java.util.Map.of("Content-Type", "application/json; charset=\"UTF-8\"")));
        assertEquals(200, stored.status(), stored.toString());
        ApiResponse read = send(ApiRequest.get(path));
        assertEquals(200, read.status(), read.toString());
        assertEquals(sealed, read.json().get("share"));
        String delete = EnvelopeSigner.sign(io.raregen.core.envelope.Payloads.backupShareDelete(key.publicKey(), Envelopes.nonce(),
                Instant.now()), key).toJson();
        ApiResponse klingon = send(new ApiRequest("DELETE", path, delete, java.util.Map.of("Content-Type", "application/json; charset=klingon")));
        assertEquals("CHARSET_UNSUPPORTED", klingon.code(), klingon.toString());
        ApiResponse deleted = send(new ApiRequest("DELETE", path, delete, java.util.Map.of("Content-Type", "application/json")));
        assertEquals(204, deleted.status(), deleted.toString());
        assertEquals("BACKUP_SHARE_NOT_FOUND", send(ApiRequest.get(path)).code());
    }

    @Test
    void register_keyAlreadyActive_returns200() {
        KeyPair key = registeredKey();
        ApiResponse again = send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))));
        assertEquals(200, again.status(), again.toString());
        assertEquals(1, env().count("SELECT count(*) FROM identities WHERE pubkey = ?", key.publicKey().hex()));
    }

    @Test
    void getIdentity_registeredKey_returnsItsStatus() {
        KeyPair key = registeredKey();
        ApiResponse r = send(ApiRequest.get("/v1/identities/" + key.publicKey().hex()));
        assertEquals(200, r.status(), r.toString());
        assertEquals("active", r.json().get("status").asText());
    }

    @Test
    void revoke_withOperatorToken_revokesKey_andLaterPublishIsRefused() {
        KeyPair key = registeredKey();
        ApiResponse r = send(ApiRequest.postJson("/v1/identities/" + key.publicKey().hex() + "/revoke", "").asOperator());
        assertEquals(200, r.status(), r.toString());
        assertEquals("revoked", r.json().get("status").asText());
        assertNotNull(r.json().get("revokedAt"));

        ApiResponse publish = send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))));
        assertEquals(403, publish.status(), publish.toString());
        assertEquals("IDENTITY_REVOKED", publish.code());
        assertEquals(0, env().count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
    }

    @Test
    void publish_registeredKey_returns202_storesQueuedJob_andSendsOneMessage() {
        KeyPair key = registeredKey();
        Envelope envelope = Envelopes.publish(key);
        ApiResponse r = send(ApiRequest.postJson("/v1/publish", Envelopes.body(envelope)));

        assertEquals(202, r.status(), r.toString());
        String jobId = r.json().get("jobId").asText();
        assertEquals("queued", r.json().get("status").asText());
        assertEquals("/v1/jobs/" + jobId, r.json().get("statusUrl").asText());
        assertEquals("queued", env().string("SELECT status FROM publish_jobs WHERE job_id = ?", jobId));
        assertEquals(envelope.signedPayload(), env().string("SELECT signed_payload FROM publish_jobs WHERE job_id = ?", jobId));
        assertEquals(envelope.signature(), env().string("SELECT signature FROM publish_jobs WHERE job_id = ?", jobId));
        assertEquals(List.of("{\"jobId\":\"" + jobId + "\"}"), ElasticMq.drain(env().queueUrl()));
    }

    @Test
    void publish_byteIdenticalRetry_returnsSameJobWith200_andNoSecondMessage() {
        KeyPair key = registeredKey();
        String body = Envelopes.body(Envelopes.publish(key));
        ApiResponse first = send(ApiRequest.postJson("/v1/publish", body));
        ApiResponse second = send(ApiRequest.postJson("/v1/publish", body));

        assertEquals(202, first.status(), first.toString());
        assertEquals(200, second.status(), second.toString());
        assertEquals(first.json().get("jobId").asText(), second.json().get("jobId").asText());
        assertEquals(1, env().count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
        assertEquals(1, ElasticMq.drain(env().queueUrl()).size());
    }

    @Test
    void publish_sameNonceDifferentPayload_returns409NonceReused() {
        KeyPair key = registeredKey();
        String nonce = Envelopes.nonce();
        assertEquals(202, send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key, nonce)))).status());
        ApiResponse conflict = send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key, nonce))));

        assertEquals(409, conflict.status(), conflict.toString());
        assertEquals("NONCE_REUSED", conflict.code());
        assertTrue(conflict.contentType().startsWith("application/problem+json"), conflict.contentType());
        assertEquals(1, env().count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
    }

    @Test
    void getJob_queuedJob_returnsStatusAndRecordFields() {
        KeyPair key = registeredKey();
        Envelope envelope = EnvelopeSigner.sign(Envelopes.publishPayload(
                io.raregen.functions.support.LambdaTransport.JSON.createObjectNode().put("a", 1),
                Envelopes.nonce(), Instant.now(), "doc-42"), key);
        ApiResponse accepted = send(ApiRequest.postJson("/v1/publish", Envelopes.body(envelope)));
        String jobId = accepted.json().get("jobId").asText();

        ApiResponse r = send(ApiRequest.get("/v1/jobs/" + jobId));
        assertEquals(200, r.status(), r.toString());
        JsonNode job = r.json();
        assertEquals(jobId, job.get("jobId").asText());
        assertEquals("queued", job.get("status").asText());
        assertEquals("doc-42", job.get("recordId").asText());
        assertNotNull(job.get("createdAt"));
        assertFalse(job.has("txid"), "no txid before signing");
    }

    @Test
    void getJob_failedJob_showsErrorCodeAndDetail() {
        String jobId = publishedJob(registeredKey());
        env().execute("UPDATE publish_jobs SET status = 'failed', error_code = 'ARC_REJECTED', error_detail = 'bad', failed_at = now() WHERE job_id = ?", jobId);
        JsonNode job = send(ApiRequest.get("/v1/jobs/" + jobId)).json();
        assertEquals("failed", job.get("status").asText());
        assertEquals("ARC_REJECTED", job.get("error").get("code").asText());
        assertEquals("bad", job.get("error").get("detail").asText());
    }

    @Test
    void getProof_queuedJob_returns409NotYetSigned() {
        String jobId = publishedJob(registeredKey());
        ApiResponse r = send(ApiRequest.get("/v1/jobs/" + jobId + "/proof"));
        assertEquals(409, r.status(), r.toString());
        assertEquals("NOT_YET_SIGNED", r.code());
    }

    @Test
    void getProof_signedJob_returnsRawTxSpentOutputsRecordOutputAndEnvelope() {
        KeyPair key = registeredKey();
        Envelope envelope = Envelopes.publish(key);
        String jobId = send(ApiRequest.postJson("/v1/publish", Envelopes.body(envelope))).json().get("jobId").asText();
        Chain.Signed signed = Chain.signJob(env(), jobId, 50);

        ApiResponse r = send(ApiRequest.get("/v1/jobs/" + jobId + "/proof"));
        assertEquals(200, r.status(), r.toString());
        JsonNode proof = r.json();
        assertEquals(signed.txid(), proof.get("txid").asText());
        assertEquals(HexFormat.of().formatHex(signed.rawTx()), proof.get("rawTx").asText());
        assertEquals(0, proof.get("outputIndex").asInt());
        assertEquals(1, proof.get("inputs").size());
        JsonNode input = proof.get("inputs").get(0);
        assertEquals(signed.inputTxid(), input.get("txid").asText());
        assertEquals(0, input.get("vout").asInt());
        assertEquals(signed.inputSats(), input.get("satoshis").asLong());
        assertEquals(HexFormat.of().formatHex(signed.lockingScript()), input.get("lockingScript").asText());
        assertEquals(envelope.signedPayload(), proof.get("signedPayload").asText());
        assertEquals(envelope.signature(), proof.get("signature").asText());
        assertEquals(key.publicKey().hex(), proof.get("pubkey").asText());

        JsonNode job = send(ApiRequest.get("/v1/jobs/" + jobId)).json();
        assertEquals("signed", job.get("status").asText());
        assertEquals(signed.txid(), job.get("txid").asText());
    }

    @Test
    void getBatch_existingBatch_listsJobsInSequence() {
        KeyPair key = registeredKey();
        String first = publishedJob(key);
        String second = publishedJob(key);
        String batchId = newBatch("signing", 2);
        env().execute("UPDATE publish_jobs SET status = 'processing', processing_batch_id = ?, batch_seq = 2 WHERE job_id = ?", batchId, first);
        env().execute("UPDATE publish_jobs SET status = 'processing', processing_batch_id = ?, batch_seq = 1 WHERE job_id = ?", batchId, second);

        ApiResponse r = send(ApiRequest.get("/v1/batches/" + batchId));
        assertEquals(200, r.status(), r.toString());
        assertEquals("signing", r.json().get("status").asText());
        assertEquals(second, r.json().get("jobs").get(0).get("jobId").asText());
        assertEquals(first, r.json().get("jobs").get(1).get("jobId").asText());
    }

    @Test
    void getJob_signedJobOfABatchRecordedSent_isSentSinceTheBatchsSentAt() {
        KeyPair key = registeredKey();
        List<String> jobs = List.of(publishedJob(key), publishedJob(key));
        String first = jobs.get(0);
        String second = jobs.get(1);
        String batchId = newBatch("broadcasting", 2);
        int seq = 1;
        for (String id : jobs) {
            env().execute("UPDATE publish_jobs SET status = 'processing' WHERE job_id = ?", id);
            env().execute("UPDATE publish_jobs SET status = 'signed', raw_tx = '\\x00'::bytea, txid = ?, signed_at = now(), "
                    + "processing_batch_id = ?, batch_seq = ? WHERE job_id = ?", Chain.randomTxid(), batchId, seq++, id);
        }
        assertEquals("signed", send(ApiRequest.get("/v1/jobs/" + first)).json().get("status").asText());
        // what the broadcaster does when the whole batch went out: the batch's sent_at and one audit row, no job row
        assertEquals("2", env().string("SELECT record_batch_sent(?, ARRAY[?, ?]::varchar[])::text", batchId, first, second));
        assertEquals("signed", env().string("SELECT status FROM publish_jobs WHERE job_id = ?", first), "the row is not written");

        String batchSentAt = env().string("SELECT to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
                + "FROM publish_batches WHERE batch_id = ?", batchId);
        for (String id : jobs) {
            JsonNode job = send(ApiRequest.get("/v1/jobs/" + id)).json();
            assertEquals("sent", job.get("status").asText(), job.toString());
            assertEquals(Instant.parse(batchSentAt + "Z"), Instant.parse(job.get("sentAt").asText()), job.toString());
        }
        JsonNode batch = send(ApiRequest.get("/v1/batches/" + batchId)).json();
        assertEquals("completed", batch.get("status").asText());
        assertEquals("sent", batch.get("jobs").get(0).get("status").asText());
        assertEquals("sent", batch.get("jobs").get(1).get("status").asText());
    }

    @Test
    void getPool_withOperatorToken_reportsDepthAndConservationFigures() {
        ApiResponse first = send(ApiRequest.get("/v1/pool").asOperator());
        assertEquals(200, first.status(), first.toString());
        JsonNode start = first.json();
        long available0 = start.get("conservation").get("availableSats").asLong();
        long fees0 = start.get("conservation").get("feesPaidSats").asLong();

        for (int i = 0; i < 3; i++) {
            env().execute("INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose) VALUES (?, 0, 100, '\\x00'::bytea, 'publish')", Chain.randomTxid());
        }
        String jobId = publishedJob(registeredKey());
        Chain.signJob(env(), jobId, 7);
        Chain.markSent(env(), jobId);
        env().execute("INSERT INTO pool_transactions (txid, kind, raw_tx, fee_sats, status) VALUES (?, 'split', '\\x00'::bytea, 11, 'sent')", Chain.randomTxid());

        ApiResponse r = send(ApiRequest.get("/v1/pool").asOperator());
        assertEquals(200, r.status(), r.toString());
        JsonNode pool = r.json();
        assertEquals(available0 + 300, pool.get("conservation").get("availableSats").asLong());
        assertEquals(fees0 + 18, pool.get("conservation").get("feesPaidSats").asLong());
        assertTrue(pool.get("byStatus").get("available").get("count").asLong() >= 3);
        assertTrue(pool.get("byDenomination").size() >= 1);
        assertTrue(pool.get("jobsByStatus").get("sent").asLong() >= 1);
    }

    @Test
    void getPool_withoutToken_returns401Unauthorized() {
        ApiResponse r = send(ApiRequest.get("/v1/pool"));
        assertEquals(401, r.status(), r.toString());
        assertEquals("UNAUTHORIZED", r.code());
    }

    @Test
    void verify_validEnvelope_reportsValidWithHashAndIdentityStatus() {
        KeyPair key = registeredKey();
        Envelope envelope = Envelopes.publish(key);
        ApiResponse r = send(ApiRequest.postJson("/v1/verify", Envelopes.body(envelope)));
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().get("valid").asBoolean(), r.toString());
        assertEquals("publish", r.json().get("type").asText());
        assertEquals("active", r.json().get("identityStatus").asText());
        assertEquals(envelope.signedPayload(), r.json().get("canonicalPayload").asText());
        assertEquals(64, r.json().get("payloadHash").asText().length());
        assertEquals(0, env().count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()),
                "verify stores nothing");
    }

    @Test
    void verify_nonCanonicalPayload_reportsCodeAndCanonicalForm() {
        KeyPair key = KeyPair.generate();
        String payload = "{\"type\":\"publish\",\"record\":{\"b\":1,\"a\":2},\"nonce\":\"x1\",\"createdAt\":\"" + Instant.now() + "\"}";
        ApiResponse r = send(ApiRequest.postJson("/v1/verify", Envelopes.body(Envelopes.signRaw(payload, key))));
        assertEquals(200, r.status(), r.toString());
        assertFalse(r.json().get("valid").asBoolean());
        assertEquals("PAYLOAD_NOT_CANONICAL", r.json().get("code").asText());
        assertTrue(r.json().get("canonicalPayload").asText().startsWith("{\"createdAt\""), r.toString());
    }

    @Test
    void verify_registerEnvelope_isRecognisedWithoutTypeParameter() {
        KeyPair key = KeyPair.generate();
        ApiResponse r = send(ApiRequest.postJson("/v1/verify", Envelopes.body(Envelopes.register(key))));
        assertTrue(r.json().get("valid").asBoolean(), r.toString());
        assertEquals("register", r.json().get("type").asText());
        assertEquals("unregistered", r.json().get("identityStatus").asText());
    }

    @Test
    void health_databaseAndQueueUp_returns200() {
        ApiResponse r = send(ApiRequest.get("/health"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("UP", r.json().get("status").asText());
        assertEquals("UP", r.json().get("checks").get("database").asText());
        assertEquals("UP", r.json().get("checks").get("queue").asText());
    }

    @Test
    void publish_withoutContentType_isReadAsJson() {
        KeyPair key = registeredKey();
        ApiRequest noContentType = new ApiRequest("POST", "/v1/publish", Envelopes.body(Envelopes.publish(key)), java.util.Map.of());
        ApiResponse r = send(noContentType);
        assertEquals(202, r.status(), r.toString());
    }

    @Test
    void publish_jsonWithCharset_isAccepted() {
        KeyPair key = registeredKey();
        ApiResponse r = send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))
                .withContentType("application/json; charset=utf-8"));
        assertEquals(202, r.status(), r.toString());
    }

    /** A valid request to each POST endpoint, fresh each time (new key, nonce, txid). */
    private List<ApiRequest> everyPost() {
        KeyPair toRevoke = registeredKey();
        KeyPair publisher = registeredKey();
        String txid = HexFormat.of().formatHex(randomBytes(32));
        return List.of(
                ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(KeyPair.generate()))),
                ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(publisher))),
                ApiRequest.postJson("/v1/verify", Envelopes.body(Envelopes.publish(publisher))),
                ApiRequest.postJson("/v1/identities/" + toRevoke.publicKey().hex() + "/revoke", "").asOperator(),
                ApiRequest.postJson("/v1/callbacks/arc", "{\"txid\":\"" + txid + "\",\"txStatus\":\"SEEN_ON_NETWORK\"}")
                        .withHeader("Authorization", "Bearer " + TestEnv.CALLBACK_TOKEN));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private String writes() {
        return env().count("SELECT count(*) FROM publish_jobs") + "/" + env().count("SELECT count(*) FROM identities") + "/"
                + env().count("SELECT count(*) FROM identities WHERE status = 'revoked'") + "/"
                + env().count("SELECT count(*) FROM arc_callbacks");
    }

    @Test
    void everyPost_withACharsetOtherThanUtf8_is415CharsetUnsupported_andWritesNothing() {
        for (String charset : List.of("klingon", "", "\"\"", "utf8", "iso-8859-1", "utf-16", "\"utf-8")) {
            for (ApiRequest valid : everyPost()) {
                String before = writes();
                ElasticMq.drain(env().queueUrl());
                ApiResponse r = send(valid.withContentType("application/json; charset=" + charset));
                String what = valid.path() + " charset=" + charset + " -> " + r;
                assertEquals(415, r.status(), what);
                assertEquals("CHARSET_UNSUPPORTED", r.code(), what);
                assertTrue(r.contentType().startsWith("application/problem+json"), what);
                assertEquals(before, writes(), "nothing written: " + what);
                assertEquals(List.of(), ElasticMq.drain(env().queueUrl()), "nothing queued: " + what);
            }
        }
    }

    @Test
    void everyPost_withUtf8InAnyRegisteredSpelling_isServed() {
        for (String charset : List.of("utf-8", "UTF-8", "\"utf-8\"", "\"UTF-8\"", "csUTF8", "\"csutf8\"")) {
            List<ApiRequest> posts = everyPost();
            List<Integer> expected = List.of(201, 202, 200, 200, 200);
            for (int i = 0; i < posts.size(); i++) {
                ApiRequest valid = posts.get(i);
                ApiResponse r = send(valid.withContentType("application/json; charset=" + charset));
                assertEquals(expected.get(i), r.status(), valid.path() + " charset=" + charset + " -> " + r);
            }
        }
    }

    @Test
    void unknownRoute_returns404ProblemWithCode() {
        ApiResponse r = send(ApiRequest.get("/v1/nothing-here"));
        assertEquals(404, r.status(), r.toString());
        assertEquals("NOT_FOUND", r.code());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.toString());
    }

    @Test
    void getIdentity_upperCaseHex_isRejectedLikeTheEnvelopeCheck() {
        KeyPair key = registeredKey();
        ApiResponse r = send(ApiRequest.get("/v1/identities/" + key.publicKey().hex().toUpperCase(java.util.Locale.ROOT)));
        assertEquals(400, r.status(), r.toString());
        assertEquals("PUBKEY_INVALID", r.json().get("code").asText());
        assertEquals(200, send(ApiRequest.get("/v1/identities/" + key.publicKey().hex())).status());
    }

    // ---- POST /v1/callbacks/arc ----

    private static String minedCallback(String txid, String blockHash, int height) {
        return minedCallback(txid, blockHash, height, Bumps.of(txid, height));
    }

    private static String minedCallback(String txid, String blockHash, long height, String merklePath) {
        return "{\"timestamp\":\"2026-11-22T21:00:00.123Z\",\"txid\":\"" + txid + "\",\"txStatus\":\"MINED\","
                + "\"blockHash\":\"" + blockHash + "\",\"blockHeight\":" + height + ",\"merklePath\":\"" + merklePath + "\","
                + "\"extraInfo\":\"\",\"competingTxs\":null,\"someFutureField\":1}";
    }

    private ApiResponse callback(String body, String token) {
        ApiRequest r = ApiRequest.postJson("/v1/callbacks/arc", body);
        return send(token == null ? r : r.withHeader("Authorization", "Bearer " + token));
    }

    private long callbackRows(String txid) {
        return env().count("SELECT count(*) FROM arc_callbacks WHERE txid = ?", txid);
    }

    @Test
    void arcCallback_mined_isStoredOnce_retriesAreAcknowledged_andAReorgIsANewRow() {
        String txid = "ab".repeat(32);
        ApiResponse first = callback(minedCallback(txid.toUpperCase(), "11".repeat(32), 900), TestEnv.CALLBACK_TOKEN);
        assertEquals(200, first.status(), first.toString());
        assertEquals(1, first.json().get("received").asInt());
        assertEquals(1, first.json().get("stored").asInt());

        ApiResponse retry = callback(minedCallback(txid, "11".repeat(32), 900), TestEnv.CALLBACK_TOKEN);
        assertEquals(200, retry.status(), retry.toString());
        assertEquals(0, retry.json().get("stored").asInt());

        assertEquals(200, callback(minedCallback(txid, "22".repeat(32), 901), TestEnv.CALLBACK_TOKEN).status());
        assertEquals(2, callbackRows(txid));
        assertEquals(Bumps.of(txid, 900), env().string("SELECT encode(merkle_path, 'hex') FROM arc_callbacks WHERE txid = ? AND block_height = 900", txid));
        assertEquals(0, env().count("SELECT count(*) FROM arc_callbacks WHERE txid = ? AND applied_at IS NOT NULL", txid));
    }

    @Test
    void arcCallback_batchedForm_storesEveryCallback() {
        String a = "c1".repeat(32);
        String b = "c2".repeat(32);
        String body = "{\"count\":2,\"callbacks\":[" + minedCallback(a, "33".repeat(32), 5)
                + ",{\"txid\":\"" + b + "\",\"txStatus\":\"DOUBLE_SPEND_ATTEMPTED\",\"competingTxs\":[\"" + "d4".repeat(32) + "\"]}]}";
        ApiResponse r = callback(body, TestEnv.CALLBACK_TOKEN);
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.json().get("stored").asInt());
        assertEquals("{" + "d4".repeat(32) + "}", env().string("SELECT competing_txs::text FROM arc_callbacks WHERE txid = ?", b));
    }

    @Test
    void arcCallback_withoutOrWithWrongToken_is401_andStoresNothing() {
        String txid = "e5".repeat(32);
        ApiResponse none = callback(minedCallback(txid, "11".repeat(32), 1), null);
        assertEquals(401, none.status(), none.toString());
        assertEquals("CALLBACK_UNAUTHORIZED", none.json().get("code").asText());
        ApiResponse operator = callback(minedCallback(txid, "11".repeat(32), 1), TestEnv.ADMIN_TOKEN);
        assertEquals(401, operator.status(), "the operator token is not the callback token");
        assertEquals(0, callbackRows(txid));
    }

    @Test
    void arcCallback_malformedBodies_are400CallbackInvalid_andStoreNothing() {
        String txid = "f6".repeat(32);
        long before = env().count("SELECT count(*) FROM arc_callbacks");
        List<String> bad = List.of(
                "not json",
                "[]",
                "{}",
                "{\"txid\":\"" + txid + "\"}",
                "{\"txid\":\"xyz\",\"txStatus\":\"MINED\"}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"mined\"}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"MINED\"}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"MINED\",\"blockHash\":\"" + "11".repeat(32) + "\",\"blockHeight\":-1}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"MINED\",\"blockHash\":\"" + "11".repeat(32) + "\",\"blockHeight\":1,\"merklePath\":\"zz\"}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"SEEN_ON_NETWORK\",\"timestamp\":\"yesterday\"}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"REJECTED\",\"competingTxs\":[\"abc\"]}",
                "{\"callbacks\":[]}",
                "{\"callbacks\":[" + minedCallback(txid, "11".repeat(32), 1) + ",{\"txid\":1}]}",
                // not an ARC status, however well-formed the rest
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"PWNED\",\"blockHash\":\"" + "11".repeat(32) + "\",\"blockHeight\":999999999}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"SEEN_ON_NETWORK\",\"blockHeight\":2147483647}",
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"SEEN_ON_NETWORK\",\"blockHash\":\"" + "zz".repeat(32) + "\"}",
                // MINED needs a merkle path that proves the txid at the callback's height
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"MINED\",\"blockHash\":\"" + "11".repeat(32) + "\",\"blockHeight\":1}",
                minedCallback(txid, "11".repeat(32), 1, "fe0102"),
                minedCallback(txid, "11".repeat(32), 1, Bumps.of("ab".repeat(32), 1)),
                minedCallback(txid, "11".repeat(32), 1, Bumps.of(txid, 2)),
                minedCallback(txid, "11".repeat(32), 1, Bumps.of(txid, 1) + "00"),
                "{\"txid\":\"" + txid + "\",\"txStatus\":\"SEEN_ON_NETWORK\",\"merklePath\":\"0102\"}");
        for (String body : bad) {
            ApiResponse r = callback(body, TestEnv.CALLBACK_TOKEN);
            assertEquals(400, r.status(), body + " -> " + r);
            assertEquals("CALLBACK_INVALID", r.json().get("code").asText(), body);
        }
        assertEquals(before, env().count("SELECT count(*) FROM arc_callbacks"), "a rejected body stores nothing, not even its valid part");
    }
}
