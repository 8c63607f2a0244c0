package io.raregen.functions.accounts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One change of an account's credits: {@code starter}, {@code grant}, {@code plan}, {@code topup} and {@code refund}
 * add, {@code publish} takes ({@code jobs} publishes accepted in one group commit).
 */
@Serdeable
public record LedgerEntry(long entryId, long delta, String kind, @Nullable Integer jobs, @Nullable String jobId,
                          @Nullable String reference, @Nullable String note, Instant createdAt) {
}
