package io.raregen.functions.callbacks;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * One validated ARC status callback (docs/ARCHITECTURE.md#callbacks).
 *
 * @param txid         lower-case hex
 * @param txStatus     ARC's status name, e.g. {@code MINED}
 * @param merklePath   BUMP (BRC-74) bytes when mined
 * @param reportedAt   ARC's timestamp of the status change
 */
public record ArcCallback(String txid, String txStatus, @Nullable String blockHash, @Nullable Integer blockHeight,
                          @Nullable byte[] merklePath, List<String> competingTxs, @Nullable String extraInfo,
                          @Nullable Instant reportedAt) {
}
