package io.raregen.functions.queue;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The publish queue ({@code raregen.queue.*}).
 *
 * @param url           queue URL; unset means every send fails and the reconciler delivers the jobs
 * @param senderThreads threads sending SendMessageBatch calls in parallel (default 2)
 * @param batchLinger   how long a sender waits for more messages before sending a partial batch (default 2ms;
 *                      0 sends whatever queued up while the senders were busy)
 * @param sendTimeout   how long a request waits for its message to be accepted before answering anyway (default 3s)
 */
@ConfigurationProperties("raregen.queue")
public record QueueConfiguration(
        @Nullable String url,
        @Bindable(defaultValue = "2") int senderThreads,
        @Bindable(defaultValue = "2ms") Duration batchLinger,
        @Bindable(defaultValue = "3s") Duration sendTimeout) {
}
