package io.raregen.cli.support;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fresh nonces: 128 random bits in hex (the API accepts [A-Za-z0-9._:-]{1,128}). */
public final class Nonces {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Nonces() {
    }

    public static String next() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
