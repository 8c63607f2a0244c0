package io.raregen.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * ElasticMQ in this process with the publish queue and its dead-letter queue (redrive after 5
 * receives, docs/ARCHITECTURE.md). Queues are created over the SQS JSON protocol, exactly as an
 * AWS client would, so nothing ElasticMQ-specific leaks into the apps.
 */
public final class LocalQueue implements AutoCloseable {
    public static final String QUEUE = "raregen-publish";
    public static final String DLQ = "raregen-publish-dlq";
    static final int MAX_RECEIVE_COUNT = 5;
    /**
     * Seconds a received message stays invisible: the value AWS gets from infra-cdk's
     * {@code PublishQueue.PublishQueueProps.visibilityTimeout()} (max(30, 2 × (5 s batch window + 25 s
     * processing)) = 60), which localstack/init/ready.d/10-queues.sh uses too.
     */
    static final int VISIBILITY_TIMEOUT_SECONDS = 60;

    private final SQSRestServer server;
    private final String endpoint;
    private final String queueUrl;
    private final String dlqUrl;

    private LocalQueue(SQSRestServer server, String endpoint, String queueUrl, String dlqUrl) {
        this.server = server;
        this.endpoint = endpoint;
        this.queueUrl = queueUrl;
        this.dlqUrl = dlqUrl;
    }

    public static LocalQueue start(int port, ObjectMapper json) throws IOException, InterruptedException {
        SQSRestServer server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
        server.waitUntilStarted();
        String endpoint = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            String dlqUrl = call(http, json, endpoint, "CreateQueue", json.createObjectNode().put("QueueName", DLQ)).path("QueueUrl").asText();
            ObjectNode attrReq = json.createObjectNode().put("QueueUrl", dlqUrl);
            attrReq.putArray("AttributeNames").add("QueueArn");
            String dlqArn = call(http, json, endpoint, "GetQueueAttributes", attrReq).path("Attributes").path("QueueArn").asText();
            ObjectNode create = json.createObjectNode().put("QueueName", QUEUE);
            create.putObject("Attributes")
                    .put("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}")
                    .put("VisibilityTimeout", Integer.toString(VISIBILITY_TIMEOUT_SECONDS));
            String queueUrl = call(http, json, endpoint, "CreateQueue", create).path("QueueUrl").asText();
            return new LocalQueue(server, endpoint, queueUrl, dlqUrl);
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.stopAndWait();
            throw e;
        }
    }

    private static JsonNode call(HttpClient http, ObjectMapper json, String endpoint, String action, ObjectNode body)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS." + action)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("ElasticMQ " + action + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    public String endpoint() {
        return endpoint;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String dlqUrl() {
        return dlqUrl;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
