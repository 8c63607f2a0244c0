package io.raregen.functions.web;

import io.micronaut.core.annotation.Nullable;
import io.raregen.core.http.BearerToken;
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
        TokenGuard.require(token, authorizationHeader,
                ErrorCode.OPERATOR_DISABLED, "Operator endpoints are disabled: raregen.admin.token is not set",
                ErrorCode.UNAUTHORIZED, "Send the operator token as 'Authorization: Bearer <token>'");
    }

    @Override
    public String toString() {
        return "OperatorGuard[token=" + token + "]";
    }
}
