package io.raregen.broadcaster.anchor;

import io.raregen.broadcaster.broadcast.BroadcastResult;
import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.broadcaster.broadcast.NetworkStatus;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.headers.InclusionCheck;
import io.raregen.broadcaster.results.ResultApplier;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies what the network said about an anchor transaction, as {@link ResultApplier} does for a record's:
 * accepted/mined → the pool first (input spent, change in), then the batch and its jobs sent (and mined, after the
 * inclusion check); in flight/unknown → left signed for the rescue to resend the same bytes; conflict (re-checked
 * first) or rejection → the transaction is discarded, its input marked dirty or released, and its jobs go back to
 * the queue for the next window. A stored anchor transaction is discarded only on a definitive answer.
 */
public final class AnchorResults {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorResults.class);

    private final AnchorStore store;
    private final UtxoPool pool;
    private final TransactionBroadcaster broadcaster;
    private final byte[] poolScript;
    private final Supplier<InclusionCheck> inclusion;

    /** @param inclusion the inclusion check of the moment (null inside: ARC's word is taken, as for records) */
    public AnchorResults(AnchorStore store, UtxoPool pool, TransactionBroadcaster broadcaster, byte[] poolScript,
                         Supplier<InclusionCheck> inclusion) {
        this.store = store;
        this.pool = pool;
        this.broadcaster = broadcaster;
        this.poolScript = poolScript.clone();
        this.inclusion = inclusion;
    }

    /** Applies {@code r} to the stored anchor transaction {@code tx} of batch {@code batchId}; true once sent. */
    public boolean apply(BatchId batchId, SignedTransaction tx, BroadcastResult r) {
        Outcome o = r == null ? Outcome.UNKNOWN : r.outcome();
        if (o == Outcome.CONFLICT) {
            BroadcastResult again = broadcaster.status(tx.txid());
            if (again.outcome() == Outcome.ACCEPTED || again.outcome() == Outcome.MINED) {
                r = again;
                o = again.outcome();
            } else if (again.outcome() == Outcome.UNKNOWN && !NetworkStatus.isNotFound(again)) {
                return false;
            }
        }
        switch (o) {
            case ACCEPTED, MINED -> {
                List<Outpoint> inputs = tx.inputs().stream().map(Utxo::outpoint).toList();
                pool.confirmSpent(tx.txid(), inputs, ResultApplier.changeOutputs(tx, poolScript), UtxoPool.Purpose.PUBLISH);
                int jobs = store.markSent(tx.txid());
                if (jobs > 0) {
                    LOG.info("anchor batch {}: transaction {} accepted, {} jobs sent", batchId, tx.txid(), jobs);
                }
                if (o == Outcome.MINED) {
                    recordMined(batchId, tx.txid(), r);
                }
                return true;
            }
            case CONFLICT, REJECTED -> {
                String reason = o + ": " + (r.errorCode() == null ? "" : r.errorCode() + " ")
                        + (r.detail() == null ? String.valueOf(r.networkStatus()) : r.detail());
                int requeued = store.discard(tx.txid(), reason);
                List<Outpoint> inputs = tx.inputs().stream().map(Utxo::outpoint).toList();
                if (o == Outcome.CONFLICT || "462".equals(r.errorCode())) {
                    inputs.forEach(in -> pool.markDirty(in, reason.length() > 500 ? reason.substring(0, 500) : reason));
                } else {
                    pool.release(inputs);
                }
                LOG.warn("anchor batch {}: transaction {} refused ({}); {} jobs back to the queue", batchId, tx.txid(),
                        reason, requeued);
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Records the block of a mined anchor transaction once its merkle path checks against the independent header
     * source (when one is configured); otherwise nothing changes and the verdict says why.
     */
    public InclusionCheck.Verdict recordMined(BatchId batchId, Txid txid, BroadcastResult r) {
        byte[] path = r.merklePathHex() == null ? null : HexFormat.of().parseHex(r.merklePathHex());
        InclusionCheck check = inclusion.get();
        InclusionCheck.Verdict verdict = check == null
                ? new InclusionCheck.Verdict(InclusionCheck.Outcome.VERIFIED, "not checked: no header source")
                : check.check("anchor-" + batchId, txid, path, r.blockHash(), r.blockHeight());
        if (verdict.verified() && store.markMined(txid, r.blockHash(), r.blockHeight(), path) > 0 && r.blockHeight() != null) {
            pool.markMined(txid, r.blockHeight());
        }
        return verdict;
    }
}
