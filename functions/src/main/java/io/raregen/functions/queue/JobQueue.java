package io.raregen.functions.queue;

import io.raregen.core.types.JobId;

import java.util.concurrent.CompletableFuture;

/**
 * The wake-up path to the broadcaster: every accepted job's id reaches the queue in some message
 * ({@link QueueMessage}: alone, or packed with other jobs sent at the same moment). Postgres stays
 * the source of truth.
 */
public interface JobQueue {

    /** Sends the job's id; the future completes when the queue has accepted the message that carries it. */
    CompletableFuture<Void> enqueue(JobId jobId);

    /** Ids handed to {@link #enqueue} that no send has taken yet. */
    int unsent();

    /** True when the queue answers a cheap metadata call. */
    boolean isReachable();
}
