package io.raregen.localchain.blocks;

import java.io.ByteArrayOutputStream;

/**
 * BRC-74 BSV Unified Merkle Path, binary: varint block height, one byte tree height, then per
 * level a varint leaf count and per leaf a varint offset, a flags byte (bit 0: duplicate, no
 * hash follows; bit 1: this leaf is a client txid) and the 32-byte hash in internal order.
 */
public final class Bump {
    private static final int FLAG_DUPLICATE = 1;
    private static final int FLAG_TXID = 2;

    private Bump() {
    }

    /** The path proving the leaf (the tree has at least two leaves) at {@code index} of {@code tree} in the block at {@code blockHeight}. */
    public static byte[] forLeaf(MerkleTree tree, int index, long blockHeight) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 40 * Math.max(1, tree.height()) * 2);
        writeVarInt(out, blockHeight);
        int height = tree.height();
        if (height == 0) {
            // never happens for a client transaction: every block has a coinbase first
            throw new IllegalArgumentException("a one-transaction block needs no merkle path");
        }
        out.write(height);
        long offset = index;
        for (int level = 0; level < height; level++) {
            long sibling = offset ^ 1;
            byte[] siblingHash = tree.node(level, sibling);
            if (level == 0) {
                writeVarInt(out, 2);
                // leaves of a level are written in offset order
                if (sibling < offset) {
                    writeSibling(out, sibling, siblingHash);
                    writeLeaf(out, offset, FLAG_TXID, tree.node(0, offset));
                } else {
                    writeLeaf(out, offset, FLAG_TXID, tree.node(0, offset));
                    writeSibling(out, sibling, siblingHash);
                }
            } else {
                writeVarInt(out, 1);
                writeSibling(out, sibling, siblingHash);
            }
            offset >>= 1;
        }
        return out.toByteArray();
    }

    private static void writeSibling(ByteArrayOutputStream out, long offset, byte[] hashOrNull) {
        if (hashOrNull == null) {
            writeVarInt(out, offset);
            out.write(FLAG_DUPLICATE);
        } else {
            writeLeaf(out, offset, 0, hashOrNull);
        }
    }

    private static void writeLeaf(ByteArrayOutputStream out, long offset, int flags, byte[] hash) {
        writeVarInt(out, offset);
        out.write(flags);
        out.write(hash, 0, 32);
    }

    /** Computes the merkle root (internal order) a BUMP proves for the leaf flagged as txid; for tests and checks. */
    public static byte[] computeRoot(byte[] bump, byte[] txidInternal) {
        int[] pos = {0};
        readVarInt(bump, pos);
        int height = bump[pos[0]++] & 0xff;
        byte[] current = null;
        long offset = -1;
        for (int level = 0; level < height; level++) {
            long n = readVarInt(bump, pos);
            byte[] sibling = null;
            boolean dup = false;
            long siblingOffset = -1;
            java.util.Map<Long, byte[]> leaves = new java.util.HashMap<>();
            java.util.Set<Long> dups = new java.util.HashSet<>();
            for (long i = 0; i < n; i++) {
                long off = readVarInt(bump, pos);
                int flags = bump[pos[0]++] & 0xff;
                if ((flags & FLAG_DUPLICATE) != 0) {
                    dups.add(off);
                    continue;
                }
                byte[] h = java.util.Arrays.copyOfRange(bump, pos[0], pos[0] + 32);
                pos[0] += 32;
                if (level == 0 && (flags & FLAG_TXID) != 0 && java.util.Arrays.equals(h, txidInternal)) {
                    offset = off;
                    current = h;
                }
                leaves.put(off, h);
            }
            if (current == null) {
                throw new IllegalArgumentException("txid not in path");
            }
            siblingOffset = offset ^ 1;
            dup = dups.contains(siblingOffset);
            sibling = dup ? current : leaves.get(siblingOffset);
            if (sibling == null) {
                throw new IllegalArgumentException("missing sibling at level " + level);
            }
            current = (offset & 1) == 0 ? Hashes.sha256d(current, sibling) : Hashes.sha256d(sibling, current);
            offset >>= 1;
        }
        if (height == 0) {
            return txidInternal;
        }
        return current;
    }

    static void writeVarInt(ByteArrayOutputStream out, long v) {
        if (v < 0xfd) {
            out.write((int) v);
        } else if (v <= 0xffff) {
            out.write(0xfd);
            out.write((int) (v & 0xff));
            out.write((int) ((v >> 8) & 0xff));
        } else if (v <= 0xffffffffL) {
            out.write(0xfe);
            for (int i = 0; i < 4; i++) {
                out.write((int) ((v >> (8 * i)) & 0xff));
            }
        } else {
            out.write(0xff);
            for (int i = 0; i < 8; i++) {
                out.write((int) ((v >> (8 * i)) & 0xff));
            }
        }
    }

    static long readVarInt(byte[] b, int[] pos) {
        int first = b[pos[0]++] & 0xff;
        int len = first < 0xfd ? 0 : first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
        if (len == 0) {
            return first;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v |= (long) (b[pos[0]++] & 0xff) << (8 * i);
        }
        return v;
    }
}
