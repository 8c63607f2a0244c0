package io.raregen.functions.queue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ElasticMq;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.GatedProxy;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code raregen.queue.await-send}, over real HTTP with ElasticMQ behind a gate that holds every SQS call until the
 * test opens it. The Netty host (false) answers 202 once the job is stored, while its id still waits at the gate;
 * a Lambda-like host (true) answers only after SQS took the message; past {@code max-unsent} waiting ids a request
 * waits for its send again. Every accepted job's id reaches the queue once the gate opens.
 */
class AnswerBeforeSendTest {

    private TestEnv env;
    private GatedProxy gate;
    private EmbeddedServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        env = TestEnv.create();
        gate = new GatedProxy(ElasticMq.endpoint());
    }

    @AfterEach
    void stop() throws Exception {
        gate.close();
        if (server != null) {
            server.close();
        }
        env.close();
    }

    private KeyPair startHost(boolean awaitSend, int maxUnsent) {
        Map<String, Object> props = new HashMap<>(env.properties());
        props.put("raregen.aws.endpoint", gate.endpoint());
        props.put("raregen.queue.await-send", Boolean.toString(awaitSend));
        props.put("raregen.queue.max-unsent", Integer.toString(maxUnsent));
        props.put("raregen.queue.send-timeout", "60s");
        server = ApplicationContext.run(EmbeddedServer.class, props);
        KeyPair key = KeyPair.generate();
        assertEquals(201, new HttpTransport(server.getURI())
                .send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))).status());
        return key;
    }

    private CompletableFuture<HttpResponse<String>> publish(KeyPair key) {
        return http.sendAsync(HttpRequest.newBuilder(server.getURI().resolve("/v1/publish"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Envelopes.body(Envelopes.publish(key)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String accepted(CompletableFuture<HttpResponse<String>> answer) throws Exception {
        HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
        assertEquals(202, r.statusCode(), r.body());
        return r.body().replaceAll(".*\"jobId\"\\s*:\\s*\"([0-9A-Z]{26})\".*", "$1");
    }

    /** Every job id in the queue's messages, once the gate is open. */
    private Set<String> idsOnTheQueue(int expected) throws InterruptedException {
        Set<String> ids = new HashSet<>();
        awaitTrue("the ids reach the queue", () -> {
            for (String body : ElasticMq.drain(env.queueUrl())) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9A-Z]{26}").matcher(body);
                while (m.find()) {
                    ids.add(m.group());
                }
            }
            return ids.size() >= expected;
        });
        return ids;
    }

    @Test
    void nettyHost_answers202WhileTheSendIsHeld_andTheIdArrivesOnceTheGateOpens() throws Exception {
        KeyPair key = startHost(false, 10_000);

        // WHEN a publish arrives while SQS cannot be reached through the gate
        String jobId = accepted(publish(key));

        // THEN it was answered with its job stored and nothing on the queue yet
        assertEquals(1L, env.count("SELECT count(*) FROM publish_jobs WHERE job_id = ?", jobId));
        assertEquals(0, env.queueDepth());
        gate.open();
        assertEquals(Set.of(jobId), idsOnTheQueue(1));
    }

    @Test
    void awaitSend_answersOnlyAfterSqsTookTheMessage() throws Exception {
        KeyPair key = startHost(true, 10_000);

        // WHEN a publish arrives and its send is held at the gate
        CompletableFuture<HttpResponse<String>> answer = publish(key);
        awaitTrue("the send is held at the gate", gate::holding);

        // THEN the job is stored but the request is still waiting; once SQS has the message it answers
        awaitTrue("the job is stored", () -> env.count("SELECT count(*) FROM publish_jobs") == 1);
        assertFalse(answer.isDone(), "answered before the send");
        gate.open();
        String jobId = accepted(answer);
        assertEquals(Set.of(jobId), idsOnTheQueue(1));
    }

    @Test
    void pastMaxUnsent_aRequestWaitsForItsOwnSend() throws Exception {
        KeyPair key = startHost(false, 1);
        JobQueue queue = server.getApplicationContext().getBean(JobQueue.class);

        // GIVEN a first send held at the gate, and a second id waiting behind it (1 = max-unsent), both answered
        List<String> ids = new ArrayList<>();
        ids.add(accepted(publish(key)));
        awaitTrue("the first send is held at the gate", gate::holding);
        ids.add(accepted(publish(key)));

        // WHEN a third arrives
        CompletableFuture<HttpResponse<String>> third = publish(key);

        // THEN it waits with its id queued behind the others, and answers once the sends go through
        awaitTrue("the third id waits for the sender", () -> queue.unsent() == 2);
        assertFalse(third.isDone(), "answered past max-unsent");
        gate.open();
        ids.add(accepted(third));
        assertEquals(Set.copyOf(ids), idsOnTheQueue(3));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        // a guard against hanging, not a timing assertion
        for (int i = 0; i < 3_000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
