package io.raregen.core.backup;

import java.security.SecureRandom;
import java.util.Arrays;

/** Hands out a fixed byte stream, so a split is reproducible; fails when the stream runs out or is left over. */
final class ReplayRandom extends SecureRandom {
    private final byte[] bytes;
    private int offset;

    ReplayRandom(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        if (offset + out.length > bytes.length) {
            throw new IllegalStateException("random bytes ran out at " + offset + " + " + out.length);
        }
        System.arraycopy(bytes, offset, out, 0, out.length);
        offset += out.length;
    }

    boolean exhausted() {
        return offset == bytes.length;
    }

    @Override
    public String toString() {
        return "ReplayRandom[" + offset + "/" + bytes.length + "]" + Arrays.hashCode(bytes);
    }
}
