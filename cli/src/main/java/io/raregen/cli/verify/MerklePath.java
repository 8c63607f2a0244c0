package io.raregen.cli.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BRC-74 BSV Unified Merkle Path (BUMP), parsed from its binary form: varint block height,
 * one byte tree height, then per level a varint leaf count and per leaf a varint offset, a flags
 * byte (bit 0: duplicate of its sibling, no hash follows; bit 1: a client txid) and the 32-byte
 * hash in internal byte order. Written here rather than shared with the local chain so that the
 * client checks proofs with code the server side does not run.
 */
public final class MerklePath {
    static final int FLAG_DUPLICATE = 1;
    static final int FLAG_TXID = 2;

    /** One leaf of one level. {@code hash} is null for a duplicate. */
    public record Leaf(long offset, int flags, byte[] hash) {
        boolean duplicate() {
            return (flags & FLAG_DUPLICATE) != 0;
        }
    }

    private final long blockHeight;
    private final List<Map<Long, Leaf>> levels;

    private MerklePath(long blockHeight, List<Map<Long, Leaf>> levels) {
        this.blockHeight = blockHeight;
        this.levels = levels;
    }

    /** @throws MerklePathException when the bytes are not a well-formed BUMP */
    public static MerklePath parse(byte[] bump) throws MerklePathException {
        Reader r = new Reader(bump);
        long height = r.varInt();
        int treeHeight = r.u8();
        if (treeHeight < 1 || treeHeight > 64) {
            throw new MerklePathException("tree height " + treeHeight + " out of range 1..64");
        }
        List<Map<Long, Leaf>> levels = new ArrayList<>();
        for (int level = 0; level < treeHeight; level++) {
            long n = r.varInt();
            if (n < 0 || n > bump.length) {
                throw new MerklePathException("level " + level + " claims " + n + " leaves");
            }
            Map<Long, Leaf> leaves = new HashMap<>();
            for (long i = 0; i < n; i++) {
                long offset = r.varInt();
                int flags = r.u8();
                if ((flags & ~(FLAG_DUPLICATE | FLAG_TXID)) != 0) {
                    throw new MerklePathException("unknown flags 0x" + Integer.toHexString(flags) + " at level " + level);
                }
                byte[] hash = (flags & FLAG_DUPLICATE) != 0 ? null : r.bytes(32);
                if (leaves.put(offset, new Leaf(offset, flags, hash)) != null) {
                    throw new MerklePathException("offset " + offset + " twice at level " + level);
                }
            }
            levels.add(leaves);
        }
        if (!r.atEnd()) {
            throw new MerklePathException((bump.length - r.pos) + " trailing bytes after the path");
        }
        return new MerklePath(height, levels);
    }

    public long blockHeight() {
        return blockHeight;
    }

    public int treeHeight() {
        return levels.size();
    }

    /** Offset of the level-0 leaf whose hash is {@code txidInternal}, or -1. */
    public long offsetOf(byte[] txidInternal) {
        for (Leaf l : levels.get(0).values()) {
            if (l.hash() != null && Arrays.equals(l.hash(), txidInternal)) {
                return l.offset();
            }
        }
        return -1;
    }

    /**
     * The merkle root (internal order) this path proves for the transaction {@code txidInternal}.
     * A sibling missing from a level is computed from the level below (compound paths).
     *
     * @throws MerklePathException when the txid is not in the path or a node cannot be derived
     */
    public byte[] computeRoot(byte[] txidInternal) throws MerklePathException {
        long offset = offsetOf(txidInternal);
        if (offset < 0) {
            throw new MerklePathException("the transaction " + Hashes.displayHex(txidInternal) + " is not a leaf of this merkle path");
        }
        byte[] working = txidInternal;
        for (int level = 0; level < levels.size(); level++) {
            long siblingOffset = offset ^ 1;
            byte[] sibling = node(level, siblingOffset, working);
            working = (offset & 1) == 0 ? Hashes.sha256d(working, sibling) : Hashes.sha256d(sibling, working);
            offset >>= 1;
        }
        return working;
    }

    /** Hash at (level, offset); {@code self} is the working node's hash for duplicates. */
    private byte[] node(int level, long offset, byte[] self) throws MerklePathException {
        Leaf leaf = levels.get(level).get(offset);
        if (leaf != null) {
            return leaf.duplicate() ? self : leaf.hash();
        }
        if (level == 0) {
            throw new MerklePathException("level 0 has no leaf at offset " + offset + " (sibling missing)");
        }
        byte[] left = node(level - 1, offset * 2, null);
        byte[] right = node(level - 1, offset * 2 + 1, left);
        if (left == null || right == null) {
            throw new MerklePathException("cannot derive the node at level " + level + " offset " + offset);
        }
        return Hashes.sha256d(left, right);
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int u8() throws MerklePathException {
            need(1);
            return b[pos++] & 0xff;
        }

        byte[] bytes(int n) throws MerklePathException {
            need(n);
            byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        long varInt() throws MerklePathException {
            int first = u8();
            int len = first < 0xfd ? 0 : first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
            if (len == 0) {
                return first;
            }
            need(len);
            long v = 0;
            for (int i = 0; i < len; i++) {
                v |= (long) (b[pos++] & 0xff) << (8 * i);
            }
            return v;
        }

        boolean atEnd() {
            return pos == b.length;
        }

        private void need(int n) throws MerklePathException {
            if (pos + n > b.length) {
                throw new MerklePathException("merkle path truncated at byte " + pos);
            }
        }
    }
}
