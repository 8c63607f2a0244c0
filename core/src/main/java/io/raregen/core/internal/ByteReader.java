package io.raregen.core.internal;

import java.util.Arrays;

/** Bounds-checked little-endian reader; every malformation is an IllegalArgumentException. */
public final class ByteReader {
    private final byte[] buf;
    private int pos;

    public ByteReader(byte[] buf) {
        this.buf = buf;
    }

    public int remaining() {
        return buf.length - pos;
    }

    private void need(long n) {
        if (n < 0 || n > buf.length - pos) {
            throw new IllegalArgumentException("truncated data: need " + n + " bytes at offset " + pos);
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xff;
    }

    public byte[] readBytes(long n) {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }

    public long readUInt32() {
        need(4);
        long v = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16 | (buf[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    public long readInt64() {
        long lo = readUInt32();
        long hi = readUInt32();
        return lo | (hi << 32);
    }

    public long readVarInt() {
        int first = readByte();
        if (first < 0xfd) {
            return first;
        }
        if (first == 0xfd) {
            need(2);
            int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
            pos += 2;
            return v;
        }
        if (first == 0xfe) {
            return readUInt32();
        }
        long v = readInt64();
        if (v < 0) {
            throw new IllegalArgumentException("varint too large");
        }
        return v;
    }

    public byte[] readVarBytes() {
        return readBytes(readVarInt());
    }
}
