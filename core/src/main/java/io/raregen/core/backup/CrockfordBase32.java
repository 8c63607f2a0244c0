package io.raregen.core.backup;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Crockford's base32 (the ULID alphabet, no padding): reading is forgiving where people err
 * (case, O for 0, I and L for 1, spaces and hyphens) and strict elsewhere (U, other symbols,
 * non-zero trailing bits).
 */
final class CrockfordBase32 {
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
            VALUES[Character.toLowerCase(ALPHABET.charAt(i))] = i;
        }
        VALUES['O'] = 0;
        VALUES['o'] = 0;
        VALUES['I'] = 1;
        VALUES['i'] = 1;
        VALUES['L'] = 1;
        VALUES['l'] = 1;
    }

    private CrockfordBase32() {
    }

    static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** The last character's unused low bits are not zero: that character was mistyped. */
    static final class UnusedBitsException extends IllegalArgumentException {
        UnusedBitsException() {
            super("the last character is wrong");
        }
    }

    /** @throws IllegalArgumentException naming the first bad character; {@link UnusedBitsException} for a wrong last one */
    static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("character '" + c + "' at position " + (i + 1) + " is not base32");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits >= 5) {
            throw new IllegalArgumentException("a character too many or too few");
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new UnusedBitsException();
        }
        return out.toByteArray();
    }
}
