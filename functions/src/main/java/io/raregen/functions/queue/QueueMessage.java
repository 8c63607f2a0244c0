package io.raregen.functions.queue;

import io.raregen.core.types.JobId;

import java.util.List;

/**
 * The queue message contract shared with the broadcaster, and the one place that writes bodies:
 * {@code {"jobId":"<ULID>"}} for one job, {@code {"jobIds":["<ULID>","<ULID>",...]}} for two or more
 * distinct jobs ({@link QueueConfiguration#maxIdsPerMessage()} at most). Nothing else is in a body.
 */
public final class QueueMessage {

    /** Characters per id in the plural form: the ULID, its quotes and a comma. */
    private static final int PER_ID = 26 + 3;

    private QueueMessage() {
    }

    public static String body(JobId jobId) {
        // a ULID is [0-9A-Z]{26}: nothing to escape
        return "{\"jobId\":\"" + jobId.value() + "\"}";
    }

    /** The body for {@code jobIds} (distinct, at least one): the singular form for exactly one. */
    public static String body(List<JobId> jobIds) {
        if (jobIds.isEmpty()) {
            throw new IllegalArgumentException("a queue message carries at least one job id");
        }
        if (jobIds.size() == 1) {
            return body(jobIds.get(0));
        }
        StringBuilder b = new StringBuilder(12 + PER_ID * jobIds.size() + 2).append("{\"jobIds\":[");
        for (int i = 0; i < jobIds.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"').append(jobIds.get(i).value()).append('"');
        }
        return b.append("]}").toString();
    }
}
