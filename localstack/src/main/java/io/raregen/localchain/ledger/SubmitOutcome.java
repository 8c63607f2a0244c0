package io.raregen.localchain.ledger;

import io.raregen.localchain.ArcErrorCode;
import io.raregen.localchain.TxView;

/** The answer for one submitted transaction: a status (HTTP 200) or an ARC error (46x). */
public record SubmitOutcome(String txid, TxView view, ArcErrorCode error, String detail) {

    public static SubmitOutcome status(TxView view) {
        return new SubmitOutcome(view.txid(), view, null, null);
    }

    public static SubmitOutcome error(String txid, ArcErrorCode error, String detail) {
        return new SubmitOutcome(txid, null, error, detail);
    }

    public boolean isError() {
        return error != null;
    }
}
