package io.raregen.core.anchor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The merkle tree of one anchor batch: RFC 6962 (Certificate Transparency) hashing over record digests. The tree of
 * {@code n > 1} leaves is a node over the tree of the first {@code k} leaves and the tree of the remaining
 * {@code n − k}, where {@code k} is the largest power of two smaller than {@code n}; a single leaf is its own root.
 * Built bottom-up here: pairs are hashed left to right and a last node without a partner moves up a level
 * unchanged, which yields exactly that tree. Nothing is ever duplicated, so unlike Bitcoin's block tree
 * (CVE-2012-2459) no two different leaf lists share a root. Immutable; no I/O.
 */
public final class AnchorTree {
    /** levels.get(0) are the leaf hashes, the last level is the root alone. */
    private final List<List<AnchorHash>> levels;

    private AnchorTree(List<List<AnchorHash>> levels) {
        this.levels = levels;
    }

    /** The tree over these record digests, in this order (leaf {@code i} is {@code recordDigests.get(i)}). */
    public static AnchorTree of(List<AnchorHash> recordDigests) {
        if (recordDigests == null || recordDigests.isEmpty()) {
            throw new IllegalArgumentException("an anchor tree has at least one leaf");
        }
        List<AnchorHash> level = new ArrayList<>(recordDigests.size());
        for (AnchorHash d : recordDigests) {
            level.add(AnchorHashing.leaf(d));
        }
        List<List<AnchorHash>> levels = new ArrayList<>();
        levels.add(List.copyOf(level));
        while (level.size() > 1) {
            List<AnchorHash> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                up.add(AnchorHashing.node(level.get(i), level.get(i + 1)));
            }
            if (level.size() % 2 == 1) {
                up.add(level.get(level.size() - 1));
            }
            levels.add(List.copyOf(up));
            level = up;
        }
        return new AnchorTree(List.copyOf(levels));
    }

    public int size() {
        return levels.get(0).size();
    }

    public AnchorHash root() {
        return levels.get(levels.size() - 1).get(0);
    }

    public AnchorHash leafHash(int index) {
        return levels.get(0).get(index);
    }

    /** The audit path of leaf {@code index}: at each level the sibling of the leaf's ancestor, if it has one. */
    public InclusionProof proof(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of a tree of " + size());
        }
        List<AnchorHash> path = new ArrayList<>();
        int i = index;
        for (int l = 0; l < levels.size() - 1; l++) {
            List<AnchorHash> level = levels.get(l);
            int sibling = i ^ 1;
            if (sibling < level.size()) {
                path.add(level.get(sibling));
            }
            i >>>= 1;
        }
        return new InclusionProof(index, size(), path);
    }

    /**
     * The root a leaf hash and its proof lead to — RFC 9162 section 2.1.3.2 — or empty if the path's length does not
     * fit the proof's index and tree size. Index and size only steer the path; the root does not commit to them.
     */
    public static Optional<AnchorHash> rootFrom(AnchorHash leafHash, InclusionProof proof) {
        long fn = proof.leafIndex();
        long sn = proof.treeSize() - 1L;
        AnchorHash r = leafHash;
        for (AnchorHash p : proof.path()) {
            if (sn == 0) {
                return Optional.empty();
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = AnchorHashing.node(p, r);
                if ((fn & 1) == 0) {
                    // the ancestor was a last node without a partner on these levels: it moved up unchanged
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = AnchorHashing.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 ? Optional.of(r) : Optional.empty();
    }

    /** True if {@code leafHash} with {@code proof} leads to {@code root}. See {@link Anchor#verify} for a record. */
    public static boolean verify(AnchorHash leafHash, InclusionProof proof, AnchorHash root) {
        return rootFrom(leafHash, proof).map(root::equals).orElse(false);
    }
}
