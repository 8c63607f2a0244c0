package io.raregen.core.anchor;

import io.raregen.core.internal.Hex;

import java.util.Arrays;

/**
 * A 32-byte SHA-256 value of the anchor tree: a record digest, a leaf hash, an inner node or a root. Immutable;
 * bytes in the order SHA-256 produces them (never reversed, unlike txids), hex lower case in that order.
 */
public final class AnchorHash {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private AnchorHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static AnchorHash of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("an anchor hash is exactly 32 bytes");
        }
        return new AnchorHash(bytes.clone());
    }

    public static AnchorHash fromHex(String hex) {
        if (!Hex.isLowerHex(hex, 2 * LENGTH)) {
            throw new IllegalArgumentException("an anchor hash is 64 lower-case hex characters");
        }
        return new AnchorHash(Hex.decode(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    /** Package-private access without a copy, for hashing. */
    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnchorHash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
