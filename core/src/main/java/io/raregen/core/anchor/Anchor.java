package io.raregen.core.anchor;

import io.raregen.core.types.BatchId;
import io.raregen.core.types.Ulid;

/**
 * What one anchor transaction commits to: the batch id, the number of records in the batch (the tree size) and the
 * tree's root. On chain as {@link AnchorScript}.
 */
public record Anchor(BatchId batchId, int treeSize, AnchorHash root) {
    public Anchor {
        if (batchId == null || !Ulid.isValid(batchId.value())) {
            throw new IllegalArgumentException("batch id must be a ULID (26 upper-case Crockford base32 characters)");
        }
        if (treeSize < 1) {
            throw new IllegalArgumentException("an anchor covers at least one record");
        }
        if (root == null) {
            throw new IllegalArgumentException("root must not be null");
        }
    }

    /** The anchor of a built tree. */
    public static Anchor of(BatchId batchId, AnchorTree tree) {
        return new Anchor(batchId, tree.size(), tree.root());
    }

    /**
     * True if the record with this digest ({@link RecordLeaf#digest}) is leaf {@code proof.leafIndex()} of this
     * anchor's tree: the proof's size must be the anchored size (which fixes the index too) and its path must lead
     * from the record's leaf hash to the anchored root.
     */
    public boolean verify(AnchorHash recordDigest, InclusionProof proof) {
        return proof.treeSize() == treeSize && AnchorTree.verify(AnchorHashing.leaf(recordDigest), proof, root);
    }
}
