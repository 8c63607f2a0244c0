package io.raregen.core.proof;

import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hashes;
import io.raregen.core.types.Txid;

import java.util.ArrayList;
import java.util.List;

/**
 * BRC-62 Background Evaluation Extended Format (BEEF, version 1): {@code 0100beef}, the BUMPs
 * (BRC-74), then the transactions, each followed by a flag byte and, when set, the index of its
 * BUMP. A mined transaction with its own BUMP is a complete BEEF on its own: verifiers need no
 * ancestors once the merkle path proves inclusion.
 */
public final class Beef {
    /** BEEF V1's version field, 4022206465 little-endian. */
    public static final byte[] VERSION = {0x01, 0x00, (byte) 0xbe, (byte) 0xef};

    private Beef() {
    }

    /** One transaction and the BUMP that proves it. */
    public static byte[] of(byte[] rawTx, MerklePath path) {
        Txid txid = Txid.fromWireBytes(Hashes.doubleSha256(rawTx));
        if (!path.contains(txid)) {
            throw new IllegalArgumentException("the merkle path does not contain transaction " + txid.hex());
        }
        byte[] bump = path.bytes();
        ByteWriter w = new ByteWriter(rawTx.length + bump.length + 16);
        w.write(VERSION);
        w.writeVarInt(1);
        w.write(bump);
        w.writeVarInt(1);
        w.write(rawTx);
        w.writeByte(1);
        w.writeVarInt(0);
        return w.toByteArray();
    }

    /** A parsed BEEF: its BUMPs and its transactions in order (the subject last). */
    public record Parsed(List<MerklePath> bumps, List<Entry> transactions) {
        /** The last transaction: in BEEF the one the document is about. */
        public Entry subject() {
            return transactions.get(transactions.size() - 1);
        }
    }

    /** A transaction of a BEEF; {@code bumpIndex} is -1 when it carries no proof. */
    public record Entry(Txid txid, byte[] rawTx, int bumpIndex) {
    }

    /** Parses a V1 BEEF. */
    public static Parsed parse(byte[] beef) throws MerklePathException {
        MerklePath.Cursor c = new MerklePath.Cursor(beef);
        byte[] version = c.bytes(4);
        if (!java.util.Arrays.equals(version, VERSION)) {
            throw new MerklePathException("not a BEEF V1 document (version bytes " + io.raregen.core.internal.Hex.encode(version) + ")");
        }
        long nBumps = c.varInt();
        if (nBumps > c.remaining()) {
            throw new MerklePathException("BEEF claims " + nBumps + " merkle paths");
        }
        List<MerklePath> bumps = new ArrayList<>();
        for (long i = 0; i < nBumps; i++) {
            bumps.add(MerklePath.read(c));
        }
        long nTx = c.varInt();
        if (nTx < 1 || nTx > c.remaining()) {
            throw new MerklePathException("BEEF claims " + nTx + " transactions");
        }
        List<Entry> txs = new ArrayList<>();
        for (long i = 0; i < nTx; i++) {
            byte[] raw = readTransaction(c);
            int flag = c.u8();
            int bumpIndex = -1;
            if (flag == 1) {
                long idx = c.varInt();
                if (idx >= bumps.size()) {
                    throw new MerklePathException("transaction " + i + " names BUMP " + idx + " of " + bumps.size());
                }
                bumpIndex = (int) idx;
            } else if (flag != 0) {
                throw new MerklePathException("transaction " + i + " has BUMP flag " + flag);
            }
            txs.add(new Entry(Txid.fromWireBytes(Hashes.doubleSha256(raw)), raw, bumpIndex));
        }
        if (c.remaining() != 0) {
            throw new MerklePathException(c.remaining() + " trailing bytes after the BEEF");
        }
        return new Parsed(bumps, txs);
    }

    private static byte[] readTransaction(MerklePath.Cursor c) throws MerklePathException {
        int start = c.pos;
        c.bytes(4);
        long ins = c.varInt();
        for (long i = 0; i < ins; i++) {
            c.bytes(36);
            c.bytes(checked(c.varInt(), c));
            c.bytes(4);
        }
        long outs = c.varInt();
        for (long i = 0; i < outs; i++) {
            c.bytes(8);
            c.bytes(checked(c.varInt(), c));
        }
        c.bytes(4);
        return java.util.Arrays.copyOfRange(c.b, start, c.pos);
    }

    private static int checked(long n, MerklePath.Cursor c) throws MerklePathException {
        if (n < 0 || n > c.remaining()) {
            throw new MerklePathException("script length " + n + " runs past the end at byte " + c.pos);
        }
        return (int) n;
    }
}
