package io.raregen.core.tx;

import io.raregen.core.internal.ByteReader;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.types.Satoshis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * BIP-239 Extended Format, which ARC prefers: after the version the marker 00 00 00 00 00 EF, and every input
 * followed by its previous output's value (8 bytes little-endian) and locking script.
 */
public final class ExtendedFormat {
    private static final byte[] MARKER = {0, 0, 0, 0, 0, (byte) 0xef};

    private ExtendedFormat() {
    }

    /** A raw transaction and the outputs its inputs spend (in input order). */
    public record Parsed(byte[] rawTx, List<TxOutput> prevouts) {
        public Parsed {
            rawTx = rawTx.clone();
            prevouts = List.copyOf(prevouts);
        }

        @Override
        public byte[] rawTx() {
            return rawTx.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Parsed p && Arrays.equals(rawTx, p.rawTx) && prevouts.equals(p.prevouts);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(rawTx) + prevouts.hashCode();
        }
    }

    public static byte[] serialize(byte[] rawTx, List<Utxo> prevouts) {
        List<TxOutput> outs = new ArrayList<>(prevouts.size());
        for (Utxo u : prevouts) {
            outs.add(new TxOutput(u.satoshis(), u.script()));
        }
        return serializeOutputs(rawTx, outs);
    }

    /** Same as {@link #serialize} with the previous outputs given as value + script. */
    private static byte[] serializeOutputs(byte[] rawTx, List<TxOutput> prevouts) {
        RawTransaction tx = RawTransaction.parse(rawTx);
        if (prevouts.size() != tx.inputs().size()) {
            throw new IllegalArgumentException("need one previous output per input: " + tx.inputs().size()
                    + " inputs, " + prevouts.size() + " previous outputs");
        }
        ByteWriter w = new ByteWriter(rawTx.length + 6 + prevouts.size() * 40);
        w.writeUInt32(tx.version());
        w.write(MARKER);
        w.writeVarInt(tx.inputs().size());
        for (int i = 0; i < tx.inputs().size(); i++) {
            RawTransaction.Input in = tx.inputs().get(i);
            w.write(tx.prevoutBytes(i));
            w.writeVarBytes(in.unlockingScript());
            w.writeUInt32(in.sequence());
            TxOutput prev = prevouts.get(i);
            w.writeInt64(prev.value().value());
            w.writeVarBytes(prev.scriptRef());
        }
        w.writeVarInt(tx.outputs().size());
        for (TxOutput o : tx.outputs()) {
            w.writeInt64(o.value().value());
            w.writeVarBytes(o.scriptRef());
        }
        w.writeUInt32(tx.lockTime());
        return w.toByteArray();
    }

    public static boolean isExtended(byte[] bytes) {
        return bytes != null && bytes.length >= 10 && Arrays.equals(Arrays.copyOfRange(bytes, 4, 10), MARKER);
    }

    /** @throws IllegalArgumentException if the bytes are not one well-formed Extended Format transaction */
    public static Parsed parse(byte[] ef) {
        if (!isExtended(ef)) {
            throw new IllegalArgumentException("not extended format: marker 0000000000EF missing");
        }
        ByteReader r = new ByteReader(ef);
        long version = r.readUInt32();
        r.readBytes(6);
        long nIn = r.readVarInt();
        if (nIn == 0 || nIn > r.remaining() / 50) {
            throw new IllegalArgumentException("bad input count");
        }
        ByteWriter w = new ByteWriter(ef.length);
        w.writeUInt32(version);
        w.writeVarInt(nIn);
        List<TxOutput> prevouts = new ArrayList<>((int) nIn);
        for (long i = 0; i < nIn; i++) {
            w.write(r.readBytes(36));
            w.writeVarBytes(r.readVarBytes());
            w.writeUInt32(r.readUInt32());
            long value = r.readInt64();
            if (value < 0) {
                throw new IllegalArgumentException("negative previous output value");
            }
            prevouts.add(new TxOutput(Satoshis.of(value), r.readVarBytes()));
        }
        long nOut = r.readVarInt();
        if (nOut > r.remaining() / 9) {
            throw new IllegalArgumentException("bad output count");
        }
        w.writeVarInt(nOut);
        for (long i = 0; i < nOut; i++) {
            w.writeInt64(r.readInt64());
            w.writeVarBytes(r.readVarBytes());
        }
        w.writeUInt32(r.readUInt32());
        if (r.remaining() != 0) {
            throw new IllegalArgumentException("trailing bytes after the transaction");
        }
        byte[] raw = w.toByteArray();
        RawTransaction.parse(raw); // same strictness as a raw transaction
        return new Parsed(raw, Collections.unmodifiableList(prevouts));
    }
}
