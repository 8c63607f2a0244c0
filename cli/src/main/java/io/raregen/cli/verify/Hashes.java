package io.raregen.cli.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Double SHA-256 and the byte-order flips between Bitcoin's internal and display orders. */
public final class Hashes {
    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {
    }

    public static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256d(byte[]... parts) {
        return sha256(sha256(parts));
    }

    public static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** Display hex (as explorers show txids and block hashes) of an internal-order hash. */
    public static String displayHex(byte[] internal) {
        return HEX.formatHex(reversed(internal));
    }

    public static byte[] fromDisplayHex(String hex) {
        return reversed(HEX.parseHex(hex));
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    public static byte[] unhex(String s) {
        return HEX.parseHex(s);
    }

    /** The txid (display hex) of a raw transaction: double SHA-256 of its bytes, reversed. */
    public static String txidOf(byte[] rawTx) {
        return displayHex(sha256d(rawTx));
    }
}
