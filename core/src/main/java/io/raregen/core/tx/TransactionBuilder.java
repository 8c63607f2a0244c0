package io.raregen.core.tx;

import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Pushes;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.P2pkh;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Builds and signs a version-1 transaction spending P2PKH outputs with SIGHASH_ALL|FORKID.
 * The fee is computed on the largest possible size (107-byte unlocking scripts), so the signed transaction
 * always pays at least the rate. Not thread-safe; use one builder per transaction.
 */
public final class TransactionBuilder {
    static final int VERSION = 1;
    static final long SEQUENCE_FINAL = 0xffffffffL;
    /** Serialised size of one P2PKH input at its maximum: outpoint 36 + varint 1 + script 107 + sequence 4. */
    public static final int P2PKH_INPUT_MAX_SIZE = 36 + 1 + P2pkh.MAX_UNLOCKING_SCRIPT_LENGTH + 4;

    private final List<Utxo> inputs = new ArrayList<>();
    private final List<TxOutput> outputs = new ArrayList<>();
    private byte[] changeScript;

    public TransactionBuilder addInput(Utxo utxo) {
        if (utxo == null) {
            throw new IllegalArgumentException("utxo must not be null");
        }
        inputs.add(utxo);
        return this;
    }

    public TransactionBuilder addOutput(TxOutput output) {
        if (output == null) {
            throw new IllegalArgumentException("output must not be null");
        }
        outputs.add(output);
        return this;
    }

    /** Where the change goes; without it, everything above the outputs is left to the miner. */
    public TransactionBuilder changeTo(byte[] script) {
        this.changeScript = script == null ? null : script.clone();
        return this;
    }

    public SignedTransaction sign(KeyPair key, FeeRate rate) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        return sign(u -> key, rate);
    }

    /** Signs input i with {@code keyFor.apply(input i)}; each input's locking script must pay to that key. */
    public SignedTransaction sign(Function<Utxo, KeyPair> keyFor, FeeRate rate) {
        if (inputs.isEmpty()) {
            throw new IllegalStateException("a transaction needs at least one input");
        }
        if (rate == null) {
            throw new IllegalArgumentException("fee rate must not be null");
        }
        long totalIn = 0;
        for (Utxo u : inputs) {
            totalIn = Math.addExact(totalIn, u.satoshis().value());
        }
        long totalOut = 0;
        for (TxOutput o : outputs) {
            totalOut = Math.addExact(totalOut, o.value().value());
        }

        List<TxOutput> finalOutputs = new ArrayList<>(outputs.size() + 1);
        finalOutputs.addAll(outputs);
        boolean changeAdded = false;
        if (changeScript != null) {
            TxOutput probe = new TxOutput(Satoshis.ZERO, changeScript);
            long feeWithChange = rate.feeFor(estimateSize(inputs.size(), outputs, probe)).value();
            long change = totalIn - totalOut - feeWithChange;
            if (change >= 1) {
                finalOutputs.add(new TxOutput(Satoshis.of(change), changeScript));
                changeAdded = true;
            }
        }
        if (!changeAdded) {
            long feeWithout = rate.feeFor(estimateSize(inputs.size(), outputs, null)).value();
            if (totalIn < totalOut + feeWithout) {
                throw new InsufficientFundsException(Satoshis.of(totalIn), Satoshis.of(totalOut + feeWithout));
            }
        }
        if (finalOutputs.isEmpty()) {
            throw new IllegalStateException("a transaction needs at least one output");
        }

        int n = inputs.size();
        List<byte[]> prevouts = new ArrayList<>(n);
        long[] sequences = new long[n];
        for (int i = 0; i < n; i++) {
            prevouts.add(prevoutBytes(inputs.get(i).outpoint()));
            sequences[i] = SEQUENCE_FINAL;
        }
        ForkIdSighash.Context ctx = new ForkIdSighash.Context(VERSION, prevouts, sequences, finalOutputs, 0);
        List<byte[]> unlocking = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Utxo u = inputs.get(i);
            KeyPair key = keyFor.apply(u);
            if (key == null) {
                throw new IllegalArgumentException("no key for input " + u.outpoint());
            }
            byte[] hash = P2pkh.pubKeyHash(u.script());
            byte[] keyScript = key.p2pkhLockingScript();
            if (hash == null || !Arrays.equals(u.script(), keyScript)) {
                throw new IllegalArgumentException("input " + u.outpoint() + " is not P2PKH to the signing key");
            }
            byte[] digest = ctx.digest(i, u.script(), u.satoshis(), ForkIdSighash.ALL_FORKID);
            byte[] der = key.signDigest(digest);
            byte[] sig = Arrays.copyOf(der, der.length + 1);
            sig[der.length] = ForkIdSighash.ALL_FORKID;
            ByteWriter us = new ByteWriter(P2pkh.MAX_UNLOCKING_SCRIPT_LENGTH);
            Pushes.write(us, sig);
            Pushes.write(us, key.publicKey().compressed());
            unlocking.add(us.toByteArray());
        }

        int estimated = estimateSize(n, finalOutputs, null);
        ByteWriter w = new ByteWriter(estimated);
        w.writeUInt32(VERSION);
        w.writeVarInt(n);
        for (int i = 0; i < n; i++) {
            w.write(prevouts.get(i));
            w.writeVarBytes(unlocking.get(i));
            w.writeUInt32(SEQUENCE_FINAL);
        }
        w.writeVarInt(finalOutputs.size());
        for (TxOutput o : finalOutputs) {
            w.writeInt64(o.value().value());
            w.writeVarBytes(o.scriptRef());
        }
        w.writeUInt32(0);
        byte[] raw = w.toByteArray();
        long outSum = 0;
        for (TxOutput o : finalOutputs) {
            outSum += o.value().value();
        }
        Txid txid = Txid.fromWireBytes(Hashes.doubleSha256(raw));
        return new SignedTransaction(txid, raw, inputs, finalOutputs, Satoshis.of(totalIn - outSum));
    }

    private static byte[] prevoutBytes(Outpoint o) {
        ByteWriter w = new ByteWriter(36);
        RawTransaction.writePrevout(w, o);
        return w.toByteArray();
    }

    /** Largest size of a transaction with {@code inputCount} P2PKH inputs and these outputs (+ extra if not null). */
    static int estimateSize(int inputCount, List<TxOutput> outs, TxOutput extra) {
        int nOut = outs.size() + (extra == null ? 0 : 1);
        int size = 4 + ByteWriter.varIntSize(inputCount) + inputCount * P2PKH_INPUT_MAX_SIZE
                + ByteWriter.varIntSize(nOut) + 4;
        for (TxOutput o : outs) {
            size += o.serializedSize();
        }
        if (extra != null) {
            size += extra.serializedSize();
        }
        return size;
    }

    /** Largest size of the transaction as currently configured, with a change output if a change script is set. */
    public int estimateSize() {
        return estimateSize(inputs.size(), outputs, changeScript == null ? null : new TxOutput(Satoshis.ZERO, changeScript));
    }
}
