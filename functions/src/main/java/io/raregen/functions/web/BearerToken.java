package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A configured bearer token, compared in constant time; its value never appears in {@link #toString()}. */
public final class BearerToken {

    private final byte[] token;

    private BearerToken(byte[] token) {
        this.token = token;
    }

    /** An unset or blank value gives a token that is not configured and matches nothing. */
    public static BearerToken of(@Nullable String configured) {
        return new BearerToken(configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isConfigured() {
        return token != null;
    }

    /** True when a token is configured and the header is {@code Bearer <that token>}. */
    public boolean matches(@Nullable String authorizationHeader) {
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
