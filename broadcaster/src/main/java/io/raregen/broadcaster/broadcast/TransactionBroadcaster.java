package io.raregen.broadcaster.broadcast;

import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.types.Txid;

import java.util.List;

/**
 * Sends signed transactions to the network and reports, per txid, what the network said.
 * Implementations: {@code ArcTransactionBroadcaster} (batch endpoint, Extended Format) and
 * {@code WocTransactionBroadcaster} (fallback). Never throws for a per-transaction outcome;
 * a transport failure is reported as {@link BroadcastResult.Outcome#UNKNOWN} for every txid.
 */
public interface TransactionBroadcaster {

    /** Results for every submitted txid, in no particular order. */
    List<BroadcastResult> broadcast(List<SignedTransaction> transactions);

    /**
     * How many of the leading {@code transactions} go out in the first request of a {@link #broadcast} (the rest follow
     * in later requests, each after the previous one's answer). The sender takes rate-limit tokens for one request at a
     * time, so no token waits for the answers to earlier requests. Default: all of them.
     */
    default int firstRequestSize(List<SignedTransaction> transactions) {
        return transactions.size();
    }

    /** Current status of one txid (for outcomes that were unknown). */
    BroadcastResult status(Txid txid);
}
