package io.raregen.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalQueueTest {
    private final ObjectMapper json = new ObjectMapper();

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void start_createsThePublishQueueWithARedriveToTheDeadLetterQueue() throws Exception {
        try (LocalQueue q = LocalQueue.start(freePort(), json)) {
            assertTrue(q.queueUrl().endsWith("/" + LocalQueue.QUEUE), q.queueUrl());
            assertTrue(q.dlqUrl().endsWith("/" + LocalQueue.DLQ), q.dlqUrl());

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(q.endpoint() + "/"))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "AmazonSQS.GetQueueAttributes")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"QueueUrl\":\"" + q.queueUrl() + "\",\"AttributeNames\":[\"All\"]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, r.statusCode(), r.body());
            JsonNode redrive = json.readTree(json.readTree(r.body()).at("/Attributes/RedrivePolicy").asText());
            assertTrue(redrive.get("deadLetterTargetArn").asText().endsWith(LocalQueue.DLQ), redrive.toString());
            assertEquals(LocalQueue.MAX_RECEIVE_COUNT, redrive.get("maxReceiveCount").asInt());
        }
    }

    @Test
    void start_setsTheVisibilityTimeoutTheCdkAndTheLocalStackInitScriptUse() throws Exception {
        try (LocalQueue q = LocalQueue.start(freePort(), json)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(q.endpoint() + "/"))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "AmazonSQS.GetQueueAttributes")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"QueueUrl\":\"" + q.queueUrl() + "\",\"AttributeNames\":[\"All\"]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, r.statusCode(), r.body());
            assertEquals("60", json.readTree(r.body()).at("/Attributes/VisibilityTimeout").asText());
            // infra-cdk PublishQueue: max(30, 2 * (5 s window + 25 s processing))
            assertEquals(Math.max(30, 2 * (5 + 25)), LocalQueue.VISIBILITY_TIMEOUT_SECONDS);
            // the LocalStack (docker compose) init script creates the same queue with the same value
            String init = Files.readString(Path.of("init/ready.d/10-queues.sh"));
            assertTrue(init.contains("\"VisibilityTimeout\": \"" + LocalQueue.VISIBILITY_TIMEOUT_SECONDS + "\""), init);
        }
    }
}
