package io.raregen.functions;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Races on the same request and on the same nonce resolve in the database, not by luck. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyTest implements TestPropertyProvider {

    private TestEnv env;

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
    void emptyQueue() {
        ElasticMq.drain(env.queueUrl());
    }

    private List<ApiResponse> race(List<ApiRequest> requests) throws Exception {
        HttpTransport http = new HttpTransport(server.getURI());
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<ApiResponse>> futures = new ArrayList<>();
            for (ApiRequest r : requests) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return http.send(r);
                }));
            }
            gate.countDown();
            List<ApiResponse> responses = new ArrayList<>();
            for (Future<ApiResponse> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private KeyPair registered() {
        KeyPair key = KeyPair.generate();
        assertEquals(201, new HttpTransport(server.getURI())
                .send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))).status());
        return key;
    }

    @Test
    void hundredParallelIdenticalRequests_createOneJobAndOneMessage() throws Exception {
        KeyPair key = registered();
        String body = Envelopes.body(Envelopes.publish(key));
        List<ApiRequest> requests = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            requests.add(ApiRequest.postJson("/v1/publish", body));
        }

        List<ApiResponse> responses = race(requests);

        Map<Integer, Long> byStatus = responses.stream().collect(Collectors.groupingBy(ApiResponse::status, Collectors.counting()));
        assertEquals(Map.of(202, 1L, 200, 99L), byStatus, responses.toString());
        Set<String> jobIds = responses.stream().map(r -> r.json().get("jobId").asText()).collect(Collectors.toSet());
        assertEquals(1, jobIds.size());
        assertEquals(1, env.count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
        assertEquals(List.of("{\"jobId\":\"" + jobIds.iterator().next() + "\"}"), ElasticMq.drain(env.queueUrl()));
    }

    @Test
    void fiftyParallelRequestsWithOneNonce_acceptExactlyOne() throws Exception {
        KeyPair key = registered();
        String nonce = Envelopes.nonce();
        List<ApiRequest> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key, nonce))));
        }

        List<ApiResponse> responses = race(requests);

        Map<Integer, Long> byStatus = responses.stream().collect(Collectors.groupingBy(ApiResponse::status, Collectors.counting()));
        assertEquals(Map.of(202, 1L, 409, 49L), byStatus, responses.toString());
        responses.stream().filter(r -> r.status() == 409).forEach(r -> assertEquals("NONCE_REUSED", r.code()));
        assertEquals(1, env.count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex()));
        assertEquals(1, ElasticMq.drain(env.queueUrl()).size());
    }
}
