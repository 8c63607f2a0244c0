package io.raregen.broadcaster.broadcast;

import io.raregen.broadcaster.broadcast.BroadcastResult.Outcome;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.Txid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ARC first; transactions whose outcome stayed UNKNOWN (ARC down, timing out) go to the fallback.
 * Sending the same bytes twice is safe: the txid is the idempotency key.
 */
public final class FallbackTransactionBroadcaster implements TransactionBroadcaster {
    private final TransactionBroadcaster primary;
    private final TransactionBroadcaster fallback;

    public FallbackTransactionBroadcaster(TransactionBroadcaster primary, TransactionBroadcaster fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public List<BroadcastResult> broadcast(List<SignedTransaction> transactions) {
        List<BroadcastResult> first = primary.broadcast(transactions);
        Map<Txid, SignedTransaction> byTxid = new HashMap<>();
        transactions.forEach(t -> byTxid.put(t.txid(), t));
        List<SignedTransaction> retry = new ArrayList<>();
        for (BroadcastResult r : first) {
            if (r.outcome() == Outcome.UNKNOWN && byTxid.containsKey(r.txid())) {
                retry.add(byTxid.get(r.txid()));
            }
        }
        if (retry.isEmpty()) {
            return first;
        }
        Map<Txid, BroadcastResult> second = new HashMap<>();
        for (BroadcastResult r : fallback.broadcast(retry)) {
            if (r.outcome() != Outcome.UNKNOWN) {
                second.put(r.txid(), r);
            }
        }
        List<BroadcastResult> merged = new ArrayList<>(first.size());
        for (BroadcastResult r : first) {
            merged.add(second.getOrDefault(r.txid(), r));
        }
        return merged;
    }

    @Override
    public int firstRequestSize(List<SignedTransaction> transactions) {
        return primary.firstRequestSize(transactions);
    }

    @Override
    public BroadcastResult status(Txid txid) {
        BroadcastResult r = primary.status(txid);
        if (r.outcome() == Outcome.UNKNOWN && !NetworkStatus.isNotFound(r)) {
            BroadcastResult f = fallback.status(txid);
            return f.outcome() == Outcome.UNKNOWN ? r : f;
        }
        return r;
    }
}
