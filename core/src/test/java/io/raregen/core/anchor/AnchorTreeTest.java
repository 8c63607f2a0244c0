package io.raregen.core.anchor;

import io.raregen.core.internal.Hashes;
import io.raregen.core.types.BatchId;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnchorTreeTest {
    static final int MAX_SIZE = 300;

    static List<AnchorHash> digests(int n, long seed) {
        Random r = new Random(seed);
        List<AnchorHash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            out.add(AnchorHash.of(b));
        }
        return out;
    }

    static List<AnchorHash> leafHashes(List<AnchorHash> digests) {
        return digests.stream().map(AnchorHashing::leaf).toList();
    }

    static AnchorHash flipBit(AnchorHash h, int bit) {
        byte[] b = h.bytes();
        b[bit / 8 % 32] ^= (byte) (1 << (bit % 8));
        return AnchorHash.of(b);
    }

    // ---- the tree is RFC 6962's ----

    @Example
    void everySizeUpTo130_rootAndEveryPath_equalTheRecursiveDefinition() {
        for (int n = 1; n <= 130; n++) {
            List<AnchorHash> d = digests(n, n);
            AnchorTree tree = AnchorTree.of(d);
            List<AnchorHash> leaves = leafHashes(d);
            assertEquals(Rfc6962.mth(leaves), tree.root(), "root, n=" + n);
            for (int i = 0; i < n; i++) {
                assertEquals(Rfc6962.path(i, leaves), tree.proof(i).path(), "path, n=" + n + " i=" + i);
            }
        }
    }

    @Example
    void leavesAndNodes_areTheDomainSeparatedHashes() {
        List<AnchorHash> d = digests(2, 7);
        byte[] leaf0 = concat(new byte[]{0x00}, d.get(0).bytes());
        byte[] leaf1 = concat(new byte[]{0x00}, d.get(1).bytes());
        AnchorHash l0 = AnchorHash.of(Hashes.sha256(leaf0));
        AnchorHash l1 = AnchorHash.of(Hashes.sha256(leaf1));
        AnchorTree tree = AnchorTree.of(d);
        assertEquals(l0, tree.leafHash(0));
        assertEquals(AnchorHash.of(Hashes.sha256(concat(new byte[]{0x01}, concat(l0.bytes(), l1.bytes())))), tree.root());
        assertEquals(AnchorHashing.leaf(d.get(0)), AnchorTree.of(d.subList(0, 1)).root(), "a single leaf is the root");
    }

    @Example
    void noDuplicatedLastNode_soAppendingACopyOfTheLastRecordChangesTheRoot() {
        // Bitcoin's rule pairs a lone last node with itself, so [a,b,c] and [a,b,c,c] share a root (CVE-2012-2459)
        for (int n = 1; n <= 65; n += 2) {
            List<AnchorHash> d = new ArrayList<>(digests(n, 100 + n));
            AnchorHash before = AnchorTree.of(d).root();
            d.add(d.get(n - 1));
            assertNotEquals(before, AnchorTree.of(d).root(), "n=" + n);
            if (n > 1) {
                assertEquals(bitcoinStyleRoot(leafHashes(d.subList(0, n))), bitcoinStyleRoot(leafHashes(d)),
                        "control: the duplicate-last-node rule collides here, n=" + n);
            }
        }
    }

    // ---- every proof verifies; any change to it does not ----

    @Property(tries = 200)
    void everyProof_verifies(@ForAll @IntRange(min = 1, max = MAX_SIZE) int n, @ForAll long seed) {
        List<AnchorHash> d = digests(n, seed);
        AnchorTree tree = AnchorTree.of(d);
        Anchor anchor = Anchor.of(new BatchId("01JZ8Q4T5XKD3M7N2P6R9S0VWY"), tree);
        for (int i = 0; i < n; i++) {
            InclusionProof p = tree.proof(i);
            assertEquals(n, p.treeSize());
            assertEquals(i, p.leafIndex());
            assertTrue(AnchorTree.verify(tree.leafHash(i), p, tree.root()), "n=" + n + " i=" + i);
            assertTrue(anchor.verify(d.get(i), p), "n=" + n + " i=" + i);
        }
    }

    @Property(tries = 300)
    void alteringAnyPathElement_failsVerification(@ForAll @IntRange(min = 2, max = MAX_SIZE) int n, @ForAll long seed,
                                                  @ForAll @IntRange(min = 0, max = 255) int bit, @ForAll Random r) {
        AnchorTree tree = AnchorTree.of(digests(n, seed));
        int i = r.nextInt(n);
        InclusionProof p = tree.proof(i);
        for (int j = 0; j < p.path().size(); j++) {
            List<AnchorHash> path = new ArrayList<>(p.path());
            path.set(j, flipBit(path.get(j), bit));
            assertFalse(AnchorTree.verify(tree.leafHash(i), new InclusionProof(i, n, path), tree.root()), "element " + j);
        }
    }

    @Property(tries = 300)
    void droppingAddingOrSwappingPathElements_failsVerification(@ForAll @IntRange(min = 2, max = MAX_SIZE) int n,
                                                                @ForAll long seed, @ForAll Random r) {
        AnchorTree tree = AnchorTree.of(digests(n, seed));
        int i = r.nextInt(n);
        InclusionProof p = tree.proof(i);
        List<AnchorHash> path = p.path();
        AnchorHash leaf = tree.leafHash(i);
        assertFalse(AnchorTree.verify(leaf, new InclusionProof(i, n, path.subList(0, path.size() - 1)), tree.root()), "last dropped");
        assertFalse(AnchorTree.verify(leaf, new InclusionProof(i, n, path.subList(1, path.size())), tree.root()), "first dropped");
        List<AnchorHash> longer = new ArrayList<>(path);
        longer.add(tree.root());
        assertFalse(AnchorTree.verify(leaf, new InclusionProof(i, n, longer), AnchorHashing.node(tree.root(), tree.root())), "extended");
        assertFalse(AnchorTree.verify(leaf, new InclusionProof(i, n, longer), tree.root()), "extended, same root");
        if (path.size() >= 2) {
            List<AnchorHash> swapped = new ArrayList<>(path);
            swapped.set(0, path.get(1));
            swapped.set(1, path.get(0));
            assertFalse(AnchorTree.verify(leaf, new InclusionProof(i, n, swapped), tree.root()), "swapped");
        }
    }

    @Property(tries = 200)
    void anyOtherIndex_failsVerification(@ForAll @IntRange(min = 2, max = 64) int n, @ForAll long seed) {
        AnchorTree tree = AnchorTree.of(digests(n, seed));
        for (int i = 0; i < n; i++) {
            InclusionProof p = tree.proof(i);
            for (int other = 0; other < n; other++) {
                if (other != i) {
                    assertFalse(AnchorTree.verify(tree.leafHash(i), new InclusionProof(other, n, p.path()), tree.root()),
                            "leaf " + i + " claimed at " + other + " of " + n);
                }
            }
        }
    }

    @Property(tries = 200)
    void anyOtherSize_failsVerificationAgainstTheAnchor(@ForAll @IntRange(min = 1, max = 64) int n, @ForAll long seed) {
        List<AnchorHash> d = digests(n, seed);
        AnchorTree tree = AnchorTree.of(d);
        Anchor anchor = Anchor.of(new BatchId("01JZ8Q4T5XKD3M7N2P6R9S0VWY"), tree);
        for (int i = 0; i < n; i++) {
            InclusionProof p = tree.proof(i);
            for (int size = i + 1; size <= 2 * n + 2; size++) {
                if (size != n) {
                    assertFalse(anchor.verify(d.get(i), new InclusionProof(i, size, p.path())), i + " of " + size);
                }
            }
        }
    }

    /**
     * Why the anchor carries the size: RFC 6962 proofs steer by (index, size) but the root does not commit to them.
     * Leaf 1 of 2 and leaf 2 of 3 both take one step with the sibling on the left, so the root alone accepts either
     * claim; {@link Anchor#verify} compares the size with the anchored one and accepts only the true position.
     */
    @Example
    void rootAloneDoesNotFixTheSize_theAnchoredSizeDoes() {
        List<AnchorHash> d = digests(2, 3);
        AnchorTree tree = AnchorTree.of(d);
        InclusionProof truth = tree.proof(1);
        InclusionProof claim = new InclusionProof(2, 3, truth.path());
        assertTrue(AnchorTree.verify(tree.leafHash(1), claim, tree.root()), "control: the root alone accepts the claim");
        Anchor anchor = Anchor.of(new BatchId("01JZ8Q4T5XKD3M7N2P6R9S0VWY"), tree);
        assertTrue(anchor.verify(d.get(1), truth));
        assertFalse(anchor.verify(d.get(1), claim));
    }

    @Property(tries = 300)
    void anyOtherRecord_failsVerification(@ForAll @IntRange(min = 1, max = MAX_SIZE) int n, @ForAll long seed,
                                          @ForAll @IntRange(min = 0, max = 255) int bit, @ForAll Random r) {
        List<AnchorHash> d = digests(n, seed);
        AnchorTree tree = AnchorTree.of(d);
        Anchor anchor = Anchor.of(new BatchId("01JZ8Q4T5XKD3M7N2P6R9S0VWY"), tree);
        int i = r.nextInt(n);
        InclusionProof p = tree.proof(i);
        assertFalse(anchor.verify(flipBit(d.get(i), bit), p));
        assertFalse(AnchorTree.verify(flipBit(tree.leafHash(i), bit), p, tree.root()));
        if (n > 1) {
            int other = (i + 1 + r.nextInt(n - 1)) % n;
            assertFalse(anchor.verify(d.get(other), p), "record " + other + " with the proof of " + i);
        }
    }

    @Property(tries = 100)
    void anotherRoot_failsVerification(@ForAll @IntRange(min = 1, max = MAX_SIZE) int n, @ForAll long seed) {
        AnchorTree tree = AnchorTree.of(digests(n, seed));
        AnchorTree other = AnchorTree.of(digests(n, seed + 1));
        for (int i = 0; i < n; i += Math.max(1, n / 7)) {
            assertFalse(AnchorTree.verify(tree.leafHash(i), tree.proof(i), other.root()));
        }
    }

    // ---- domain separation ----

    /**
     * An inner node presented as a record digest, with the rest of the audit path above it, must not verify: the
     * verifier hashes the claimed digest as a leaf (00 prefix) and no node is a leaf hash. The control computes the
     * same root with leaf hashing skipped — what a tree without domain separation would accept.
     */
    @Property(tries = 200)
    void anInnerNode_neverVerifiesAsARecord(@ForAll @IntRange(min = 2, max = MAX_SIZE) int n, @ForAll long seed, @ForAll Random r) {
        List<AnchorHash> d = digests(n, seed);
        AnchorTree tree = AnchorTree.of(d);
        Anchor anchor = Anchor.of(new BatchId("01JZ8Q4T5XKD3M7N2P6R9S0VWY"), tree);
        // level h of the tree is itself an RFC 6962 tree over the aligned subtrees of 2^h leaves (the last one
        // possibly partial); its node j stands where a leaf would in a tree of ceil(n / 2^h) leaves
        int maxLevel = 32 - Integer.numberOfLeadingZeros(n - 1); // ceil(log2 n)
        int h = 1 + r.nextInt(maxLevel);
        int width = 1 << h;
        int count = (n + width - 1) / width;
        List<AnchorHash> leaves = leafHashes(d);
        List<AnchorHash> level = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            level.add(Rfc6962.mth(leaves.subList(j * width, Math.min(n, (j + 1) * width))));
        }
        assertEquals(tree.root(), Rfc6962.mth(level), "level " + h + " is a tree with the same root");
        int j = r.nextInt(count);
        InclusionProof forged = new InclusionProof(j, count, Rfc6962.path(j, level));
        AnchorHash node = level.get(j);
        assertTrue(AnchorTree.verify(node, forged, tree.root()), "control: without leaf hashing the node would pass");
        assertFalse(anchor.verify(node, forged), "an inner node accepted as a record");
        assertFalse(AnchorTree.verify(AnchorHashing.leaf(node), forged, tree.root()));
    }

    // ---- inputs ----

    @Example
    void invalidInputs_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> AnchorTree.of(List.of()));
        AnchorTree tree = AnchorTree.of(digests(3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> tree.proof(3));
        assertThrows(IndexOutOfBoundsException.class, () -> tree.proof(-1));
        assertThrows(IllegalArgumentException.class, () -> new InclusionProof(0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new InclusionProof(3, 3, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new InclusionProof(-1, 3, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new InclusionProof(0, 3, null));
        assertThrows(IllegalArgumentException.class, () -> AnchorHash.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> AnchorHash.fromHex("AB".repeat(32)));
    }

    @Example
    void valuesAreImmutable() {
        List<AnchorHash> d = new ArrayList<>(digests(5, 9));
        AnchorTree tree = AnchorTree.of(d);
        AnchorHash root = tree.root();
        d.set(0, d.get(1));
        tree.root().bytes()[0] ^= 1;
        tree.leafHash(0).bytes()[0] ^= 1;
        assertEquals(root, tree.root());
        assertEquals(Rfc6962.mth(leafHashes(digests(5, 9))), tree.root());
        List<AnchorHash> path = new ArrayList<>(tree.proof(4).path());
        InclusionProof p = new InclusionProof(4, 5, path);
        path.clear();
        assertEquals(tree.proof(4), p);
        assertThrows(UnsupportedOperationException.class, () -> p.path().clear());
    }

    // ---- helpers ----

    /** Bitcoin's block merkle rule (a lone last node is paired with itself), with our node hash: the control above. */
    static AnchorHash bitcoinStyleRoot(List<AnchorHash> level) {
        while (level.size() > 1) {
            List<AnchorHash> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                up.add(AnchorHashing.node(level.get(i), level.get(Math.min(i + 1, level.size() - 1))));
            }
            level = up;
        }
        return level.get(0);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
