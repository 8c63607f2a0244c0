package io.raregen.functions.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** A broadcaster batch and its jobs in {@code batch_seq} order. */
@Serdeable
public record BatchView(
        String batchId,
        String status,
        int jobCount,
        Instant createdAt,
        @Nullable Instant signedAt,
        @Nullable Instant broadcastedAt,
        @Nullable Instant completedAt,
        @Nullable String errorDetail,
        List<BatchJob> jobs) {

    /** One job of the batch. */
    @Serdeable
    public record BatchJob(String jobId, @Nullable Integer batchSeq, String status, @Nullable String txid) {
    }
}
