package io.raregen.core.anchor;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 section 2.1 written as the RFC writes it — recursive MTH and PATH over leaf hashes — as a test oracle for
 * {@link AnchorTree}, which builds bottom-up instead.
 */
final class Rfc6962 {
    private Rfc6962() {
    }

    /** The largest power of two smaller than n (n > 1). */
    static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }

    static AnchorHash mth(List<AnchorHash> leafHashes) {
        int n = leafHashes.size();
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = split(n);
        return AnchorHashing.node(mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k, n)));
    }

    static List<AnchorHash> path(int m, List<AnchorHash> leafHashes) {
        int n = leafHashes.size();
        List<AnchorHash> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = split(n);
        if (m < k) {
            out.addAll(path(m, leafHashes.subList(0, k)));
            out.add(mth(leafHashes.subList(k, n)));
        } else {
            out.addAll(path(m - k, leafHashes.subList(k, n)));
            out.add(mth(leafHashes.subList(0, k)));
        }
        return out;
    }
}
