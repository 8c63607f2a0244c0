package io.raregen.functions.ops;

import io.raregen.functions.queue.SqsClientFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.OptionalLong;

/**
 * {@link DeadLetterQueue} by SQS GetQueueAttributes. The client is built on the first read, not at
 * start (nor before a SnapStart snapshot): most invocations never ask.
 */
@Singleton
public class SqsDeadLetterQueue implements DeadLetterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SqsDeadLetterQueue.class);

    private final OpsConfiguration config;
    private final SqsClientFactory clients;
    private SqsClient client;

    public SqsDeadLetterQueue(OpsConfiguration config, SqsClientFactory clients) {
        this.config = config;
        this.clients = clients;
    }

    @Override
    public OptionalLong depth() {
        String url = config.dlqUrl();
        if (url == null || url.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            String n = client().getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(url)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build())
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            return n == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(n));
        } catch (SdkException | NumberFormatException e) {
            // the summary still answers; an unreadable DLQ shows as unknown, and the DLQ alarm watches it anyway
            LOG.warn("cannot read the dead-letter queue depth: {}", e.toString());
            return OptionalLong.empty();
        }
    }

    private synchronized SqsClient client() {
        if (client == null) {
            client = clients.create();
        }
        return client;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
