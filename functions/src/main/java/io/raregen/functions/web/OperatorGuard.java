package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/** Checks the operator bearer token ({@code raregen.admin.token}) on operator endpoints. */
@Singleton
public class OperatorGuard {

    private final BearerToken token;

    public OperatorGuard(AdminConfiguration configuration) {
        this.token = BearerToken.of(configuration.token());
    }

    /** Throws unless the Authorization header carries the configured token. */
    public void requireOperator(@Nullable String authorizationHeader) {
        if (!token.isConfigured()) {
            throw new ApiException(ErrorCode.OPERATOR_DISABLED, "Operator endpoints are disabled: raregen.admin.token is not set");
        }
        if (!token.matches(authorizationHeader)) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "Send the operator token as 'Authorization: Bearer <token>'");
        }
    }

    /** True when a token is configured and the header carries it. */
    public boolean matches(@Nullable String authorizationHeader) {
        return token.matches(authorizationHeader);
    }

    @Override
    public String toString() {
        return "OperatorGuard[token=" + token + "]";
    }
}
