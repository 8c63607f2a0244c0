package io.raregen.functions.receipts;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.types.JobId;

import java.time.Instant;
import java.util.Optional;

/** The stored facts a receipt is signed over and upgraded with, beyond the proof's. */
public interface ReceiptRepository {

    /**
     * @param envelope       the request body as accepted (null for jobs stored before receipts)
     * @param envelopeSha256 its SHA-256, lower-case hex (null likewise)
     * @param blockHeader    the 80-byte header of the job's block, as the broadcaster's header source gave it, or null
     */
    record Stored(JobId jobId, String status, Instant acceptedAt, @Nullable byte[] envelope, @Nullable String envelopeSha256,
                  @Nullable byte[] blockHeader) {
    }

    Optional<Stored> find(JobId jobId);
}
