package io.raregen.infra.data;

import io.raregen.infra.ResourceNames;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.constructs.Construct;

/**
 * The publish queue and its dead-letter queue, encrypted with the data key and TLS-only.
 *
 * <p>The queue only wakes the broadcaster up; Postgres is the source of truth, and the broadcaster's
 * reconciler picks up a queued job whose message was lost. A message lands in the DLQ after
 * {@link ResourceNames#MAX_RECEIVE_COUNT} receives without a delete, which means the broadcaster failed
 * on it repeatedly: the DLQ alarm asks an operator to look.
 */
public class PublishQueue extends Construct {

    private final Queue queue;
    private final Queue deadLetterQueue;

    public PublishQueue(Construct scope, String id, PublishQueueProps props) {
        super(scope, id);
        deadLetterQueue = new Queue(this, "Dlq", QueueProps.builder()
                .queueName(ResourceNames.DLQ)
                .retentionPeriod(props.deadLetterRetention())
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(props.key())
                .enforceSsl(true)
                .build());
        queue = new Queue(this, "Queue", QueueProps.builder()
                .queueName(ResourceNames.QUEUE)
                .retentionPeriod(props.retention())
                .visibilityTimeout(props.visibilityTimeout())
                // the broadcaster long-polls (WaitTimeSeconds=20); the default makes other consumers long-poll too
                .receiveMessageWaitTime(Duration.seconds(20))
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(props.key())
                // reuse the data key for 5 minutes instead of calling KMS per message
                .dataKeyReuse(Duration.minutes(5))
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetterQueue)
                        .maxReceiveCount(ResourceNames.MAX_RECEIVE_COUNT)
                        .build())
                .build());
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }

    /**
     * Retention and visibility of the queues.
     *
     * @param key the customer-managed KMS key for both queues
     * @param batchWindow how long the broadcaster's collector may hold a message before its batch closes
     * @param maxBatchProcessing the longest a closed batch takes to claim, sign, store and hand to ARC
     */
    public record PublishQueueProps(IKey key, Duration batchWindow, Duration maxBatchProcessing,
                                    Duration retention, Duration deadLetterRetention) {

        public PublishQueueProps {
            Objects.requireNonNull(key, "key");
            if (deadLetterRetention.toSeconds().longValue() <= retention.toSeconds().longValue()) {
                // a message moved to the DLQ keeps its original enqueue time: a shorter DLQ retention drops it early
                throw new IllegalArgumentException("the DLQ must keep messages longer than the source queue");
            }
        }

        /** Defaults: 5 s (the broadcaster's batch window), 25 s to process, 4 days on the queue, 14 days (the maximum) in the DLQ. */
        public static PublishQueueProps defaults(IKey key) {
            return new PublishQueueProps(key, Duration.seconds(5), Duration.seconds(25), Duration.days(4), Duration.days(14));
        }

        /**
         * Visibility timeout: a message stays invisible while its batch collects and is processed, twice over,
         * so a slow ARC round trip does not hand the same job to a second receiver. A redelivery would be harmless
         * (claiming is {@code UPDATE ... WHERE status = 'queued'}) but costs a wasted receive towards the DLQ count.
         */
        public Duration visibilityTimeout() {
            long seconds = 2 * (batchWindow.toSeconds().longValue() + maxBatchProcessing.toSeconds().longValue());
            return Duration.seconds(Math.max(30, seconds));
        }
    }
}
