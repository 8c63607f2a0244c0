package io.raregen.core.tx;

import io.raregen.core.internal.Hex;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.util.Arrays;
import java.util.List;

/** A fully signed transaction with the outputs it spends, ready to store and broadcast. */
public record SignedTransaction(Txid txid, byte[] raw, List<Utxo> inputs, List<TxOutput> outputs, Satoshis fee) {
    public SignedTransaction {
        if (txid == null || raw == null || inputs == null || outputs == null || fee == null) {
            throw new IllegalArgumentException("signed transaction needs every field");
        }
        raw = raw.clone();
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public String rawHex() {
        return Hex.encode(raw);
    }

    public int size() {
        return raw.length;
    }

    /** Output {@code vout} of this transaction as a spendable UTXO (e.g. the change that returns to the pool). */
    public Utxo outputAsUtxo(int vout) {
        if (vout < 0 || vout >= outputs.size()) {
            throw new IllegalArgumentException("no output " + vout);
        }
        TxOutput o = outputs.get(vout);
        return new Utxo(new io.raregen.core.types.Outpoint(txid, vout), o.value(), o.scriptRef());
    }

    /** BIP-239 bytes for ARC. */
    public byte[] extendedFormat() {
        return ExtendedFormat.serialize(raw, inputs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTransaction t && txid.equals(t.txid) && Arrays.equals(raw, t.raw)
                && inputs.equals(t.inputs) && outputs.equals(t.outputs) && fee.equals(t.fee);
    }

    @Override
    public int hashCode() {
        return txid.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTransaction[" + txid + ", " + inputs.size() + " in, " + outputs.size() + " out, "
                + raw.length + " B, fee " + fee + "]";
    }
}
