package io.raregen.broadcaster.utxo;

import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The pool of small UTXOs that pays for publish transactions (the seam between the broadcaster
 * pipeline and the pool). Implementations: {@code PostgresUtxoPool} (production) and an
 * in-memory one for contract tests.
 */
public interface UtxoPool {

    /** What one job needs: inputs worth at least {@code minimumValue} (its fee plus any outputs). */
    record ReservationRequest(String jobId, Satoshis minimumValue) {
    }

    /** Inputs held for one job until signed and broadcast, released, or the lease expires. */
    record Reservation(String jobId, List<Utxo> inputs, int maxChainDepth) {
        public Satoshis total() {
            return inputs.stream().map(Utxo::satoshis).reduce(Satoshis.ZERO, Satoshis::plus);
        }
    }

    /**
     * Reserves inputs for every request it can satisfy, for the whole batch in one statement
     * (FOR UPDATE SKIP LOCKED), smallest sufficient first. Requests it cannot satisfy now are
     * absent from the result; the caller hands those jobs back.
     */
    List<Reservation> reserve(List<ReservationRequest> requests, String holder, Duration lease);

    /** Returns reserved inputs to {@code available}, unless a stored transaction spends them. */
    void release(Collection<Outpoint> outpoints);

    /**
     * The network accepted {@code spendingTxid}: its inputs become {@code spent} with
     * {@code spent_by_txid}, and {@code newOutputs} (change paid back to the pool key) join the
     * pool as {@code available} with the given purpose, one level deeper in the unconfirmed
     * chain than the deepest input. Idempotent (a re-applied result changes nothing).
     */
    void confirmSpent(Txid spendingTxid, Collection<Outpoint> inputs, List<Utxo> newOutputs, Purpose purpose);

    /** The network reported a conflict: skip this outpoint until it is re-checked. */
    void markDirty(Outpoint outpoint, String reason);

    /** Expired leases go back to {@code available} only when no stored transaction spends them. */
    int releaseExpired(Instant now);

    /** A transaction of ours was mined: its outputs' unconfirmed chain depth resets. */
    void markMined(Txid txid, int blockHeight);

    /** Depth, sats by status, and the conservation figures. */
    PoolSnapshot snapshot();

    Optional<Utxo> find(Outpoint outpoint);

    enum Purpose { PUBLISH, FUNDING }
}
