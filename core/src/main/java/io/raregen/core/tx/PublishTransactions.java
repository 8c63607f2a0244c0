package io.raregen.core.tx;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.P2pkh;
import io.raregen.core.record.RecordScript;
import io.raregen.core.types.Satoshis;

import java.util.List;

/** The publish transaction: pool input(s) → output 0 the record (0 sats), output 1 the change (if any). */
public final class PublishTransactions {
    private PublishTransactions() {
    }

    public static SignedTransaction build(List<Utxo> inputs, KeyPair poolKey, Envelope env, byte[] changeScript,
                                          FeeRate rate) {
        TransactionBuilder b = new TransactionBuilder();
        inputs.forEach(b::addInput);
        b.addOutput(new TxOutput(Satoshis.ZERO, RecordScript.encode(env)));
        b.changeTo(changeScript);
        return b.sign(poolKey, rate);
    }

    /** Largest size: P2PKH inputs at 148 bytes, the record output, and a 34-byte P2PKH change output if asked. */
    public static int estimateSize(int inputCount, int recordScriptLength, boolean withChange) {
        if (inputCount < 1 || recordScriptLength < 0) {
            throw new IllegalArgumentException("need at least one input and a non-negative script length");
        }
        int nOut = withChange ? 2 : 1;
        int size = 4 + ByteWriter.varIntSize(inputCount) + inputCount * TransactionBuilder.P2PKH_INPUT_MAX_SIZE
                + ByteWriter.varIntSize(nOut)
                + 8 + ByteWriter.varIntSize(recordScriptLength) + recordScriptLength
                + 4;
        if (withChange) {
            size += 8 + 1 + P2pkh.LOCKING_SCRIPT_LENGTH;
        }
        return size;
    }

    public static Satoshis estimateFee(int inputCount, int recordScriptLength, boolean withChange, FeeRate rate) {
        return rate.feeFor(estimateSize(inputCount, recordScriptLength, withChange));
    }

    /** Fee of the usual one-input publish transaction with change, for this envelope. */
    public static Satoshis estimateFee(Envelope env, FeeRate rate) {
        return estimateFee(1, RecordScript.encodedLength(env), true, rate);
    }
}
