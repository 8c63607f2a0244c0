package io.raregen.functions.queue;

import io.raregen.core.types.JobId;

import java.util.concurrent.CompletableFuture;

/** The wake-up path to the broadcaster: one message per accepted job. Postgres stays the source of truth. */
public interface JobQueue {

    /** Sends {@code {"jobId":"..."}}; the future completes when the queue has accepted the message. */
    CompletableFuture<Void> enqueue(JobId jobId);

    /** True when the queue answers a cheap metadata call. */
    boolean isReachable();
}
