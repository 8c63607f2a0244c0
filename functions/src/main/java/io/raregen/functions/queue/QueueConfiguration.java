package io.raregen.functions.queue;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The publish queue ({@code raregen.queue.*}).
 *
 * @param url                queue URL; unset means every send fails and the reconciler delivers the jobs
 * @param senderThreads      threads sending SendMessageBatch calls in parallel (default 1)
 * @param batchLinger        how long a sender waits for more jobs before sending a partial batch (default 5ms;
 *                           0 sends whatever queued up while the senders were busy)
 * @param sendTimeout        how long a request waits for its message to be accepted before answering anyway (default 3s)
 * @param awaitSend          whether a publish waits for its message to be accepted before it answers (default true,
 *                           which a Lambda needs: nothing may stay in flight after its response). A long-running
 *                           host sets false: the job row is already durable, so the answer goes out at once and the
 *                           sender delivers the id behind it (the reconciler covers a send that never happens)
 * @param maxUnsent          with {@code awaitSend} false, how many ids may wait for the senders before a request
 *                           waits for its own send again (default 10000): a slow queue then slows intake down
 *                           instead of growing the heap
 * @param maxIdsPerMessage   most job ids one message carries (default 50; 1 sends only {@code {"jobId":"..."}} bodies).
 *                           At most {@value #MAX_IDS_PER_MESSAGE_LIMIT}, so that ten such messages stay well below
 *                           SQS's 256 KiB per SendMessageBatch call
 */
@ConfigurationProperties("raregen.queue")
public record QueueConfiguration(
        @Nullable String url,
        @Bindable(defaultValue = "1") int senderThreads,
        @Bindable(defaultValue = "5ms") Duration batchLinger,
        @Bindable(defaultValue = "3s") Duration sendTimeout,
        @Bindable(defaultValue = "50") int maxIdsPerMessage,
        @Bindable(defaultValue = "true") boolean awaitSend,
        @Bindable(defaultValue = "10000") int maxUnsent) {

    /** 500 ids are ~15 kB of body; ten of them ~150 kB, under SQS's 256 KiB per batch call. */
    public static final int MAX_IDS_PER_MESSAGE_LIMIT = 500;

    public QueueConfiguration {
        if (maxIdsPerMessage < 1 || maxIdsPerMessage > MAX_IDS_PER_MESSAGE_LIMIT) {
            throw new IllegalArgumentException("raregen.queue.max-ids-per-message must be between 1 and "
                    + MAX_IDS_PER_MESSAGE_LIMIT + ", not " + maxIdsPerMessage);
        }
    }
}
