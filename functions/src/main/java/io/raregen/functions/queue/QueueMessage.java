package io.raregen.functions.queue;

import io.raregen.core.types.JobId;

/** The queue message contract shared with the broadcaster: {@code {"jobId":"<ULID>"}} and nothing else. */
public final class QueueMessage {

    private QueueMessage() {
    }

    public static String body(JobId jobId) {
        // a ULID is [0-9A-Z]{26}: nothing to escape
        return "{\"jobId\":\"" + jobId.value() + "\"}";
    }
}
