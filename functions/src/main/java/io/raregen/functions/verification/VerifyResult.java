package io.raregen.functions.verification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * Outcome of POST /v1/verify. {@code valid} with the decoded fields, or {@code code} and {@code message}
 * saying exactly which check failed; {@code canonicalPayload} and {@code payloadHash} whenever computable.
 */
@Serdeable
public record VerifyResult(
        boolean valid,
        @Nullable String code,
        @Nullable String message,
        @Nullable String type,
        @Nullable String pubkey,
        @Nullable String nonce,
        @Nullable Instant createdAt,
        @Nullable String recordId,
        @Nullable String identityStatus,
        @Nullable Boolean canonical,
        @Nullable String canonicalPayload,
        @Nullable String payloadHash) {
}
