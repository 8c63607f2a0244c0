package io.raregen.broadcaster.store;

import io.raregen.core.envelope.Envelope;

import java.time.Instant;

/** A job this instance claimed into a batch: the signed envelope exactly as received. */
public record ClaimedJob(String jobId, String batchId, int batchSeq, Envelope envelope, Instant createdAt, int attempts) {
}
