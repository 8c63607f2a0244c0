package io.raregen.core.anchor;

import io.raregen.core.internal.Hashes;

import java.security.MessageDigest;

/**
 * The two hash functions of the anchor tree, domain-separated as in RFC 6962 (Certificate Transparency):
 * a leaf is {@code SHA-256(0x00 ‖ record digest)}, an inner node {@code SHA-256(0x01 ‖ left ‖ right)}. The prefix
 * byte makes the preimage of a leaf (33 bytes starting 00) differ from that of every node (65 bytes starting 01),
 * so an inner node can never be passed off as a record, nor a record as a subtree (docs/PROTOCOL.md#anchor-mode).
 */
public final class AnchorHashing {
    public static final byte LEAF_PREFIX = 0x00;
    public static final byte NODE_PREFIX = 0x01;

    private AnchorHashing() {
    }

    /** The leaf hash of one record, from its record digest ({@link RecordLeaf#digest}). */
    public static AnchorHash leaf(AnchorHash recordDigest) {
        MessageDigest md = Hashes.newSha256();
        md.update(LEAF_PREFIX);
        md.update(recordDigest.unsafeBytes());
        return AnchorHash.of(md.digest());
    }

    public static AnchorHash node(AnchorHash left, AnchorHash right) {
        MessageDigest md = Hashes.newSha256();
        md.update(NODE_PREFIX);
        md.update(left.unsafeBytes());
        md.update(right.unsafeBytes());
        return AnchorHash.of(md.digest());
    }
}
