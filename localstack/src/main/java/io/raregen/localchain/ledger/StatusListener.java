package io.raregen.localchain.ledger;

import io.raregen.localchain.TxView;
import java.util.List;

/** Told of every status change that has callback targets (the callback dispatcher implements it). */
public interface StatusListener {
    void statusChanged(TxView view, List<CallbackTarget> targets);
}
