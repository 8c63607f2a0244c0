package io.raregen.cli.verify;

/**
 * What a header source says about a block: its hash and the merkle root it commits to.
 * {@code fromHeader} is true when both were derived from the 80 header bytes here (the hash
 * recomputed locally), false when the source only stated them.
 */
public record BlockRef(String hash, byte[] merkleRoot, boolean fromHeader) {

    public static BlockRef of(BlockHeader h) {
        return new BlockRef(h.hash(), h.merkleRoot(), true);
    }
}
