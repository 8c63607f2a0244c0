package io.raregen.localchain.blocks;

import java.util.ArrayList;
import java.util.List;

/**
 * Bitcoin's merkle tree over txids in internal byte order: double SHA-256 of concatenated
 * children, and a level with an odd number of nodes pairs its last node with itself.
 */
public final class MerkleTree {
    /** levels.get(0) are the leaves, the last level holds the root alone. */
    private final List<byte[][]> levels;

    private MerkleTree(List<byte[][]> levels) {
        this.levels = levels;
    }

    public static MerkleTree build(List<byte[]> leavesInternalOrder) {
        if (leavesInternalOrder.isEmpty()) {
            throw new IllegalArgumentException("a block has at least one transaction");
        }
        List<byte[][]> levels = new ArrayList<>();
        byte[][] level = leavesInternalOrder.toArray(new byte[0][]);
        levels.add(level);
        while (level.length > 1) {
            byte[][] next = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < next.length; i++) {
                byte[] left = level[2 * i];
                byte[] right = 2 * i + 1 < level.length ? level[2 * i + 1] : left;
                next[i] = Hashes.sha256d(left, right);
            }
            levels.add(next);
            level = next;
        }
        return new MerkleTree(levels);
    }

    /** The root in internal byte order. */
    public byte[] root() {
        return levels.get(levels.size() - 1)[0];
    }

    public int leafCount() {
        return levels.get(0).length;
    }

    /** Number of levels below the root (0 for a one-transaction block). */
    public int height() {
        return levels.size() - 1;
    }

    /** The node at (level, offset), or null where the level has no such node (odd end). */
    public byte[] node(int level, long offset) {
        byte[][] l = levels.get(level);
        return offset < l.length ? l[(int) offset] : null;
    }

    public int width(int level) {
        return levels.get(level).length;
    }
}
