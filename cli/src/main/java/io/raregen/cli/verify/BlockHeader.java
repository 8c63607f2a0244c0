package io.raregen.cli.verify;

import java.util.Arrays;

/** An 80-byte block header: its hash and the merkle root it commits to. */
public record BlockHeader(byte[] raw) {

    public BlockHeader {
        if (raw.length != 80) {
            throw new IllegalArgumentException("a block header is 80 bytes, got " + raw.length);
        }
        raw = raw.clone();
    }

    /** Block hash in display hex. */
    public String hash() {
        return Hashes.displayHex(Hashes.sha256d(raw));
    }

    /** Merkle root in internal order (bytes 36..68). */
    public byte[] merkleRoot() {
        return Arrays.copyOfRange(raw, 36, 68);
    }
}
