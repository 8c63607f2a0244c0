package io.raregen.functions.intake;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import io.raregen.functions.support.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-identity publish quota across two functions instances (two application contexts, two Netty servers) on one
 * database: however the requests are spread over the instances, one key gets at most its burst (plus what refills),
 * the rest get {@code 429 RATE_LIMITED} with {@code Retry-After} and store and send nothing; retries of accepted
 * publishes are free; other keys are untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaTest {

    private static final int BURST = 5;
    /** Slow enough that nothing refills within a test (one token per 100 s). */
    private static final double RATE = 0.01;

    private TestEnv env;
    private EmbeddedServer a;
    private EmbeddedServer b;

    @BeforeAll
    void start() {
        env = TestEnv.create();
        a = instance(RATE, 64);
        b = instance(RATE, 64);
    }

    private EmbeddedServer instance(double rate, int insertBatchMax) {
        Map<String, Object> props = new HashMap<>(env.properties());
        props.put("raregen.intake.quota.burst", BURST);
        props.put("raregen.intake.quota.rate", rate);
        props.put("raregen.intake.insert-batch-max", insertBatchMax);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    void stop() {
        a.close();
        b.close();
        env.close();
    }

    private static Transport http(EmbeddedServer s) {
        return new HttpTransport(s.getURI());
    }

    private KeyPair registered() {
        KeyPair key = KeyPair.generate();
        assertEquals(201, http(a).send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))).status());
        return key;
    }

    private long jobs(KeyPair key) {
        return env.count("SELECT count(*) FROM publish_jobs WHERE pubkey = ?", key.publicKey().hex());
    }

    @Test
    void sequentialPublishesAlternatingInstances_acceptTheBurst_thenAnswer429WithRetryAfter_andStoreNothing() throws Exception {
        KeyPair key = registered();
        ElasticMq.drain(env.queueUrl());
        for (int i = 0; i < BURST; i++) {
            ApiResponse r = http(i % 2 == 0 ? a : b).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key))));
            assertEquals(202, r.status(), "publish " + i + ": " + r);
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = raw(i % 2 == 0 ? a : b, Envelopes.body(Envelopes.publish(key)));
            assertEquals(429, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().map().toString());
            assertTrue(r.body().contains("\"code\":\"RATE_LIMITED\""), r.body());
            long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 101, "Retry-After " + retryAfter + " s: one token at 0.01/s");
        }
        assertEquals(BURST, jobs(key), "only the burst was stored");
        assertEquals(BURST, ElasticMq.drain(env.queueUrl()).size(), "only the burst was sent");
    }

    @Test
    void parallelPublishesSpreadOverBothInstances_acceptExactlyTheBurst() throws Exception {
        KeyPair key = registered();
        int n = 40;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(Envelopes.body(Envelopes.publish(key)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ApiResponse>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Transport t = http(i % 2 == 0 ? a : b);
                String body = bodies.get(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return t.send(ApiRequest.postJson("/v1/publish", body));
                }));
            }
            go.countDown();
            int accepted = 0;
            int limited = 0;
            for (Future<ApiResponse> f : futures) {
                ApiResponse r = f.get();
                if (r.status() == 202) {
                    accepted++;
                } else {
                    assertEquals(429, r.status(), r.toString());
                    assertEquals("RATE_LIMITED", r.code());
                    limited++;
                }
            }
            assertEquals(BURST, accepted, "exactly the burst across both instances");
            assertEquals(n - BURST, limited);
            assertEquals(BURST, jobs(key));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void byteIdenticalRetries_takeNoToken_evenWhenTheBucketIsEmpty() {
        KeyPair key = registered();
        String first = Envelopes.body(Envelopes.publish(key));
        assertEquals(202, http(a).send(ApiRequest.postJson("/v1/publish", first)).status());
        for (int i = 0; i < 10; i++) {
            ApiResponse retry = http(i % 2 == 0 ? b : a).send(ApiRequest.postJson("/v1/publish", first));
            assertEquals(200, retry.status(), "retry " + i + ": " + retry);
        }
        for (int i = 1; i < BURST; i++) {
            assertEquals(202, http(b).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).status(),
                    "the retries left the burst intact: publish " + i);
        }
        assertEquals(429, http(a).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).status());
        assertEquals(200, http(a).send(ApiRequest.postJson("/v1/publish", first)).status(), "a retry still answers once the bucket is empty");
    }

    @Test
    void parallelRequestsWithOneNonce_takeOneToken() throws Exception {
        KeyPair key = registered();
        String nonce = Envelopes.nonce();
        String original = Envelopes.body(Envelopes.publish(key, nonce));
        ExecutorService pool = Executors.newFixedThreadPool(30);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ApiResponse>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                // identical retries and same-nonce conflicts, all at once on one instance
                String body = i % 3 == 0 ? Envelopes.body(Envelopes.publish(key, nonce)) : original;
                futures.add(pool.submit(() -> {
                    go.await();
                    return http(a).send(ApiRequest.postJson("/v1/publish", body));
                }));
            }
            go.countDown();
            for (Future<ApiResponse> f : futures) {
                int status = f.get().status();
                assertTrue(status == 202 || status == 200 || status == 409, "answer " + status);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, jobs(key));
        for (int i = 1; i < BURST; i++) {
            assertEquals(202, http(b).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).status(),
                    "the one nonce took one token: publish " + i);
        }
        assertEquals(429, http(b).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).status());
    }

    @Test
    void oneKeyAtItsLimit_leavesOtherKeysAlone() {
        KeyPair busy = registered();
        KeyPair other = registered();
        for (int i = 0; i < BURST; i++) {
            assertEquals(202, http(a).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(busy)))).status());
        }
        assertEquals(429, http(b).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(busy)))).status());
        assertEquals(202, http(b).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(other)))).status());
    }

    @Test
    void anEmptiedBucket_refillsAtTheRate() throws Exception {
        // a third instance refilling one token every two seconds shares the same rows: the rate is a setting, the bucket
        // is the key's
        EmbeddedServer fast = instance(0.5, 1);
        try {
            KeyPair key = registered();
            for (int i = 0; i < BURST; i++) {
                assertEquals(202, http(fast).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).status());
            }
            HttpResponse<String> limited = raw(fast, Envelopes.body(Envelopes.publish(key)));
            assertEquals(429, limited.statusCode(), limited.body());
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "one token at 0.5/s: at most two seconds, rounded up; got " + retryAfter);
            Thread.sleep(retryAfter * 1_000 + 100);
            assertEquals(202, http(fast).send(ApiRequest.postJson("/v1/publish", Envelopes.body(Envelopes.publish(key)))).status(),
                    "after Retry-After a token is there again");
        } finally {
            fast.close();
        }
    }

    private static HttpResponse<String> raw(EmbeddedServer s, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.getURI() + "/v1/publish"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
