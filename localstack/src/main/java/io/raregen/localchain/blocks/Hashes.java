package io.raregen.localchain.blocks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Double SHA-256 and byte-order helpers (Bitcoin hashes are shown byte-reversed). */
public final class Hashes {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {
    }

    public static byte[] sha256d(byte[] data) {
        return sha256d(data, 0, data.length);
    }

    public static byte[] sha256d(byte[] data, int off, int len) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(data, off, len);
        byte[] first = md.digest();
        return md.digest(first);
    }

    /** sha256d(left || right), the merkle tree's inner node. */
    public static byte[] sha256d(byte[] left, byte[] right) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(left);
        md.update(right);
        byte[] first = md.digest();
        return md.digest(first);
    }

    public static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** Display hex (explorer order) of a hash held in internal (wire) order. */
    public static String displayHex(byte[] internalOrder) {
        return HEX.formatHex(reversed(internalOrder));
    }

    /** Internal (wire) order bytes of a hash given in display hex. */
    public static byte[] internalFromDisplayHex(String hex) {
        return reversed(HEX.parseHex(hex));
    }
}
