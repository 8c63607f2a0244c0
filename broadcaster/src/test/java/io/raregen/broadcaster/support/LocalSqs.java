package io.raregen.broadcaster.support;

import io.raregen.broadcaster.receive.QueueMessages;
import io.raregen.core.types.JobId;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** ElasticMQ in this JVM and an SDK client pointed at it, as the broadcaster uses in production. */
public final class LocalSqs implements AutoCloseable {
    private final SQSRestServer server;
    public final SqsClient client;

    public LocalSqs() {
        server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        client = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public String createQueue() {
        return createQueue(30);
    }

    /** A fresh queue whose received-but-not-deleted messages come back after {@code visibilitySeconds}. */
    public String createQueue(int visibilitySeconds) {
        return client.createQueue(CreateQueueRequest.builder().queueName("raregen-publish-" + UUID.randomUUID().toString().substring(0, 8))
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds))).build()).queueUrl();
    }

    public void sendJobIds(String queueUrl, List<String> ids) {
        sendBodies(queueUrl, ids.stream().map(id -> QueueMessages.body(new JobId(id))).toList());
    }

    public void sendBodies(String queueUrl, List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int k = i; k < Math.min(bodies.size(), i + 10); k++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(k - i)).messageBody(bodies.get(k)).build());
            }
            client.sendMessageBatch(SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build());
        }
    }

    /** Visible + in flight messages. */
    public long depth(String queueUrl) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                .build()).attributes();
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
