package io.raregen.core.proof;

import io.raregen.core.internal.Hashes;
import io.raregen.core.internal.Hex;
import io.raregen.core.types.Txid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BRC-74 BSV Unified Merkle Path (BUMP) in its binary form: varint block height, one byte tree
 * height, then per level a varint leaf count and per leaf a varint offset, a flags byte (bit 0:
 * duplicate of its sibling, no hash follows; bit 1: a client txid) and the 32-byte hash in internal
 * byte order. The server side's reading (callback validation, broadcaster checks, BEEF assembly); the CLI has its own.
 * Malformed input throws {@link MerklePathException}, an {@link IllegalArgumentException}.
 */
public final class MerklePath {
    private static final int FLAG_DUPLICATE = 1;
    private static final int FLAG_TXID = 2;

    private record Leaf(long offset, int flags, byte[] hash) {
        boolean duplicate() {
            return (flags & FLAG_DUPLICATE) != 0;
        }
    }

    private final long blockHeight;
    private final List<Map<Long, Leaf>> levels;
    private final byte[] bytes;

    private MerklePath(long blockHeight, List<Map<Long, Leaf>> levels, byte[] bytes) {
        this.blockHeight = blockHeight;
        this.levels = levels;
        this.bytes = bytes;
    }

    /** @throws MerklePathException when the bytes are not exactly one well-formed BUMP */
    public static MerklePath parse(byte[] bump) throws MerklePathException {
        Cursor c = new Cursor(bump);
        MerklePath p = read(c);
        if (c.pos != bump.length) {
            throw new MerklePathException((bump.length - c.pos) + " trailing bytes after the merkle path");
        }
        return p;
    }

    /** Reads one BUMP at the cursor (inside a BEEF). */
    static MerklePath read(Cursor c) throws MerklePathException {
        int start = c.pos;
        long height = c.varInt();
        int treeHeight = c.u8();
        if (treeHeight < 1 || treeHeight > 64) {
            throw new MerklePathException("tree height " + treeHeight + " out of range 1..64");
        }
        List<Map<Long, Leaf>> levels = new ArrayList<>(treeHeight);
        for (int level = 0; level < treeHeight; level++) {
            long n = c.varInt();
            if (n < 0 || n > c.remaining()) {
                throw new MerklePathException("level " + level + " claims " + n + " leaves");
            }
            Map<Long, Leaf> leaves = new HashMap<>();
            for (long i = 0; i < n; i++) {
                long offset = c.varInt();
                int flags = c.u8();
                if ((flags & ~(FLAG_DUPLICATE | FLAG_TXID)) != 0) {
                    throw new MerklePathException("unknown flags 0x" + Integer.toHexString(flags) + " at level " + level);
                }
                byte[] hash = (flags & FLAG_DUPLICATE) != 0 ? null : c.bytes(32);
                if (leaves.put(offset, new Leaf(offset, flags, hash)) != null) {
                    throw new MerklePathException("offset " + offset + " twice at level " + level);
                }
            }
            levels.add(leaves);
        }
        return new MerklePath(height, levels, Arrays.copyOfRange(c.b, start, c.pos));
    }

    public long blockHeight() {
        return blockHeight;
    }

    /** The path's bytes exactly as parsed. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** True when the transaction is a level-0 leaf of this path. */
    public boolean contains(Txid txid) {
        return offsetOf(txid.wireBytes()) >= 0;
    }

    private long offsetOf(byte[] internal) {
        for (Leaf l : levels.get(0).values()) {
            if (l.hash() != null && Arrays.equals(l.hash(), internal)) {
                return l.offset();
            }
        }
        return -1;
    }

    /**
     * The merkle root (internal byte order) this path proves for {@code txid}; empty when the txid is not a leaf
     * of the path or a node on its way up cannot be derived.
     */
    public Optional<byte[]> rootFor(Txid txid) {
        try {
            return Optional.of(computeRoot(txid));
        } catch (MerklePathException e) {
            return Optional.empty();
        }
    }

    /** True when {@code txid} is in the path, the path computes a root for it, and it is for {@code height}. */
    public boolean proves(Txid txid, long height) {
        return blockHeight == height && rootFor(txid).isPresent();
    }

    /** The merkle root (display hex) this path proves for {@code txid}. */
    public String computeRootHex(Txid txid) throws MerklePathException {
        return Hex.encode(Hex.reverse(computeRoot(txid)));
    }

    /** The merkle root (internal order) this path proves for {@code txid}; missing siblings are derived (compound paths). */
    public byte[] computeRoot(Txid txid) throws MerklePathException {
        byte[] working = txid.wireBytes();
        long offset = offsetOf(working);
        if (offset < 0) {
            throw new MerklePathException("transaction " + txid.hex() + " is not a leaf of this merkle path");
        }
        for (int level = 0; level < levels.size(); level++) {
            byte[] sibling = node(level, offset ^ 1, working);
            working = (offset & 1) == 0 ? pair(working, sibling) : pair(sibling, working);
            offset >>= 1;
        }
        return working;
    }

    private byte[] node(int level, long offset, byte[] self) throws MerklePathException {
        Leaf leaf = levels.get(level).get(offset);
        if (leaf != null) {
            if (leaf.duplicate()) {
                if (self == null) {
                    throw new MerklePathException("duplicate leaf at level " + level + " offset " + offset + " has nothing to copy");
                }
                return self;
            }
            return leaf.hash();
        }
        if (level == 0) {
            throw new MerklePathException("level 0 has no leaf at offset " + offset + " (sibling missing)");
        }
        byte[] left = node(level - 1, offset * 2, null);
        byte[] right = node(level - 1, offset * 2 + 1, left);
        return pair(left, right);
    }

    private static byte[] pair(byte[] left, byte[] right) {
        byte[] both = new byte[64];
        System.arraycopy(left, 0, both, 0, 32);
        System.arraycopy(right, 0, both, 32, 32);
        return Hashes.doubleSha256(both);
    }

    /** A read position over bytes, throwing {@link MerklePathException} on truncation. */
    static final class Cursor {
        final byte[] b;
        int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        int remaining() {
            return b.length - pos;
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

        long u32() throws MerklePathException {
            need(4);
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v |= (long) (b[pos++] & 0xff) << (8 * i);
            }
            return v;
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

        void need(long n) throws MerklePathException {
            if (n < 0 || pos + n > b.length) {
                throw new MerklePathException("truncated at byte " + pos);
            }
        }
    }
}
