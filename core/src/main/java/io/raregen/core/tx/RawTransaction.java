package io.raregen.core.tx;

import io.raregen.core.internal.ByteReader;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A parsed serialised transaction, independent of bitcoinj (the local chain and the verifiers use it).
 * Parsing is strict: every byte must be consumed, every length must fit.
 */
public final class RawTransaction {
    /** Upper bound on a parsed transaction, far above BSV's policy, to keep a hostile length from allocating. */
    public static final int MAX_SIZE = 1 << 30;

    /**
     * One input. {@code prevout} is null for a coinbase input (null txid and index 0xffffffff);
     * see {@link #isCoinbase()}.
     */
    public record Input(Outpoint prevout, byte[] unlockingScript, long sequence) {
        public Input {
            if (unlockingScript == null) {
                throw new IllegalArgumentException("unlocking script must not be null");
            }
            if (sequence < 0 || sequence > 0xffffffffL) {
                throw new IllegalArgumentException("sequence must fit 32 bits");
            }
            unlockingScript = unlockingScript.clone();
        }

        @Override
        public byte[] unlockingScript() {
            return unlockingScript.clone();
        }

        public boolean isCoinbase() {
            return prevout == null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Input i && Objects.equals(prevout, i.prevout)
                    && Arrays.equals(unlockingScript, i.unlockingScript) && sequence == i.sequence;
        }

        @Override
        public int hashCode() {
            return Objects.hash(prevout, Arrays.hashCode(unlockingScript), sequence);
        }

        @Override
        public String toString() {
            return "Input[" + (prevout == null ? "coinbase" : prevout) + ", unlocking=" + Hex.encode(unlockingScript)
                    + ", sequence=" + sequence + "]";
        }
    }

    private final byte[] raw;
    private final int version;
    private final List<Input> inputs;
    private final List<byte[]> prevoutBytes; // 36 bytes per input, as serialised
    private final List<TxOutput> outputs;
    private final long lockTime;
    private Txid txid;

    private RawTransaction(byte[] raw, int version, List<Input> inputs, List<byte[]> prevoutBytes,
                           List<TxOutput> outputs, long lockTime) {
        this.raw = raw;
        this.version = version;
        this.inputs = inputs;
        this.prevoutBytes = prevoutBytes;
        this.outputs = outputs;
        this.lockTime = lockTime;
    }

    /** @throws IllegalArgumentException if the bytes are not exactly one well-formed transaction */
    public static RawTransaction parse(byte[] rawTx) {
        if (rawTx == null || rawTx.length < 10 || rawTx.length > MAX_SIZE) {
            throw new IllegalArgumentException("not a transaction: wrong size");
        }
        ByteReader r = new ByteReader(rawTx);
        int version = (int) r.readUInt32();
        long nIn = r.readVarInt();
        if (nIn == 0) {
            throw new IllegalArgumentException("transaction has no inputs (or is in extended format)");
        }
        if (nIn > r.remaining() / 41) {
            throw new IllegalArgumentException("input count larger than the data");
        }
        List<Input> inputs = new ArrayList<>((int) nIn);
        List<byte[]> prevouts = new ArrayList<>((int) nIn);
        for (long i = 0; i < nIn; i++) {
            byte[] prev = r.readBytes(36);
            byte[] script = r.readVarBytes();
            long seq = r.readUInt32();
            prevouts.add(prev);
            inputs.add(new Input(outpointOf(prev), script, seq));
        }
        long nOut = r.readVarInt();
        if (nOut > r.remaining() / 9) {
            throw new IllegalArgumentException("output count larger than the data");
        }
        List<TxOutput> outputs = new ArrayList<>((int) nOut);
        for (long i = 0; i < nOut; i++) {
            long value = r.readInt64();
            if (value < 0) {
                throw new IllegalArgumentException("negative output value");
            }
            outputs.add(new TxOutput(Satoshis.of(value), r.readVarBytes()));
        }
        long lockTime = r.readUInt32();
        if (r.remaining() != 0) {
            throw new IllegalArgumentException("trailing bytes after the transaction");
        }
        return new RawTransaction(rawTx.clone(), version, Collections.unmodifiableList(inputs),
                Collections.unmodifiableList(prevouts), Collections.unmodifiableList(outputs), lockTime);
    }

    private static Outpoint outpointOf(byte[] prev36) {
        long vout = (prev36[32] & 0xffL) | (prev36[33] & 0xffL) << 8 | (prev36[34] & 0xffL) << 16
                | (prev36[35] & 0xffL) << 24;
        if (vout == 0xffffffffL && isZero(prev36, 32)) {
            return null; // coinbase
        }
        if (vout > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("input spends output index " + vout + ", larger than any transaction");
        }
        return new Outpoint(Txid.fromWireBytes(Arrays.copyOf(prev36, 32)), (int) vout);
    }

    private static boolean isZero(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Serialises a transaction from its parts (coinbase inputs have a null prevout). */
    public static byte[] serialize(int version, List<Input> inputs, List<TxOutput> outputs, long lockTime) {
        ByteWriter w = new ByteWriter(256);
        w.writeUInt32(version);
        w.writeVarInt(inputs.size());
        for (Input in : inputs) {
            writePrevout(w, in.prevout());
            w.writeVarBytes(in.unlockingScript);
            w.writeUInt32(in.sequence());
        }
        w.writeVarInt(outputs.size());
        for (TxOutput o : outputs) {
            w.writeInt64(o.value().value());
            w.writeVarBytes(o.scriptRef());
        }
        w.writeUInt32(lockTime);
        return w.toByteArray();
    }

    static void writePrevout(ByteWriter w, Outpoint prevout) {
        if (prevout == null) {
            w.write(new byte[32]);
            w.writeUInt32(0xffffffffL);
        } else {
            w.write(prevout.txid().wireBytes());
            w.writeUInt32(prevout.vout());
        }
    }

    public int version() {
        return version;
    }

    public List<Input> inputs() {
        return inputs;
    }

    public List<TxOutput> outputs() {
        return outputs;
    }

    public long lockTime() {
        return lockTime;
    }

    /** The 36 serialised bytes (txid in wire order + 4-byte index) of input {@code i}'s prevout. */
    byte[] prevoutBytes(int i) {
        return prevoutBytes.get(i);
    }

    public synchronized Txid txid() {
        if (txid == null) {
            txid = Txid.fromWireBytes(Hashes.doubleSha256(raw));
        }
        return txid;
    }

    public int size() {
        return raw.length;
    }

    public byte[] bytes() {
        return raw.clone();
    }

    public boolean isCoinbase() {
        return inputs.size() == 1 && inputs.get(0).isCoinbase();
    }

    @Override
    public String toString() {
        return "RawTransaction[" + txid() + ", " + inputs.size() + " in, " + outputs.size() + " out, " + raw.length + " B]";
    }
}
