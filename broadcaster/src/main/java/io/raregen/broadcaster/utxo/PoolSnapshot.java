package io.raregen.broadcaster.utxo;

import java.util.Map;

/**
 * A consistent view of the pool: counts and satoshis by status (all purposes), plus the fees paid,
 * so that "sats before = sats after + fees" can be checked by one query:
 * {@code fundedSats == totalUnspentSats + feesPaidSats + retiredSats}.
 *
 * <p>{@code totalUnspentSats} counts {@code available} and {@code reserved} outputs (not {@code pending}
 * ones, whose parent is not accepted yet); {@code fundedSats} is every output that did not come from a
 * transaction of ours (imports, faucet); {@code retiredSats} left the pool (spent elsewhere, swept).
 * {@code feesPaidSats} counts the fee of every transaction of ours the pool has applied: sent or mined, and also one
 * still {@code signed} whose inputs are already marked spent by it (ARC accepted it, its change is in the pool, and
 * "sent" is recorded a moment later) — without that, the audit reported those fees as missing during every drain.
 */
public record PoolSnapshot(
        Map<String, Long> countByStatus,
        Map<String, Long> satsByStatus,
        long publishAvailable,
        long fundingAvailableSats,
        long totalUnspentSats,
        long feesPaidSats,
        long retiredSats,
        long fundedSats) {

    /** Zero when every satoshi is accounted for. */
    public long conservationGapSats() {
        return fundedSats - (totalUnspentSats + feesPaidSats + retiredSats);
    }
}
