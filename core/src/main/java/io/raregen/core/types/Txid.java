package io.raregen.core.types;

import io.raregen.core.internal.Hex;

/** A transaction id: 64 lower-case hex characters in display order (as explorers and ARC show it). */
public record Txid(String hex) {
    public Txid {
        if (!Hex.isLowerHex(hex, 64)) {
            throw new IllegalArgumentException("txid must be 64 lower-case hex characters");
        }
    }

    /** Accepts either case; the stored form is lower case. */
    public static Txid fromHex(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("txid must not be null");
        }
        return new Txid(hex.toLowerCase(java.util.Locale.ROOT));
    }

    /** From the 32 bytes as they appear inside a serialised transaction (reversed display order). */
    public static Txid fromWireBytes(byte[] internalOrder) {
        if (internalOrder == null || internalOrder.length != 32) {
            throw new IllegalArgumentException("txid must be 32 bytes");
        }
        return new Txid(Hex.encode(Hex.reverse(internalOrder)));
    }

    /** The 32 bytes as serialised inside a transaction (reversed display order). */
    public byte[] wireBytes() {
        return Hex.reverse(Hex.decode(hex));
    }

    @Override
    public String toString() {
        return hex;
    }
}
