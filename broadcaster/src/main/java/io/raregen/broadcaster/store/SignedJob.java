package io.raregen.broadcaster.store;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.JobId;

import java.time.Instant;

/**
 * A job with its stored signed transaction: the only bytes ever broadcast for it. {@code batchId} is null for a job
 * re-signed outside any batch (the chain reconciliation).
 */
public record SignedJob(JobId jobId, BatchId batchId, int batchSeq, SignedTransaction tx, Instant createdAt, int attempts) {
}
