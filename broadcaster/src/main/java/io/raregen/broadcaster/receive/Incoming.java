package io.raregen.broadcaster.receive;

import io.raregen.core.types.JobId;

/** A job to look at: from an SQS message (with its delivery) or from a recovery loop (none). */
public record Incoming(JobId jobId, Delivery delivery) {

    /** A job that is the only one its message names. */
    public Incoming(JobId jobId, String receiptHandle) {
        this(jobId, receiptHandle == null ? null : new Delivery(receiptHandle, 1));
    }

    public static Incoming fromLoop(JobId jobId) {
        return new Incoming(jobId, (Delivery) null);
    }
}
