package io.raregen.functions;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The insert is the commit point: a queue that refuses the message does not fail the request. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueFailureTest implements TestPropertyProvider {

    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Inject
    MeterRegistry meters;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        Map<String, String> p = new HashMap<>(env.properties());
        // a queue that does not exist: every SendMessageBatch fails with QueueDoesNotExist
        p.put("raregen.queue.url", ElasticMq.endpoint() + "/000000000000/no-such-queue");
        return p;
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    @Test
    void publish_whenQueueSendFails_stillAnswers202_leavesJobQueuedUnenqueued_andCountsTheFailure() {
        HttpTransport http = new HttpTransport(server.getURI());
        KeyPair key = KeyPair.generate();
        assertEquals(201, http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))).status());
        double failuresBefore = meters.counter("raregen.intake.enqueue.failures").count();

        ApiResponse r = http.send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))));

        assertEquals(202, r.status(), r.toString());
        String jobId = r.json().get("jobId").asText();
        assertEquals("queued", env.string("SELECT status FROM publish_jobs WHERE job_id = ?", jobId));
        assertEquals(failuresBefore + 1, meters.counter("raregen.intake.enqueue.failures").count());
    }

    @Test
    void health_whenQueueUnreachable_returns503WithQueueDown() {
        ApiResponse r = new HttpTransport(server.getURI()).send(ApiRequest.get("/health"));
        assertEquals(503, r.status(), r.toString());
        assertEquals("DOWN", r.json().get("checks").get("queue").asText());
        assertEquals("UP", r.json().get("checks").get("database").asText());
    }
}
