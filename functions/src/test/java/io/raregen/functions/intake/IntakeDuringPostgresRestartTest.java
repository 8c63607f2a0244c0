package io.raregen.functions.intake;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.TestEnv;
import io.raregen.migrations.RestartablePostgres;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #20, intake side: publish requests arrive continuously over real HTTP (Netty) while the database is stopped
 * (fast shutdown) and started again on the same port. While it is away every request answers
 * {@code 503 STORAGE_UNAVAILABLE} as problem+json within the connection timeout, never a 202; every 202 ever given
 * has its job in the database and its id on the queue; once the database is back the same app answers 202 again.
 * No other status, no request that outlives the client's timeout, no stack trace per failed request in the log.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakeDuringPostgresRestartTest implements TestPropertyProvider {

    static final int CLIENTS = 6;
    // the longest a request waits for a database connection (datasources.default.connection-timeout, 5 s by
    // default): 3 s here, so that the outage holds two rounds of requests that are sent and answered while it lasts
    static final long CONNECTION_TIMEOUT_MS = 3000;
    static final long OUTAGE_MS = 7000;
    // a request is answered within one connection timeout and a little (never two: see PostgresJobStore)
    static final long SLOWEST_ANSWER_MS = CONNECTION_TIMEOUT_MS + 1500;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(8);
    static final ObjectMapper JSON = new ObjectMapper();

    private RestartablePostgres pg;
    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        pg = RestartablePostgres.start("intake");
        env = TestEnv.create(pg.adminUrl());
        Map<String, String> p = new HashMap<>(env.properties());
        p.put("datasources.default.connection-timeout", Long.toString(CONNECTION_TIMEOUT_MS));
        // the drill's clients publish as fast as they can: the quota is not under test
        p.put("raregen.intake.quota.rate", "100000");
        p.put("raregen.intake.quota.burst", "100000");
        return p;
    }

    @AfterAll
    void stop() {
        pg.start();
        env.close();
        pg.close();
    }

    record Answer(long sentAt, long answeredAt, int status, String contentType, String code, String jobId, String failure) {
    }

    @Test
    void publishesDuringARestart_answer503WhileAway_202Before_andAfterWithoutAnAppRestart() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        URI publish = server.getURI().resolve("/v1/publish");
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            KeyPair key = KeyPair.generate();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.getURI().resolve("/v1/identities"))
                    .header("Content-Type", "application/json").timeout(CLIENT_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(Envelopes.body(Envelopes.register(key)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            keys.add(key);
        }
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);

        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (KeyPair key : keys) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    answers.add(publish(http, publish, key));
                }
            }, "client");
            t.start();
            clients.add(t);
        }
        long stopped;
        long startCalled;
        long back;
        try {
            Thread.sleep(1500);
            pg.stop();
            stopped = System.nanoTime();
            Thread.sleep(OUTAGE_MS);
            startCalled = System.nanoTime();
            pg.start();
            back = System.nanoTime();
            // until the first 202 after the restart, then a while longer (at most 15 s)
            long deadline = back + 15_000_000_000L;
            while (System.nanoTime() < deadline && answers.stream().noneMatch(a -> a.status == 202 && a.sentAt > back)) {
                Thread.sleep(50);
            }
            Thread.sleep(1500);
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join(CLIENT_TIMEOUT.toMillis() + 1000);
            }
            root.detachAppender(logs);
        }

        List<Answer> all = new ArrayList<>(answers);
        Map<String, Integer> byStatus = new TreeMap<>();
        all.forEach(a -> byStatus.merge(a.failure != null ? a.failure : a.status + " " + a.code, 1, Integer::sum));
        List<Answer> whileAway = all.stream().filter(a -> a.sentAt > stopped && a.answeredAt < startCalled).toList();
        long first202After = all.stream().filter(a -> a.status == 202 && a.sentAt > back).mapToLong(a -> a.answeredAt).min().orElse(-1);
        long slowest = all.stream().mapToLong(a -> a.answeredAt - a.sentAt).max().orElse(0) / 1_000_000;
        System.out.printf("%d requests: %s; %d sent and answered while the database was away; first 202 %d ms after it was back%n",
                all.size(), byStatus, whileAway.size(), first202After < 0 ? -1 : (first202After - back) / 1_000_000);
        System.out.printf("answer times while away: max %d ms; slowest answer of all %d ms%n",
                whileAway.stream().mapToLong(a -> (a.answeredAt - a.sentAt) / 1_000_000).max().orElse(-1), slowest);

        for (Answer a : all) {
            if (a.answeredAt > startCalled && a.answeredAt < first202After + 500_000_000L) {
                System.out.printf("  sent %+d ms answered %+d ms after start: %d %s %s%n", (a.sentAt - startCalled) / 1_000_000,
                        (a.answeredAt - startCalled) / 1_000_000, a.status, a.code, a.failure);
            }
        }
        // no client timeout, no other status than 202 and the documented 503
        for (Answer a : all) {
            assertEquals(null, a.failure, "request failed on the client side: " + a);
            assertTrue(a.status == 202 || a.status == 503, "unexpected answer " + a);
            if (a.status == 503) {
                assertEquals("STORAGE_UNAVAILABLE", a.code, a.toString());
                assertEquals("application/problem+json", a.contentType, a.toString());
            }
        }
        assertTrue(slowest <= SLOWEST_ANSWER_MS, "slowest answer " + slowest + " ms");
        assertTrue(whileAway.size() >= CLIENTS / 2, "requests reached the app while the database was away: " + whileAway.size());
        for (Answer a : whileAway) {
            assertEquals(503, a.status, "while the database was away: " + a);
        }
        assertTrue(all.stream().anyMatch(a -> a.status == 202 && a.answeredAt < stopped), "202s before the outage");
        assertTrue(first202After > 0, "202 again after the database came back, without an app restart");
        // Hikari retries connecting with a backoff of at most 5 s, and a request waits one connection timeout
        assertTrue(first202After - back < 10_000_000_000L, "202 again within 10 s: " + (first202After - back) / 1_000_000 + " ms");
        // once back, it stays back: every request sent after the first new 202 is accepted
        for (Answer a : all) {
            if (a.sentAt > first202After) {
                assertEquals(202, a.status, "after the database came back: " + a);
            }
        }

        // every 202 is durable and on the queue
        Set<String> accepted = new HashSet<>();
        all.stream().filter(a -> a.status == 202).forEach(a -> accepted.add(a.jobId));
        Set<String> stored = new HashSet<>();
        for (String id : accepted) {
            if (env.count("SELECT count(*) FROM publish_jobs WHERE job_id = ?", id) == 1) {
                stored.add(id);
            }
        }
        assertEquals(accepted, stored, "every job a 202 named is in the database after the restart");
        Set<String> queued = new HashSet<>();
        for (String body : ElasticMq.drain(env.queueUrl())) {
            JsonNode n = JSON.readTree(body);
            if (n.has("jobId")) {
                queued.add(n.get("jobId").asText());
            }
            if (n.has("jobIds")) {
                n.get("jobIds").forEach(id -> queued.add(id.asText()));
            }
        }
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(queued);
        assertEquals(Set.of(), missing, "every accepted job id is on the queue");

        // a failed request is one log line, not a stack trace each
        long traces = logs.list.stream().filter(e -> e.getThrowableProxy() != null && e.getLoggerName().startsWith("io.raregen")).count();
        System.out.println("log events during the drill: " + logs.list.size() + ", ours with a stack trace: " + traces);
        assertEquals(0, traces, "stack traces logged by the app during the outage");
    }

    private static Answer publish(HttpClient http, URI uri, KeyPair key) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .timeout(CLIENT_TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.ofString(Envelopes.body(Envelopes.publish(key)), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            long answered = System.nanoTime();
            JsonNode body = r.body() == null || r.body().isEmpty() ? null : JSON.readTree(r.body());
            String code = body != null && body.has("code") ? body.get("code").asText() : null;
            String jobId = body != null && body.has("jobId") ? body.get("jobId").asText() : null;
            return new Answer(sent, answered, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), code, jobId, null);
        } catch (HttpTimeoutException e) {
            return new Answer(sent, System.nanoTime(), -1, null, null, null, "client timeout after " + CLIENT_TIMEOUT);
        } catch (Exception e) {
            return new Answer(sent, System.nanoTime(), -1, null, null, null, e.toString());
        }
    }
}
