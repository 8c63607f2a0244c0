package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the operator bearer token ({@code raregen.admin.token}) on operator endpoints. */
@Singleton
public class OperatorGuard {

    private final byte[] token;

    public OperatorGuard(AdminConfiguration configuration) {
        String token = configuration.token();
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Throws unless the Authorization header carries the configured token. */
    public void requireOperator(@Nullable String authorizationHeader) {
        if (token == null) {
            throw new ApiException(ErrorCode.OPERATOR_DISABLED, "Operator endpoints are disabled: raregen.admin.token is not set");
        }
        if (!matches(authorizationHeader)) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "Send the operator token as 'Authorization: Bearer <token>'");
        }
    }

    /** True when a token is configured and the header carries it. */
    public boolean matches(@Nullable String authorizationHeader) {
        if (token == null || authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token); // constant time
    }

    @Override
    public String toString() {
        return "OperatorGuard[token=" + (token == null ? "unset" : "***") + "]";
    }
}
