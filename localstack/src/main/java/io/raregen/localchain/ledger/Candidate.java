package io.raregen.localchain.ledger;

import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Txid;
import java.util.List;

/** A submitted transaction, parsed: raw bytes (EF stripped), and the prevouts EF carried (null for raw). */
public record Candidate(Txid txid, byte[] raw, RawTransaction tx, List<TxOutput> efPrevouts) {
    public boolean extended() {
        return efPrevouts != null;
    }
}
