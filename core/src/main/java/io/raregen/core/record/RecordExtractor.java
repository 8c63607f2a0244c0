package io.raregen.core.record;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;

import java.util.Optional;

/** Finds the RareGen record in a transaction, so anyone holding only the transaction can verify its author. */
public final class RecordExtractor {
    private RecordExtractor() {
    }

    /** The first output that decodes as a record. */
    public record Extracted(int outputIndex, Envelope envelope) {
    }

    /**
     * @return the first record output, or empty if the transaction carries none
     * @throws IllegalArgumentException if the bytes are not a transaction
     */
    public static Optional<Extracted> fromRawTransaction(byte[] rawTx) {
        RawTransaction tx = RawTransaction.parse(rawTx);
        for (int i = 0; i < tx.outputs().size(); i++) {
            TxOutput o = tx.outputs().get(i);
            try {
                return Optional.of(new Extracted(i, RecordScript.decode(o.script())));
            } catch (RecordFormatException e) {
                // not a record: keep looking
            }
        }
        return Optional.empty();
    }
}
