package io.raregen.core.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A configured bearer token, compared in constant time; its value never appears in {@link #toString()}. One check
 * for every guarded endpoint of both applications (API operator and callback tokens, the broadcaster's operator port).
 */
public final class BearerToken {

    private final byte[] token;

    private BearerToken(byte[] token) {
        this.token = token;
    }

    /** An unset (null) or blank value gives a token that is not configured and matches nothing. */
    public static BearerToken of(String configured) {
        return new BearerToken(configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isConfigured() {
        return token != null;
    }

    /** True when a token is configured and the header (may be null) is {@code Bearer <that token>}, scheme in any case. */
    public boolean matches(String authorizationHeader) {
        if (token == null || authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token);
    }

    @Override
    public String toString() {
        return token == null ? "unset" : "***";
    }
}
