package io.raregen.functions.intake;

import io.raregen.core.envelope.PublishMode;
import io.raregen.core.envelope.VerifiedEnvelope;
import io.raregen.core.types.JobId;

import java.time.Instant;

/** Where accepted publish requests become durable jobs. */
public interface JobStore {

    /**
     * Inserts the job as {@code queued} in one transaction, unless the key is not an active
     * identity, the nonce is already taken for that key, the key's publish quota is spent, or the key's account
     * cannot pay (then nothing is charged either). {@code body} is the
     * request body exactly as accepted (kept for receipts), or null; {@code mode} is stored on the job.
     */
    Insertion insert(JobId jobId, VerifiedEnvelope envelope, AcceptedBody body, PublishMode mode);

    /** {@link #insert(JobId, VerifiedEnvelope, AcceptedBody, PublishMode)} in record mode. */
    default Insertion insert(JobId jobId, VerifiedEnvelope envelope, AcceptedBody body) {
        return insert(jobId, envelope, body, PublishMode.RECORD);
    }

    /** {@link #insert(JobId, VerifiedEnvelope, AcceptedBody)} without the request body. */
    default Insertion insert(JobId jobId, VerifiedEnvelope envelope) {
        return insert(jobId, envelope, null);
    }

    /** Outcome of {@link #insert}. */
    sealed interface Insertion {
        /** The job is committed. */
        record Created(JobId jobId, Instant createdAt) implements Insertion { }

        /**
         * The same key and nonce already hold a job; {@code samePayload} tells a retry from a conflict. {@code mode}
         * is the stored job's (a retry asking for another mode gets the first one).
         */
        record Existing(JobId jobId, String status, boolean samePayload, PublishMode mode) implements Insertion { }

        /** The key is not registered. */
        record UnknownIdentity() implements Insertion { }

        /** The key is registered but revoked. */
        record RevokedIdentity() implements Insertion { }

        /** The key's account has no credit left. */
        record CreditsExhausted() implements Insertion { }

        /** The key's quota has no token left; one is there again after {@code retryAfterNanos}. */
        record RateLimited(long retryAfterNanos) implements Insertion { }
    }
}
