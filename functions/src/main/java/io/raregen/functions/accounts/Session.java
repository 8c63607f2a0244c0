package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.types.AccountId;

import java.time.Instant;
import java.util.UUID;

/** A live session of an account (its token is never kept, only its hash). */
public record Session(UUID sessionId, AccountId accountId, Instant createdAt, Instant expiresAt, @Nullable String userAgent) {
}
