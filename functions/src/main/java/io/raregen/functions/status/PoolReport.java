package io.raregen.functions.status;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * The UTXO pool and the figures behind the conservation invariant (I4): sats held by the pool
 * (available + reserved + pending) and fees paid by accepted transactions.
 */
@Serdeable
public record PoolReport(
        Map<String, Bucket> byStatus,
        List<Denomination> byDenomination,
        long dirty,
        Conservation conservation,
        Map<String, Long> jobsByStatus) {

    /** Count and sats of the UTXOs in one status. */
    @Serdeable
    public record Bucket(long count, long satoshis) {
    }

    /** Spendable depth at one output value (publish-purpose UTXOs). */
    @Serdeable
    public record Denomination(String purpose, long satoshis, long available, long reserved, long pending) {
    }

    /**
     * @param poolSats          available + reserved + pending
     * @param feesPaidSats      publish fees (jobs and anchor transactions sent or mined) + pool fees (pool transactions sent or mined)
     * @param feesCommittedSats fees of transactions signed but not yet accepted by the network
     */
    @Serdeable
    public record Conservation(long availableSats, long reservedSats, long pendingSats, long poolSats,
                               long publishFeesPaidSats, long poolFeesPaidSats, long feesPaidSats,
                               long feesCommittedSats) {
    }
}
