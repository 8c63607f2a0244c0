package io.raregen.broadcaster.store;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.JobId;

import java.time.Instant;

/** A job with its stored signed transaction: the only bytes ever broadcast for it. */
public record SignedJob(JobId jobId, String batchId, int batchSeq, SignedTransaction tx, Instant createdAt, int attempts) {
}
