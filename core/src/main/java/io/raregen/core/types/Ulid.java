package io.raregen.core.types;

import java.security.SecureRandom;

/**
 * ULIDs: 48-bit millisecond time + 80 random bits, 26 characters Crockford base32, upper case.
 * Monotonic within one JVM: ids generated in the same millisecond increase, so they sort by creation.
 */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis = -1;
    private static long lastRandHi; // 40 bits
    private static long lastRandLo; // 40 bits

    private Ulid() {
    }

    public static String generate() {
        long now = System.currentTimeMillis();
        long hi;
        long lo;
        synchronized (Ulid.class) {
            if (now <= lastMillis) {
                now = lastMillis;
                lastRandLo++;
                if (lastRandLo >= (1L << 40)) {
                    lastRandLo = 0;
                    lastRandHi++;
                    if (lastRandHi >= (1L << 40)) {
                        // 2^80 ids in one millisecond: borrow the next millisecond
                        now++;
                        lastRandHi = RANDOM.nextLong() & ((1L << 39) - 1);
                    }
                }
            } else {
                lastRandHi = RANDOM.nextLong() & ((1L << 40) - 1);
                lastRandLo = RANDOM.nextLong() & ((1L << 39) - 1); // leave room to increment
            }
            lastMillis = now;
            hi = lastRandHi;
            lo = lastRandLo;
        }
        char[] out = new char[26];
        long t = now;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (t & 31)];
            t >>>= 5;
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    /** 26 upper-case Crockford base32 characters whose time part fits 48 bits. */
    public static boolean isValid(String s) {
        if (s == null || s.length() != 26 || s.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            if (java.util.Arrays.binarySearch(ALPHABET, s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Milliseconds since the epoch encoded in a valid ULID. */
    public static long timestampMillis(String ulid) {
        if (!isValid(ulid)) {
            throw new IllegalArgumentException("not a ULID");
        }
        long t = 0;
        for (int i = 0; i < 10; i++) {
            t = (t << 5) | java.util.Arrays.binarySearch(ALPHABET, ulid.charAt(i));
        }
        return t;
    }
}
