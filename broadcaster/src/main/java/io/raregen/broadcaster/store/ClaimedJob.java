package io.raregen.broadcaster.store;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;

import java.time.Instant;

/** A job this instance claimed into a batch: the signed envelope exactly as received. */
public record ClaimedJob(JobId jobId, BatchId batchId, int batchSeq, Envelope envelope, Instant createdAt, int attempts) {
}
