package io.raregen.functions.support;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One in-process ElasticMQ per test JVM; each test class makes its own queue so counts never mix. */
public final class ElasticMq {

    private static SQSRestServer server;
    private static String endpoint;
    private static SqsClient client;

    private ElasticMq() {
    }

    public static synchronized String endpoint() {
        if (endpoint == null) {
            server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
            int port = server.waitUntilStarted().localAddress().getPort();
            endpoint = "http://127.0.0.1:" + port;
            client = SqsClient.builder()
                    .endpointOverride(URI.create(endpoint))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stopAndWait()));
        }
        return endpoint;
    }

    public static synchronized SqsClient client() {
        endpoint();
        return client;
    }

    /** Creates a fresh queue and returns its URL. */
    public static String createQueue(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return client().createQueue(CreateQueueRequest.builder().queueName(name).build()).queueUrl();
    }

    /** Visible plus in-flight messages. */
    public static int depth(String queueUrl) {
        Map<QueueAttributeName, String> attrs = client().getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                .build()).attributes();
        return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Receives and deletes everything currently visible; returns the bodies. */
    public static List<String> drain(String queueUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> batch = client().receiveMessage(ReceiveMessageRequest.builder()
                    .queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0).build()).messages();
            if (batch.isEmpty()) {
                return bodies;
            }
            for (Message m : batch) {
                bodies.add(m.body());
                client().deleteMessage(DeleteMessageRequest.builder().queueUrl(queueUrl).receiptHandle(m.receiptHandle()).build());
            }
        }
    }
}
