package io.raregen.core.internal;

import java.util.ArrayList;
import java.util.List;

/** Script data pushes: minimal-length encoding for any size, and a strict reader. */
public final class Pushes {
    public static final int OP_0 = 0x00;
    public static final int OP_PUSHDATA1 = 0x4c;
    public static final int OP_PUSHDATA2 = 0x4d;
    public static final int OP_PUSHDATA4 = 0x4e;
    public static final int OP_RETURN = 0x6a;

    private Pushes() {
    }

    /** Appends one push of {@code data}: a length byte up to 75, then PUSHDATA1/2/4. Empty data is OP_0. */
    public static void write(ByteWriter w, byte[] data) {
        int n = data.length;
        if (n == 0) {
            w.writeByte(OP_0);
            return;
        }
        if (n <= 75) {
            w.writeByte(n);
        } else if (n <= 0xff) {
            w.writeByte(OP_PUSHDATA1).writeByte(n);
        } else if (n <= 0xffff) {
            w.writeByte(OP_PUSHDATA2).writeByte(n).writeByte(n >>> 8);
        } else {
            w.writeByte(OP_PUSHDATA4).writeUInt32(n);
        }
        w.write(data);
    }

    /** Bytes taken by one push of {@code n} data bytes. */
    public static int size(int n) {
        if (n == 0) {
            return 1;
        }
        if (n <= 75) {
            return 1 + n;
        }
        if (n <= 0xff) {
            return 2 + n;
        }
        if (n <= 0xffff) {
            return 3 + n;
        }
        return 5 + n;
    }

    /**
     * Reads consecutive pushes from {@code script[offset..]} to its end.
     *
     * @return the pushed data, or null if anything other than a well-formed push is found
     */
    public static List<byte[]> readAll(byte[] script, int offset) {
        List<byte[]> out = new ArrayList<>();
        int pos = offset;
        while (pos < script.length) {
            int op = script[pos++] & 0xff;
            long len;
            if (op == OP_0) {
                len = 0;
            } else if (op <= 75) {
                len = op;
            } else if (op == OP_PUSHDATA1) {
                if (pos + 1 > script.length) {
                    return null;
                }
                len = script[pos] & 0xff;
                pos += 1;
            } else if (op == OP_PUSHDATA2) {
                if (pos + 2 > script.length) {
                    return null;
                }
                len = (script[pos] & 0xff) | (script[pos + 1] & 0xff) << 8;
                pos += 2;
            } else if (op == OP_PUSHDATA4) {
                if (pos + 4 > script.length) {
                    return null;
                }
                len = (script[pos] & 0xffL) | (script[pos + 1] & 0xffL) << 8 | (script[pos + 2] & 0xffL) << 16
                        | (script[pos + 3] & 0xffL) << 24;
                pos += 4;
            } else {
                return null;
            }
            if (len > script.length - pos) {
                return null;
            }
            out.add(java.util.Arrays.copyOfRange(script, pos, pos + (int) len));
            pos += (int) len;
        }
        return out;
    }
}
