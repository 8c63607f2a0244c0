package io.raregen.broadcaster.utxo;

import io.raregen.core.tx.Utxo;
import io.raregen.core.types.JobId;
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

    /**
     * What one job needs: inputs worth at least {@code minimumValue} (its fee plus any outputs, for one
     * input). {@code extraPerInput} is what each additional input adds to the fee (about 148 bytes at the
     * live rate); it matters only when no single UTXO is large enough and several inputs are combined.
     * Zero means "use the pool's configured allowance". {@code jobId} names the request and comes back on its
     * {@link Reservation}; it is never stored (the anchoring window names its one request by its first leaf's job).
     */
    record ReservationRequest(JobId jobId, Satoshis minimumValue, Satoshis extraPerInput) {
        public ReservationRequest {
            if (jobId == null || minimumValue == null || extraPerInput == null) {
                throw new IllegalArgumentException("reservation request needs job id, minimum value and extra per input");
            }
        }

        public ReservationRequest(JobId jobId, Satoshis minimumValue) {
            this(jobId, minimumValue, Satoshis.ZERO);
        }
    }

    /** A UTXO flagged dirty, with what is known about who spends it. */
    record DirtyUtxo(Outpoint outpoint, String reason, Instant dirtyAt, Optional<Txid> ourSpendingTxid) {
    }

    /** Inputs held for one job until signed and broadcast, released, or the lease expires. */
    record Reservation(JobId jobId, List<Utxo> inputs, int maxChainDepth) {
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
     * The network accepted {@code spendingTxid}: its inputs leave the pool (what stays of each is the
     * spends row written when the transaction was stored), and {@code newOutputs} (change paid back to
     * the pool key) join the pool as {@code available} with the given purpose, one level deeper in the
     * unconfirmed chain than the deepest input; an output already spent is not added back. Idempotent
     * (a re-applied result changes nothing).
     */
    void confirmSpent(Txid spendingTxid, Collection<Outpoint> inputs, List<Utxo> newOutputs, Purpose purpose);

    /** One accepted transaction's effect on the pool, for {@link #confirmSpentAll}. */
    record Spend(Txid spendingTxid, Collection<Outpoint> inputs, List<Utxo> newOutputs, Purpose purpose) {
    }

    /**
     * {@link #confirmSpent} for many transactions at once (a batch's results); the Postgres pool applies
     * them in one database transaction, which at 500 per batch is several times faster than one by one.
     */
    default void confirmSpentAll(List<Spend> spends) {
        for (Spend s : spends) {
            confirmSpent(s.spendingTxid(), s.inputs(), s.newOutputs(), s.purpose());
        }
    }

    /** The network reported a conflict: skip this outpoint until it is re-checked. */
    void markDirty(Outpoint outpoint, String reason);

    /** Expired leases go back to {@code available} only when no stored transaction spends them. */
    int releaseExpired(Instant now);

    /** A transaction of ours was mined: its outputs' unconfirmed chain depth resets. */
    void markMined(Txid txid, int blockHeight);

    /**
     * Depth, sats by status, and the conservation figures over the pool's whole history: an audit whose cost
     * grows with every publish. For frequent reads use {@link #depth()}.
     */
    PoolSnapshot snapshot();

    /** The live figures only (pending, available, reserved): cost proportional to the pool's depth. */
    PoolDepth depth();

    Optional<Utxo> find(Outpoint outpoint);

    /**
     * Adds spendable outputs (a funding import, or outputs proven on chain) as {@code available}.
     * An outpoint already present is left as it is. Returns how many rows were added.
     */
    int add(Collection<Utxo> utxos, Purpose purpose, int chainDepth);

    /** Dirty UTXOs flagged before {@code olderThan}, oldest first, for the re-check loop. */
    List<DirtyUtxo> dirty(Instant olderThan, int limit);

    /** The re-check found no competing spend: the UTXO is clean again (and available unless held). */
    void restore(Outpoint outpoint);

    /** The UTXO is proven spent by {@code spentBy} (not ours) or abandoned: it never returns. */
    void retire(Outpoint outpoint, Txid spentBy, String reason);

    enum Purpose { PUBLISH, FUNDING }
}
