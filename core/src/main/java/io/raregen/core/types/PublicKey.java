package io.raregen.core.types;

import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Secp256k1;

import java.util.Arrays;

/** A 33-byte compressed secp256k1 public key, checked to be a point on the curve. */
public record PublicKey(byte[] compressed) {
    public PublicKey {
        Secp256k1.decodeCompressed(compressed); // throws IllegalArgumentException if not a valid point
        compressed = compressed.clone();
    }

    /** @throws IllegalArgumentException unless 66 hex characters of a compressed point on the curve */
    public static PublicKey fromHex(String hex) {
        if (hex == null || hex.length() != 66) {
            throw new IllegalArgumentException("public key must be 66 hex characters (33-byte compressed point)");
        }
        return new PublicKey(Hex.decode(hex));
    }

    @Override
    public byte[] compressed() {
        return compressed.clone();
    }

    public String hex() {
        return Hex.encode(compressed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && Arrays.equals(compressed, other.compressed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(compressed);
    }

    @Override
    public String toString() {
        return hex();
    }
}
