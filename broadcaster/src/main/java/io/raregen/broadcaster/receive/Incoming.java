package io.raregen.broadcaster.receive;

/** A job to look at: from an SQS message (with its receipt handle) or from a recovery loop (none). */
public record Incoming(String jobId, String receiptHandle) {
    public static Incoming fromLoop(String jobId) {
        return new Incoming(jobId, null);
    }
}
