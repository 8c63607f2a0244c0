package io.raregen.core.internal;

import java.util.Arrays;

/** Growable little-endian byte buffer for transaction serialisation. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public ByteWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public ByteWriter write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    public ByteWriter write(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
        return this;
    }

    public ByteWriter writeUInt32(long v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
        return this;
    }

    public ByteWriter writeInt64(long v) {
        writeUInt32(v);
        return writeUInt32(v >>> 32);
    }

    public ByteWriter writeVarInt(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint must be non-negative");
        }
        if (v < 0xfd) {
            writeByte((int) v);
        } else if (v <= 0xffff) {
            writeByte(0xfd);
            writeByte((int) v);
            writeByte((int) (v >>> 8));
        } else if (v <= 0xffffffffL) {
            writeByte(0xfe);
            writeUInt32(v);
        } else {
            writeByte(0xff);
            writeInt64(v);
        }
        return this;
    }

    public ByteWriter writeVarBytes(byte[] bytes) {
        writeVarInt(bytes.length);
        return write(bytes);
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public static int varIntSize(long v) {
        if (v < 0xfd) {
            return 1;
        }
        if (v <= 0xffff) {
            return 3;
        }
        if (v <= 0xffffffffL) {
            return 5;
        }
        return 9;
    }
}
