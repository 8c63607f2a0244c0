package io.raregen.localchain.blocks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A mined block: an 80-byte Bitcoin-style header (no proof of work; regtest bits) over a real
 * merkle root. {@code txids} are in display hex, in block order, the coinbase first.
 */
public record Block(long height, String hash, String prevHash, String merkleRoot, long time, List<String> txids) {
    /** regtest's easiest target; the local chain does no proof of work. */
    public static final int BITS = 0x207fffff;
    public static final int VERSION = 0x20000000;
    public static final String ZERO_HASH = "0".repeat(64);

    public Block {
        txids = List.copyOf(txids);
    }

    /** Builds the header and its hash for the given contents. */
    public static Block of(long height, String prevHash, byte[] merkleRootInternal, long time, List<String> txids) {
        return new Block(height, headerHash(prevHash, merkleRootInternal, time, height),
                prevHash, Hashes.displayHex(merkleRootInternal), time, txids);
    }

    static String headerHash(String prevHash, byte[] merkleRootInternal, long time, long nonce) {
        return Hashes.displayHex(Hashes.sha256d(header(prevHash, merkleRootInternal, time, nonce)));
    }

    private static byte[] header(String prevHash, byte[] merkleRootInternal, long time, long nonce) {
        ByteBuffer header = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(VERSION);
        header.put(Hashes.internalFromDisplayHex(prevHash));
        header.put(merkleRootInternal);
        header.putInt((int) time);
        header.putInt(BITS);
        header.putInt((int) nonce);
        return header.array();
    }

    /** The 80-byte header (the nonce is the height), whose double SHA-256 is {@link #hash()}. */
    public byte[] header() {
        return header(prevHash, merkleRootInternal(), time, height);
    }

    /** The header's merkle root, recomputed from the txids (for checks after reload). */
    public byte[] merkleRootInternal() {
        return Hashes.internalFromDisplayHex(merkleRoot);
    }
}
