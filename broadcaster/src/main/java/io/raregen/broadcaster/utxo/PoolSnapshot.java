package io.raregen.broadcaster.utxo;

import java.util.Map;

/**
 * A consistent view of the pool: counts and satoshis by purpose and status, plus the fees paid,
 * so that "sats before = sats after + fees" can be checked by one query.
 */
public record PoolSnapshot(
        Map<String, Long> countByStatus,
        Map<String, Long> satsByStatus,
        long publishAvailable,
        long fundingAvailableSats,
        long totalUnspentSats,
        long feesPaidSats) {
}
