package io.raregen.core.proof;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** An 80-byte block header: version, previous hash, merkle root, time, bits, nonce (all little-endian). */
public record BlockHeader(byte[] raw) {

    public static final int SIZE = 80;

    public BlockHeader {
        if (raw == null || raw.length != SIZE) {
            throw new IllegalArgumentException("a block header is 80 bytes, got " + (raw == null ? "none" : raw.length));
        }
        raw = raw.clone();
    }

    public static BlockHeader fromHex(String hex) {
        return new BlockHeader(Hex.decode(hex));
    }

    /** Rebuilds the header from the fields explorers show (hashes in display hex). */
    public static BlockHeader fromFields(long version, String prevHashHex, String merkleRootHex, long time, long bits, long nonce) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) version);
        b.put(prevHashHex == null ? new byte[32] : Hex.reverse(Hex.decode(prevHashHex.toLowerCase())));
        b.put(Hex.reverse(Hex.decode(merkleRootHex.toLowerCase())));
        b.putInt((int) time);
        b.putInt((int) bits);
        b.putInt((int) nonce);
        return new BlockHeader(b.array());
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public String hex() {
        return Hex.encode(raw);
    }

    /** The block hash in display hex (double SHA-256 of the header, reversed). */
    public String hash() {
        return Hex.encode(Hex.reverse(Hashes.doubleSha256(raw)));
    }

    /** The merkle root in internal byte order (bytes 36..68). */
    public byte[] merkleRoot() {
        return Arrays.copyOfRange(raw, 36, 68);
    }

    /** The merkle root in display hex. */
    public String merkleRootHex() {
        return Hex.encode(Hex.reverse(merkleRoot()));
    }

    /** The previous block's hash in display hex. */
    public String prevHash() {
        return Hex.encode(Hex.reverse(Arrays.copyOfRange(raw, 4, 36)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader h && Arrays.equals(raw, h.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "BlockHeader[" + hash() + "]";
    }
}
