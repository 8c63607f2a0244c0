package io.raregen.functions.intake;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code "mode"} beside the envelope at POST /v1/publish, against real Postgres, ElasticMQ and HTTP. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishModeTest implements TestPropertyProvider {

    private TestEnv env;
    private HttpTransport http;
    private KeyPair key;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        return env.properties();
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    @BeforeEach
    void register() {
        http = new HttpTransport(server.getURI());
        key = KeyPair.generate();
        assertEquals(201, http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))).status());
    }

    private static String withMode(Envelope e, String modeJson) {
        String body = Envelopes.body(e);
        return "{\"mode\":" + modeJson + "," + body.substring(1);
    }

    private ApiResponse publish(String body) {
        return http.send(ApiRequest.postJson("/v1/publish", body));
    }

    @Test
    void anchorMode_isStoredOnTheJob_andAnsweredBack_andSendsNoQueueMessage() {
        ElasticMq.drain(env.queueUrl());
        ApiResponse r = publish(withMode(Envelopes.publish(key), "\"anchor\""));
        assertEquals(202, r.status(), r.toString());
        String jobId = r.json().get("jobId").asText();
        assertEquals("anchor", r.json().get("mode").asText());
        assertEquals("anchor", env.string("SELECT mode FROM publish_jobs WHERE job_id = ?", jobId));
        assertEquals("queued", env.string("SELECT status FROM publish_jobs WHERE job_id = ?", jobId));
        // the anchoring window reads it from Postgres
        assertEquals(java.util.List.of(), ElasticMq.drain(env.queueUrl()));
    }

    @Test
    void noModeAndRecordMode_areRecordJobs_eachWithItsQueueMessage() {
        ElasticMq.drain(env.queueUrl());
        ApiResponse plain = publish(Envelopes.body(Envelopes.publish(key)));
        ApiResponse record = publish(withMode(Envelopes.publish(key), "\"record\""));
        assertEquals(202, plain.status(), plain.toString());
        assertEquals(202, record.status(), record.toString());
        assertEquals("record", plain.json().get("mode").asText());
        for (ApiResponse r : new ApiResponse[]{plain, record}) {
            assertEquals("record", env.string("SELECT mode FROM publish_jobs WHERE job_id = ?", r.json().get("jobId").asText()));
        }
        assertEquals(java.util.Set.of("{\"jobId\":\"" + plain.json().get("jobId").asText() + "\"}",
                "{\"jobId\":\"" + record.json().get("jobId").asText() + "\"}"), new java.util.HashSet<>(ElasticMq.drain(env.queueUrl())));
    }

    @Test
    void anyOtherMode_is400ModeInvalid_andNothingIsWritten() {
        long jobsBefore = env.count("SELECT count(*) FROM publish_jobs");
        for (String bad : new String[]{"\"batch\"", "\"ANCHOR\"", "\"\"", "null", "1", "true", "{}", "[\"anchor\"]"}) {
            ApiResponse r = publish(withMode(Envelopes.publish(key), bad));
            assertEquals(400, r.status(), bad + ": " + r);
            assertEquals("application/problem+json", r.contentType().split(";")[0], bad);
            assertEquals("MODE_INVALID", r.json().get("code").asText(), bad + ": " + r);
        }
        assertEquals(jobsBefore, env.count("SELECT count(*) FROM publish_jobs"));
    }

    @Test
    void retryOfTheSameEnvelope_returnsTheSameJob_withItsFirstMode() {
        Envelope e = Envelopes.publish(key);
        ApiResponse first = publish(withMode(e, "\"anchor\""));
        ApiResponse again = publish(withMode(e, "\"anchor\""));
        ApiResponse otherMode = publish(Envelopes.body(e));
        assertEquals(202, first.status(), first.toString());
        assertEquals(200, again.status(), again.toString());
        assertEquals(200, otherMode.status(), otherMode.toString());
        String jobId = first.json().get("jobId").asText();
        assertEquals(jobId, again.json().get("jobId").asText());
        assertEquals(jobId, otherMode.json().get("jobId").asText());
        assertEquals("anchor", again.json().get("mode").asText());
        assertEquals("anchor", otherMode.json().get("mode").asText());
        assertEquals(1, env.count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
    }
}
