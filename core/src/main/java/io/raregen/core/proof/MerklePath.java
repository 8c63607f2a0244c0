package io.raregen.core.proof;

import io.raregen.core.internal.ByteReader;
import io.raregen.core.internal.Hashes;
import io.raregen.core.types.Txid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BRC-74 BSV Unified Merkle Path (BUMP) as the server side reads it from ARC: varint block height, one byte
 * tree height, then per level a varint leaf count and per leaf a varint offset, a flags byte (bit 0: duplicate
 * of its sibling, no hash follows; bit 1: a client txid) and the 32-byte hash in internal byte order.
 *
 * <p>The CLI keeps its own parser on purpose (a client checks proofs with code the service does not run);
 * this one decides whether a callback's path may move a job to {@code mined}.
 */
public final class MerklePath {
    private static final int FLAG_DUPLICATE = 1;
    private static final int FLAG_TXID = 2;
    private static final int MAX_TREE_HEIGHT = 64;

    private record Leaf(long offset, boolean duplicate, byte[] hash) {
    }

    private final long blockHeight;
    private final List<Map<Long, Leaf>> levels;

    private MerklePath(long blockHeight, List<Map<Long, Leaf>> levels) {
        this.blockHeight = blockHeight;
        this.levels = levels;
    }

    /** @throws IllegalArgumentException when the bytes are not exactly one well-formed BUMP */
    public static MerklePath parse(byte[] bump) {
        if (bump == null || bump.length == 0) {
            throw new IllegalArgumentException("empty merkle path");
        }
        ByteReader r = new ByteReader(bump);
        long height = r.readVarInt();
        int treeHeight = r.readByte();
        if (treeHeight < 1 || treeHeight > MAX_TREE_HEIGHT) {
            throw new IllegalArgumentException("tree height " + treeHeight + " out of range 1.." + MAX_TREE_HEIGHT);
        }
        List<Map<Long, Leaf>> levels = new ArrayList<>(treeHeight);
        for (int level = 0; level < treeHeight; level++) {
            long n = r.readVarInt();
            // each leaf takes at least two bytes: a count beyond that is a lie, not a reason to allocate; levels
            // above 0 may be empty in a compound path (their nodes derive from below)
            if (n < (level == 0 ? 1 : 0) || n > r.remaining() / 2) {
                throw new IllegalArgumentException("level " + level + " claims " + n + " leaves");
            }
            Map<Long, Leaf> leaves = new HashMap<>();
            for (long i = 0; i < n; i++) {
                long offset = r.readVarInt();
                int flags = r.readByte();
                if ((flags & ~(FLAG_DUPLICATE | FLAG_TXID)) != 0) {
                    throw new IllegalArgumentException("unknown flags 0x" + Integer.toHexString(flags) + " at level " + level);
                }
                boolean duplicate = (flags & FLAG_DUPLICATE) != 0;
                byte[] hash = duplicate ? null : r.readBytes(32);
                if (leaves.put(offset, new Leaf(offset, duplicate, hash)) != null) {
                    throw new IllegalArgumentException("offset " + offset + " twice at level " + level);
                }
            }
            levels.add(leaves);
        }
        if (r.remaining() != 0) {
            throw new IllegalArgumentException(r.remaining() + " trailing bytes after the merkle path");
        }
        return new MerklePath(height, levels);
    }

    public long blockHeight() {
        return blockHeight;
    }

    /**
     * The merkle root (internal byte order) this path proves for {@code txid}; empty when the txid is not a leaf
     * of the path or a node on its way up cannot be derived.
     */
    public Optional<byte[]> rootFor(Txid txid) {
        byte[] leaf = txid.wireBytes();
        long offset = -1;
        for (Leaf l : levels.get(0).values()) {
            if (l.hash() != null && Arrays.equals(l.hash(), leaf)) {
                offset = l.offset();
                break;
            }
        }
        if (offset < 0) {
            return Optional.empty();
        }
        byte[] working = leaf;
        for (int level = 0; level < levels.size(); level++) {
            byte[] sibling = node(level, offset ^ 1, working);
            if (sibling == null) {
                return Optional.empty();
            }
            working = (offset & 1) == 0 ? sha256d(working, sibling) : sha256d(sibling, working);
            offset >>= 1;
        }
        return Optional.of(working);
    }

    /** True when {@code txid} is in the path, the path computes a root for it, and it is for {@code height}. */
    public boolean proves(Txid txid, long height) {
        return blockHeight == height && rootFor(txid).isPresent();
    }

    /** Hash at (level, offset), derived from the level below when absent; {@code self} stands in for a duplicate. */
    private byte[] node(int level, long offset, byte[] self) {
        Leaf leaf = levels.get(level).get(offset);
        if (leaf != null) {
            return leaf.duplicate() ? self : leaf.hash();
        }
        if (level == 0) {
            return null;
        }
        byte[] left = node(level - 1, offset * 2, null);
        if (left == null) {
            return null;
        }
        byte[] right = node(level - 1, offset * 2 + 1, left);
        return right == null ? null : sha256d(left, right);
    }

    private static byte[] sha256d(byte[] left, byte[] right) {
        byte[] both = Arrays.copyOf(left, 64);
        System.arraycopy(right, 0, both, 32, 32);
        return Hashes.doubleSha256(both);
    }
}
