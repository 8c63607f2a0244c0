package io.raregen.core.anchor;

import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Satoshis;

import java.util.List;

/**
 * The anchor transaction: pool input(s) → output 0 the {@link AnchorScript} (0 satoshis), output 1 the change back
 * to the pool (if any). The same shape as a publish transaction, with the anchor in place of the record.
 */
public final class AnchorTransactions {
    private AnchorTransactions() {
    }

    public static SignedTransaction build(List<Utxo> inputs, KeyPair poolKey, Anchor anchor, byte[] changeScript,
                                          FeeRate rate) {
        TransactionBuilder b = new TransactionBuilder();
        inputs.forEach(b::addInput);
        b.addOutput(new TxOutput(Satoshis.ZERO, AnchorScript.encode(anchor)));
        b.changeTo(changeScript);
        return b.sign(poolKey, rate);
    }

    /** Fee of the usual one-input anchor transaction with change. */
    public static Satoshis estimateFee(FeeRate rate) {
        return PublishTransactions.estimateFee(1, AnchorScript.LENGTH, true, rate);
    }
}
