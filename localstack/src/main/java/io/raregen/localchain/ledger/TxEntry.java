package io.raregen.localchain.ledger;

import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;
import io.raregen.localchain.TxView;
import java.util.ArrayList;
import java.util.List;

/** A transaction the ledger holds (accepted, orphan, double-spend attempt or rejected), with its callbacks. */
final class TxEntry {
    final Txid txid;
    final byte[] raw;
    /** One per input, in input order; empty for the chain's own coinbase-like transactions. */
    final List<TxOutput> prevouts;
    final List<Outpoint> inputs;
    final List<TxOutput> outputs;
    final boolean faucet;
    final long receivedAtMillis;
    /** Latest view; replaced (never mutated) so readers need no lock. */
    volatile TxView view;
    int depth;
    long seq;
    /** When a held status (orphan / stored fault) turns into SEEN_ON_NETWORK; 0 if not held. */
    long heldUntilMillis;
    final List<String> competing = new ArrayList<>();
    final List<CallbackTarget> callbacks = new ArrayList<>(1);

    TxEntry(Txid txid, byte[] raw, List<TxOutput> prevouts, List<Outpoint> inputs, List<TxOutput> outputs,
            boolean faucet, TxView view) {
        this.txid = txid;
        this.raw = raw;
        this.prevouts = prevouts;
        this.inputs = inputs;
        this.outputs = outputs;
        this.faucet = faucet;
        this.receivedAtMillis = System.currentTimeMillis();
        this.view = view;
    }

    void addCallback(CallbackTarget target) {
        if (target != null && !callbacks.contains(target)) {
            callbacks.add(target);
        }
    }
}
