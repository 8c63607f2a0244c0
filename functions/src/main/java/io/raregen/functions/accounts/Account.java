package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.accounts.EmailAddress;
import io.raregen.core.types.AccountId;

import java.time.Instant;

/** An account and its balance. */
public record Account(AccountId id, EmailAddress email, @Nullable String plan, long credits, Instant createdAt) {
}
