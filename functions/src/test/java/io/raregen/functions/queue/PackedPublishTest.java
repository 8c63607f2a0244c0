package io.raregen.functions.queue;

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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Through the Netty host with its own settings (application.yml: up to 50 ids per message):
 * concurrent publishes of different jobs reach the queue packed, every accepted job's id exactly once.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackedPublishTest implements TestPropertyProvider {

    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Inject
    MeterRegistry meters;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        return env.properties();
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    @Test
    void hundredParallelPublishesOfDifferentJobs_everyJobIdReachesTheQueueOnce_inPackedMessages() throws Exception {
        // GIVEN ten registered keys and 100 different publish requests
        HttpTransport http = new HttpTransport(server.getURI());
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            KeyPair key = KeyPair.generate();
            assertEquals(201, http.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))).status());
            keys.add(key);
        }
        ElasticMq.drain(env.queueUrl());
        double failuresBefore = meters.counter("raregen.intake.enqueue.failures").count();
        double messagesBefore = meters.counter("raregen.queue.send.messages").count();
        double idsBefore = meters.counter("raregen.queue.send.ids").count();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add(Envelopes.body(Envelopes.publish(keys.get(i % keys.size()))));
        }

        // WHEN they all arrive at once
        List<ApiResponse> responses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<ApiResponse>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return http.send(ApiRequest.postJson("/v1/publish", body));
                }));
            }
            gate.countDown();
            for (Future<ApiResponse> f : futures) {
                responses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // THEN 100 jobs accepted, each id in exactly one message of the contract, fewer messages than jobs
        Set<String> accepted = new HashSet<>();
        for (ApiResponse r : responses) {
            assertEquals(202, r.status(), r.toString());
            accepted.add(r.json().get("jobId").asText());
        }
        assertEquals(100, accepted.size());
        List<String> messages = ElasticMq.drain(env.queueUrl());
        List<String> sent = QueueBodies.jobIds(messages);
        assertEquals(100, sent.size(), "no id twice");
        assertEquals(accepted, new HashSet<>(sent));
        assertTrue(messages.size() < 100, messages.size() + " messages for 100 jobs");
        assertEquals(failuresBefore, meters.counter("raregen.intake.enqueue.failures").count());
        assertEquals(messages.size(), meters.counter("raregen.queue.send.messages").count() - messagesBefore);
        assertEquals(100, meters.counter("raregen.queue.send.ids").count() - idsBefore);
    }
}
