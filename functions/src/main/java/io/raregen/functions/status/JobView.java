package io.raregen.functions.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** A job as GET /v1/jobs/{jobId} shows it; absent fields are omitted. */
@Serdeable
public record JobView(
        String jobId,
        String status,
        String pubkey,
        @Nullable String recordId,
        @Nullable String txid,
        @Nullable String batchId,
        @Nullable Integer batchSeq,
        Instant createdAt,
        @Nullable Instant signedAt,
        @Nullable Instant sentAt,
        @Nullable Instant minedAt,
        @Nullable String blockHash,
        @Nullable Integer blockHeight,
        @Nullable JobError error,
        String proofUrl) {

    /** Why a job failed. */
    @Serdeable
    public record JobError(String code, @Nullable String detail) {
    }
}
