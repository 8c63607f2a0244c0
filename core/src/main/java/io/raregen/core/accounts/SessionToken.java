package io.raregen.core.accounts;

import io.raregen.core.internal.Hashes;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A session's bearer token: {@code rgs_} and 43 base64url characters of 32 random bytes. The service keeps only its
 * SHA-256 ({@link #hash()}); with 256 random bits a keyed hash adds nothing. {@code toString} never shows it.
 */
public final class SessionToken {

    public static final String PREFIX = "rgs_";
    private static final Pattern SHAPE = Pattern.compile(PREFIX + "[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private SessionToken(String value) {
        this.value = value;
    }

    public static SessionToken generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new SessionToken(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    /** True when {@code s} has a session token's shape (it may still be unknown, expired or revoked). */
    public static boolean looksLikeOne(String s) {
        return s != null && SHAPE.matcher(s).matches();
    }

    /** @throws IllegalArgumentException when {@code s} is not shaped like a session token */
    public static SessionToken parse(String s) {
        if (!looksLikeOne(s)) {
            throw new IllegalArgumentException("not a session token");
        }
        return new SessionToken(s);
    }

    /** What the service stores and looks up. */
    public byte[] hash() {
        return Hashes.sha256(value.getBytes(StandardCharsets.US_ASCII));
    }

    /** The token itself, for the one answer that hands it out and for clients. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "SessionToken[***]";
    }
}
