package io.raregen.localchain.ledger;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Byte-level helpers: the length of a serialized (raw or Extended Format) transaction inside a
 * concatenated stream, and the writer for the chain's own coinbase-like transactions.
 */
public final class TxBytes {
    private static final byte[] EF_MARKER = {0, 0, 0, 0, 0, (byte) 0xEF};

    private TxBytes() {
    }

    public static boolean isExtended(byte[] b, int off) {
        if (b.length - off < 10) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (b[off + 4 + i] != EF_MARKER[i]) {
                return false;
            }
        }
        return true;
    }

    /** Length in bytes of the transaction (raw or EF) starting at {@code off}; IllegalArgumentException if truncated. */
    public static int lengthAt(byte[] b, int off) {
        int[] p = {off};
        skip(b, p, 4);
        boolean ef = isExtended(b, off);
        if (ef) {
            skip(b, p, 6);
        }
        long nIn = varInt(b, p);
        for (long i = 0; i < nIn; i++) {
            skip(b, p, 36);
            skip(b, p, varInt(b, p));
            skip(b, p, 4);
            if (ef) {
                skip(b, p, 8);
                skip(b, p, varInt(b, p));
            }
        }
        long nOut = varInt(b, p);
        for (long i = 0; i < nOut; i++) {
            skip(b, p, 8);
            skip(b, p, varInt(b, p));
        }
        skip(b, p, 4);
        return p[0] - off;
    }

    private static void skip(byte[] b, int[] p, long n) {
        if (n < 0 || n > b.length - p[0]) {
            throw new IllegalArgumentException("truncated transaction");
        }
        p[0] += (int) n;
    }

    private static long varInt(byte[] b, int[] p) {
        skip(b, p, 1);
        int first = b[p[0] - 1] & 0xff;
        int len = first < 0xfd ? 0 : first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
        skip(b, p, len);
        if (len == 0) {
            return first;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v |= (long) (b[p[0] - len + i] & 0xff) << (8 * i);
        }
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("varint out of range");
        }
        return v;
    }

    /**
     * A transaction with one coinbase-style input (null prevout) carrying {@code tag}, paying
     * {@code outputs}: the faucet's funding transactions and the blocks' coinbases.
     */
    public static byte[] coinbaseLike(byte[] tag, List<byte[]> scripts, List<Long> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + scripts.size() * 40);
        writeInt(out, 1);
        writeVarInt(out, 1);
        out.write(new byte[32], 0, 32);
        writeInt(out, -1);
        byte[] unlocking = push(tag);
        writeVarInt(out, unlocking.length);
        out.write(unlocking, 0, unlocking.length);
        writeInt(out, -1);
        writeVarInt(out, scripts.size());
        for (int i = 0; i < scripts.size(); i++) {
            writeLong(out, values.get(i));
            writeVarInt(out, scripts.get(i).length);
            out.write(scripts.get(i), 0, scripts.get(i).length);
        }
        writeInt(out, 0);
        return out.toByteArray();
    }

    private static byte[] push(byte[] data) {
        if (data.length > 75) {
            throw new IllegalArgumentException("tag too long");
        }
        byte[] r = new byte[data.length + 1];
        r[0] = (byte) data.length;
        System.arraycopy(data, 0, r, 1, data.length);
        return r;
    }

    static void writeInt(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write((v >> (8 * i)) & 0xff);
        }
    }

    static void writeLong(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) ((v >> (8 * i)) & 0xff));
        }
    }

    static void writeVarInt(ByteArrayOutputStream out, long v) {
        if (v < 0xfd) {
            out.write((int) v);
        } else if (v <= 0xffff) {
            out.write(0xfd);
            out.write((int) (v & 0xff));
            out.write((int) ((v >> 8) & 0xff));
        } else {
            out.write(0xfe);
            writeInt(out, (int) v);
        }
    }

    /** An OP_FALSE OP_RETURN script: the only output allowed to carry 0 satoshis. */
    public static boolean isDataScript(byte[] script) {
        return script.length >= 2 && script[0] == 0x00 && script[1] == 0x6a;
    }
}
