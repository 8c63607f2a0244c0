package io.raregen.functions.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A job as GET /v1/jobs/{jobId} shows it; absent fields are omitted. For an anchor-mode job {@code txid} and the block
 * are its anchor batch's.
 */
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
        String proofUrl,
        String mode,
        @Nullable Anchor anchor) {

    /**
     * An anchor-mode job's batch once it is signed: its leaf, the tree's size and root and the anchor transaction
     * ({@code txid}, the same as the job's); the inclusion path is in the proof and the receipt.
     */
    @Serdeable
    public record Anchor(String batchId, int leafIndex, int treeSize, String root) {
    }

    /** Why a job failed. */
    @Serdeable
    public record JobError(String code, @Nullable String detail) {
    }
}
