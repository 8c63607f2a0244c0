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

    /**
     * Throws {@code disabled} when no token is configured, {@code unauthorized} when the header does not carry it.
     */
    public void require(@Nullable String authorizationHeader, ErrorCode disabled, String disabledDetail,
                        ErrorCode unauthorized, String unauthorizedDetail) {
        if (!isConfigured()) {
            throw new ApiException(disabled, disabledDetail);
        }
        if (!matches(authorizationHeader)) {
            throw new ApiException(unauthorized, unauthorizedDetail);
        }
    }

    @Override
    public String toString() {
        return token == null ? "unset" : "***";
    }
}
