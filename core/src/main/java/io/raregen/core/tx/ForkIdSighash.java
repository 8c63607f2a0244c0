package io.raregen.core.tx;

import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hashes;
import io.raregen.core.types.Satoshis;

import java.util.List;

/**
 * BSV's signature hash with SIGHASH_FORKID: the BIP143 algorithm, fork id 0, trailer = the 32-bit sighash type.
 * The result is the 32-byte digest that is signed (not byte-reversed).
 */
public final class ForkIdSighash {
    public static final int SIGHASH_ALL = 0x01;
    public static final int SIGHASH_NONE = 0x02;
    public static final int SIGHASH_SINGLE = 0x03;
    public static final int SIGHASH_FORKID = 0x40;
    public static final int SIGHASH_ANYONECANPAY = 0x80;
    /** What the publisher signs with. */
    public static final int ALL_FORKID = SIGHASH_ALL | SIGHASH_FORKID;

    private static final byte[] ZERO32 = new byte[32];

    private ForkIdSighash() {
    }

    public static byte[] digest(byte[] rawTx, int inputIndex, byte[] prevLockingScript, Satoshis prevValue, int sighashType) {
        return digest(RawTransaction.parse(rawTx), inputIndex, prevLockingScript, prevValue, sighashType);
    }

    public static byte[] digest(RawTransaction tx, int inputIndex, byte[] prevLockingScript, Satoshis prevValue,
                                int sighashType) {
        return new Context(tx).digest(inputIndex, prevLockingScript, prevValue, sighashType);
    }

    /** Caches the three whole-transaction hashes so signing n inputs costs O(n), not O(n²). */
    static final class Context {
        private final int version;
        private final List<byte[]> prevouts;
        private final long[] sequences;
        private final List<TxOutput> outputs;
        private final long lockTime;
        private byte[] hashPrevouts;
        private byte[] hashSequence;
        private byte[] hashOutputs;

        Context(RawTransaction tx) {
            this.version = tx.version();
            this.prevouts = new java.util.ArrayList<>(tx.inputs().size());
            this.sequences = new long[tx.inputs().size()];
            for (int i = 0; i < sequences.length; i++) {
                prevouts.add(tx.prevoutBytes(i));
                sequences[i] = tx.inputs().get(i).sequence();
            }
            this.outputs = tx.outputs();
            this.lockTime = tx.lockTime();
        }

        Context(int version, List<byte[]> prevouts, long[] sequences, List<TxOutput> outputs, long lockTime) {
            this.version = version;
            this.prevouts = prevouts;
            this.sequences = sequences;
            this.outputs = outputs;
            this.lockTime = lockTime;
        }

        byte[] digest(int inputIndex, byte[] scriptCode, Satoshis value, int sighashType) {
            if (inputIndex < 0 || inputIndex >= prevouts.size()) {
                throw new IllegalArgumentException("input index " + inputIndex + " out of range");
            }
            int base = sighashType & 0x1f;
            boolean anyoneCanPay = (sighashType & SIGHASH_ANYONECANPAY) != 0;

            byte[] hp = anyoneCanPay ? ZERO32 : hashPrevouts();
            byte[] hs = (!anyoneCanPay && base != SIGHASH_SINGLE && base != SIGHASH_NONE) ? hashSequence() : ZERO32;
            byte[] ho;
            if (base != SIGHASH_SINGLE && base != SIGHASH_NONE) {
                ho = hashOutputs();
            } else if (base == SIGHASH_SINGLE && inputIndex < outputs.size()) {
                ByteWriter w = new ByteWriter(outputs.get(inputIndex).serializedSize());
                writeOutput(w, outputs.get(inputIndex));
                ho = Hashes.doubleSha256(w.toByteArray());
            } else {
                ho = ZERO32;
            }

            ByteWriter w = new ByteWriter(160 + scriptCode.length);
            w.writeUInt32(version);
            w.write(hp);
            w.write(hs);
            w.write(prevouts.get(inputIndex));
            w.writeVarBytes(scriptCode);
            w.writeInt64(value.value());
            w.writeUInt32(sequences[inputIndex]);
            w.write(ho);
            w.writeUInt32(lockTime);
            w.writeUInt32(sighashType & 0xffffffffL);
            return Hashes.doubleSha256(w.toByteArray());
        }

        private byte[] hashPrevouts() {
            if (hashPrevouts == null) {
                ByteWriter w = new ByteWriter(36 * prevouts.size());
                prevouts.forEach(w::write);
                hashPrevouts = Hashes.doubleSha256(w.toByteArray());
            }
            return hashPrevouts;
        }

        private byte[] hashSequence() {
            if (hashSequence == null) {
                ByteWriter w = new ByteWriter(4 * sequences.length);
                for (long s : sequences) {
                    w.writeUInt32(s);
                }
                hashSequence = Hashes.doubleSha256(w.toByteArray());
            }
            return hashSequence;
        }

        private byte[] hashOutputs() {
            if (hashOutputs == null) {
                int size = 0;
                for (TxOutput o : outputs) {
                    size += o.serializedSize();
                }
                ByteWriter w = new ByteWriter(size);
                outputs.forEach(o -> writeOutput(w, o));
                hashOutputs = Hashes.doubleSha256(w.toByteArray());
            }
            return hashOutputs;
        }

        private static void writeOutput(ByteWriter w, TxOutput o) {
            w.writeInt64(o.value().value());
            w.writeVarBytes(o.scriptRef());
        }
    }
}
