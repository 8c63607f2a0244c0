package io.raregen.core.anchor;

import java.util.List;

/**
 * Where one leaf sits in an anchor tree and the sibling hashes from that leaf up to the root, lowest first
 * (RFC 6962's audit path; levels where the leaf's ancestor has no sibling contribute nothing). The root alone does
 * not authenticate {@code treeSize}: compare it with the size the anchor transaction carries ({@link Anchor#verify}).
 */
public record InclusionProof(int leafIndex, int treeSize, List<AnchorHash> path) {
    /** A tree of {@code Integer.MAX_VALUE} leaves is 31 levels high. */
    public static final int MAX_PATH = 31;

    public InclusionProof {
        if (treeSize < 1) {
            throw new IllegalArgumentException("tree size must be at least 1");
        }
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf index must be in [0, tree size)");
        }
        if (path == null || path.size() > MAX_PATH) {
            throw new IllegalArgumentException("path must hold at most " + MAX_PATH + " hashes");
        }
        path = List.copyOf(path);
    }
}
