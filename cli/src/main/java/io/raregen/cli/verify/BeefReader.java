package io.raregen.cli.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a BRC-62 BEEF (version 1, {@code 0100beef}): the BUMPs, then the transactions with their
 * has-BUMP flag and BUMP index. The client's own reading, sharing no code with the server's writer.
 */
public final class BeefReader {
    private static final byte[] V1 = {0x01, 0x00, (byte) 0xbe, (byte) 0xef};

    /** A transaction of the BEEF; {@code bump} is its BUMP's bytes, or null. */
    public record Tx(byte[] raw, byte[] bump) {
    }

    private final byte[] b;
    private int pos;

    private BeefReader(byte[] b) {
        this.b = b;
    }

    /** The transactions in order (the subject, last, is what the BEEF proves). */
    public static List<Tx> parse(byte[] beef) throws MerklePathException {
        BeefReader r = new BeefReader(beef);
        if (beef.length < 4 || !Arrays.equals(Arrays.copyOf(beef, 4), V1)) {
            throw new MerklePathException("not a BEEF version 1 document (it must start 0100beef)");
        }
        r.pos = 4;
        long nBumps = r.varInt();
        if (nBumps > beef.length) {
            throw new MerklePathException("the BEEF claims " + nBumps + " merkle paths");
        }
        List<byte[]> bumps = new ArrayList<>();
        for (long i = 0; i < nBumps; i++) {
            int start = r.pos;
            r.skipBump();
            bumps.add(Arrays.copyOfRange(beef, start, r.pos));
        }
        long nTx = r.varInt();
        if (nTx < 1 || nTx > beef.length) {
            throw new MerklePathException("the BEEF claims " + nTx + " transactions");
        }
        List<Tx> txs = new ArrayList<>();
        for (long i = 0; i < nTx; i++) {
            int start = r.pos;
            r.skipTransaction();
            byte[] raw = Arrays.copyOfRange(beef, start, r.pos);
            int flag = r.u8();
            byte[] bump = null;
            if (flag == 1) {
                long idx = r.varInt();
                if (idx >= bumps.size()) {
                    throw new MerklePathException("transaction " + i + " names merkle path " + idx + " of " + bumps.size());
                }
                bump = bumps.get((int) idx);
            } else if (flag != 0) {
                throw new MerklePathException("transaction " + i + " has an unknown BUMP flag " + flag);
            }
            txs.add(new Tx(raw, bump));
        }
        if (r.pos != beef.length) {
            throw new MerklePathException((beef.length - r.pos) + " trailing bytes after the BEEF");
        }
        return txs;
    }

    private void skipBump() throws MerklePathException {
        varInt();
        int treeHeight = u8();
        for (int level = 0; level < treeHeight; level++) {
            long n = varInt();
            if (n > b.length) {
                throw new MerklePathException("a merkle path level claims " + n + " leaves");
            }
            for (long i = 0; i < n; i++) {
                varInt();
                int flags = u8();
                if ((flags & 1) == 0) {
                    skip(32);
                }
            }
        }
    }

    private void skipTransaction() throws MerklePathException {
        skip(4);
        long ins = varInt();
        for (long i = 0; i < ins; i++) {
            skip(36);
            skip(varInt());
            skip(4);
        }
        long outs = varInt();
        for (long i = 0; i < outs; i++) {
            skip(8);
            skip(varInt());
        }
        skip(4);
    }

    private int u8() throws MerklePathException {
        skip(1);
        return b[pos - 1] & 0xff;
    }

    private void skip(long n) throws MerklePathException {
        if (n < 0 || pos + n > b.length) {
            throw new MerklePathException("the BEEF is truncated at byte " + pos);
        }
        pos += (int) n;
    }

    private long varInt() throws MerklePathException {
        int first = u8();
        int len = first < 0xfd ? 0 : first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
        if (len == 0) {
            return first;
        }
        skip(len);
        long v = 0;
        for (int i = 0; i < len; i++) {
            v |= (long) (b[pos - len + i] & 0xff) << (8 * i);
        }
        return v;
    }
}
