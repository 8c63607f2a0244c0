package io.raregen.core.accounts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Six-digit sign-in codes. A code is stored only as HMAC-SHA256(key, address NUL code), so a copy of the database
 * does not give the codes away (a plain hash of six digits is reversed in a millisecond), and a code is bound to
 * the address it was sent to. Comparison runs in constant time.
 */
public final class OneTimeCode {

    public static final int DIGITS = 6;
    private static final Pattern SHAPE = Pattern.compile("[0-9]{" + DIGITS + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** @param key at least 32 bytes of secret */
    public OneTimeCode(byte[] key) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("the code key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** A fresh uniformly random code, leading zeros kept. */
    public static String generate() {
        return String.format("%0" + DIGITS + "d", RANDOM.nextInt(1_000_000));
    }

    /** True for exactly six ASCII digits. */
    public static boolean wellFormed(String code) {
        return code != null && SHAPE.matcher(code).matches();
    }

    public byte[] hash(EmailAddress to, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(to.value().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(code.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** Whether {@code code} is the one whose hash is {@code stored}; constant time in the stored hash. */
    public boolean matches(EmailAddress to, String code, byte[] stored) {
        byte[] candidate = hash(to, wellFormed(code) ? code : "");
        return MessageDigest.isEqual(candidate, stored);
    }

    @Override
    public String toString() {
        return "OneTimeCode[key=***]";
    }
}
