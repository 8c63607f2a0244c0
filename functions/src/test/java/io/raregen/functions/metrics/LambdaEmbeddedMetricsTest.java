package io.raregen.functions.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.LambdaTransport;
import io.raregen.functions.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda handler with the Lambda environment's defaults writes one EMF line to stdout (what Lambda ships to
 * CloudWatch Logs) per request that changed a counter, with that request's increments only.
 */
class LambdaEmbeddedMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TestEnv env;
    static LambdaTransport lambda;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeAll
    static void start() {
        env = TestEnv.create();
        Map<String, String> p = new HashMap<>(env.properties());
        p.put("raregen.metrics.emf.stage", "test-stage");
        lambda = new LambdaTransport(p);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        env.close();
    }

    @BeforeEach
    void captureStdout() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(original);
    }

    /** The EMF documents written since the last call; every other stdout line must be a JSON log event. */
    private List<JsonNode> emfLines() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            assertTrue(node.isObject(), "stdout carries one JSON object per line: " + line);
            if (node.has("_aws")) {
                docs.add(node);
            } else {
                assertTrue(node.has("message") && node.has("level"), "a JSON log event: " + line);
            }
        }
        captured.reset();
        return docs;
    }

    @Test
    void publish_thenReplay_thenRead_writeOnlyEachRequestsIncrements() throws Exception {
        KeyPair key = KeyPair.generate();
        assertEquals(201, lambda.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)))
                .asOperator()).status());
        emfLines();
        String body = Envelopes.body(Envelopes.publish(key));

        // WHEN a record is accepted
        ApiResponse accepted = lambda.send(ApiRequest.postJson("/v1/publish", body));
        assertEquals(202, accepted.status(), accepted.toString());
        List<JsonNode> first = emfLines();

        // THEN one document: one accepted, one message sent, in namespace RareGen with the stage dimension
        assertEquals(1, first.size(), first.toString());
        JsonNode doc = first.get(0);
        assertEquals("RareGen", doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("test-stage", doc.get("Stage").asText());
        assertEquals(1, doc.get("raregen_intake_accepted").asLong());
        assertEquals(1, doc.get("raregen_queue_send_messages").asLong());
        assertNull(doc.get("raregen_intake_replayed"));

        // WHEN the same request is retried: only the replay counts
        assertEquals(200, lambda.send(ApiRequest.postJson("/v1/publish", body)).status());
        List<JsonNode> second = emfLines();
        assertEquals(1, second.size(), second.toString());
        assertEquals(1, second.get(0).get("raregen_intake_replayed").asLong());
        assertFalse(second.get(0).has("raregen_intake_accepted"));

        // WHEN a request changes no counter: no document
        assertEquals(200, lambda.send(ApiRequest.get("/v1/jobs/" + accepted.json().get("jobId").asText())).status());
        assertTrue(emfLines().isEmpty());
    }
}
