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

    /** Current status of one txid (for outcomes that were unknown). */
    BroadcastResult status(Txid txid);
}
